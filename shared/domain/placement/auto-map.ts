// Matching a lender's header row to the canonical fields. Deterministic: the same headers always give
// the same mapping. Order of strength: a saved template, then exact labels, then synonyms (both
// earliest column first), then fuzzy matches (best score first, ties to field order, then column order).
// Each column maps to at most one field and each field to at most one column.
import { PLACEMENT_FIELDS, type FieldDef, type PlacementFieldKey } from './fields.js';
import { normalizeHeader } from './header-normalize.js';

export type MatchConfidence = 'template' | 'exact' | 'synonym' | 'fuzzy';

export interface MappingResult<K extends string = PlacementFieldKey> {
  /** Field key → column index. */
  mapping: Partial<Record<K, number>>;
  confidence: Partial<Record<K, MatchConfidence>>;
  /** Columns with a non-blank header that no field took (blank headers are not listed). */
  unmappedHeaders: number[];
  missingRequired: K[];
}

/** A saved mapping: field key → the header text it had in this lender's files. */
export type MappingTemplate<K extends string = PlacementFieldKey> = Partial<Record<K, string>>;

interface Hit {
  field: number;
  exact: boolean;
}

interface FieldIndex {
  /** Normalised name → field; the first field to claim a spelling keeps it. */
  lookup: Map<string, Hit>;
  /** Per field, its normalised names long enough for fuzzy matching. */
  fuzzyNames: string[][];
}

const MIN_FUZZY_SCORE = 0.5;
const indexCache = new WeakMap<readonly FieldDef[], FieldIndex>();

/** Built once per field table; the default table is indexed on first use. */
export function fieldIndex(fields: readonly FieldDef[]): FieldIndex {
  const cached = indexCache.get(fields);
  if (cached !== undefined) return cached;
  const lookup = new Map<string, Hit>();
  const fuzzyNames: string[][] = [];
  fields.forEach((field, i) => {
    const exact = [field.key, field.labelZh, field.labelEn].map(normalizeHeader);
    const names = new Set<string>();
    for (const name of exact) {
      const prior = lookup.get(name);
      if (prior === undefined || (prior.field === i && !prior.exact)) lookup.set(name, { field: i, exact: true });
      names.add(name);
    }
    for (const synonym of field.synonyms) {
      const name = normalizeHeader(synonym);
      if (!lookup.has(name)) lookup.set(name, { field: i, exact: false });
      names.add(name);
    }
    fuzzyNames.push([...names].filter((n) => n.length >= (isAscii(n) ? 4 : 2)));
  });
  const index = { lookup, fuzzyNames };
  indexCache.set(fields, index);
  return index;
}

export function autoMap<K extends string = PlacementFieldKey>(
  headers: readonly string[],
  fields: readonly FieldDef<K>[] = PLACEMENT_FIELDS as unknown as readonly FieldDef<K>[],
): MappingResult<K> {
  return assign(headers, fields, headers.map(normalizeHeader), []);
}

/** A saved template first (headers compared normalised), then autoMap for the fields it does not cover
 *  or whose header is no longer in the file. */
export function applyTemplate<K extends string = PlacementFieldKey>(
  headers: readonly string[],
  template: MappingTemplate<K>,
  fields: readonly FieldDef<K>[] = PLACEMENT_FIELDS as unknown as readonly FieldDef<K>[],
): MappingResult<K> {
  const norm = headers.map(normalizeHeader);
  const preset: [number, number][] = [];
  const used = new Set<number>();
  fields.forEach((field, i) => {
    const text = template[field.key];
    if (text === undefined) return;
    const want = normalizeHeader(text);
    const col = norm.findIndex((h, c) => h === want && h !== '' && !used.has(c));
    if (col < 0) return;
    used.add(col);
    preset.push([i, col]);
  });
  return assign(headers, fields, norm, preset);
}

function assign<K extends string>(
  headers: readonly string[],
  fields: readonly FieldDef<K>[],
  norm: readonly string[],
  preset: readonly [number, number][],
): MappingResult<K> {
  const { lookup, fuzzyNames } = fieldIndex(fields);
  const fieldCol = new Array<number>(fields.length).fill(-1);
  const fieldConf = new Array<MatchConfidence | undefined>(fields.length);
  const colState = new Array<number>(headers.length).fill(FREE);
  const take = (field: number, col: number, conf: MatchConfidence) => {
    fieldCol[field] = col;
    fieldConf[field] = conf;
    colState[col] = TAKEN;
  };
  for (const [field, col] of preset) take(field, col, 'template');

  // Exact labels, then synonyms. A column whose header names an already-mapped field is a duplicate of
  // it: it stays unmapped rather than being fuzzily pushed onto some other field.
  for (const wantExact of [true, false]) {
    norm.forEach((h, col) => {
      if (colState[col] !== FREE || h === '') return;
      const hit = lookup.get(h);
      if (hit === undefined || hit.exact !== wantExact) return;
      if (fieldCol[hit.field] === -1) take(hit.field, col, wantExact ? 'exact' : 'synonym');
      else colState[col] = DUPLICATE;
    });
  }

  // Fuzzy: score every free (column, field) pair, then take the best pairs greedily.
  const candidates: { field: number; col: number; score: number }[] = [];
  norm.forEach((h, col) => {
    if (colState[col] !== FREE || h.length < 2 || lookup.has(h)) return;
    fuzzyNames.forEach((names, field) => {
      if (fieldCol[field] !== -1) return;
      const score = fuzzyScore(h, names);
      if (score >= MIN_FUZZY_SCORE) candidates.push({ field, col, score });
    });
  });
  candidates.sort((a, b) => b.score - a.score || a.field - b.field || a.col - b.col);
  for (const c of candidates) {
    if (fieldCol[c.field] === -1 && colState[c.col] === FREE) take(c.field, c.col, 'fuzzy');
  }

  const mapping: Partial<Record<K, number>> = {};
  const confidence: Partial<Record<K, MatchConfidence>> = {};
  const missingRequired: K[] = [];
  fields.forEach((field, i) => {
    const col = fieldCol[i] ?? -1;
    const conf = fieldConf[i];
    if (col >= 0 && conf !== undefined) {
      mapping[field.key] = col;
      confidence[field.key] = conf;
    } else if (field.required) {
      missingRequired.push(field.key);
    }
  });
  const unmappedHeaders: number[] = [];
  norm.forEach((h, col) => {
    if (colState[col] !== TAKEN && h !== '') unmappedHeaders.push(col);
  });
  return { mapping, confidence, unmappedHeaders, missingRequired };
}

const FREE = 0;
const TAKEN = 1;
const DUPLICATE = 2;

/** 0–1: how well header h matches the best of a field's names. A name inside the header
 *  ('借款人身份证号码' ⊃ '身份证号码') scores its share of the header; a header inside a name
 *  ('手机号' ⊂ '本人手机号码') its share of the name, slightly discounted; one spread through the other
 *  in order ('逾期总金额' ~ '逾期金额', 'last_repay_date' ~ 'last repayment date') a little less. */
function fuzzyScore(h: string, names: readonly string[]): number {
  const headerLongEnough = h.length >= (isAscii(h) ? 4 : 2);
  let best = 0;
  for (const n of names) {
    let score = 0;
    if (n.length < h.length) {
      if (h.includes(n)) score = n.length / h.length;
      else if (n.length >= 3 && isSubsequence(n, h)) score = (0.9 * n.length) / h.length;
    } else if (headerLongEnough) {
      if (n.includes(h)) score = (0.9 * h.length) / n.length;
      else if (isSubsequence(h, n)) score = (0.8 * h.length) / n.length;
    }
    if (score > best) best = score;
  }
  return best;
}

function isSubsequence(needle: string, hay: string): boolean {
  let j = 0;
  for (let i = 0; i < hay.length && j < needle.length; i++) if (hay[i] === needle[j]) j++;
  return j === needle.length;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}
