// Which part of an audit entry's detail is free text (erasable) and which is structure (kept for ever).
// Entries about a case keep their structure (stages, codes, ids, amounts, dates) in the hash-chained detail and
// their free text (reasons, notes, file names, anything typed) beside it, committed to by a salted digest
// (db/repos/audit.ts), so erasing a case can delete the text and the chain still verifies. An allow-list, like
// the case history's scrub: a key nobody listed is text, so a new field cannot leak a name into the chain.
import { STRUCTURAL, UNMASK_REASONS } from './privacy.js';

/** Keys whose short string values are codes, times or case numbers, never typed text. */
const CODE_KEYS: ReadonlySet<string> = new Set([
  ...STRUCTURAL,
  'caseNo',
  'rules',
  'party',
  'direction',
  'source',
  'language',
  'audience',
  'claimedAt',
  'enteredAt',
  'expiresAt',
  'paidOn',
  'onDate',
  'referredOn',
  'stageFrom',
]);
const MAX_CODE_LENGTH = 40;
const UNMASK_REASON_SET: ReadonlySet<string> = new Set(UNMASK_REASONS);

/** Actions that are about several cases, tied to them through their rows (assignment moves, recalled cases). */
export const MULTI_CASE_ACTIONS: ReadonlySet<string> = new Set(['assign.manual', 'assign.recall', 'recalls.recall']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPrim = (v: unknown) => v === null || typeof v === 'number' || typeof v === 'boolean';
// The unmask reason is chosen from a list (its free text is `note`): the access report keeps it after an erasure.
const isCode = (key: string, v: string) => (CODE_KEYS.has(key) && v.length <= MAX_CODE_LENGTH) || (key === 'reason' && UNMASK_REASON_SET.has(v));

function splitValue(key: string, v: unknown): [unknown, unknown] {
  if (isPrim(v)) return [v, undefined];
  if (typeof v === 'string') return isCode(key, v) ? [v, undefined] : [undefined, v];
  if (Array.isArray(v)) {
    const plain = v.every((x) => isPrim(x) || (typeof x === 'string' && isCode(key, x)) || (isObj(x) && splitObject(x)[1] === undefined));
    return plain ? [v, undefined] : [undefined, v];
  }
  if (isObj(v)) return splitObject(v);
  return [undefined, v];
}

/** Splits a detail into what stays in the chain and its free text (undefined: none). */
export function splitObject(o: Obj): [Obj, Obj | undefined] {
  const kept: Obj = {};
  const text: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    const [a, b] = splitValue(k, v);
    if (a !== undefined) kept[k] = a;
    if (b !== undefined) text[k] = b;
  }
  return [kept, Object.keys(text).length ? text : undefined];
}

/** The detail as written (through JSON, as stored), split; `text` is undefined when there is none. */
export function splitAuditDetail(detail: Obj): { kept: Obj; text: Obj | undefined } {
  const [kept, text] = splitObject(JSON.parse(JSON.stringify(detail)) as Obj);
  return { kept, text };
}

/** The detail as written again: the kept part with its text put back. */
export function mergeAuditText(kept: Obj, text: Obj): Obj {
  const out: Obj = { ...kept };
  for (const [k, v] of Object.entries(text)) out[k] = isObj(out[k]) && isObj(v) ? mergeAuditText(out[k], v) : v;
  return out;
}

/**
 * The case an entry is about, for erasure: entity 'case', or a `caseId` in its detail. `null` for an entry about
 * several cases (MULTI_CASE_ACTIONS: found through their rows); undefined: not about a case (not split).
 */
export function auditCaseOf(action: string, entity: string, entityId: string | null, detail: Obj): number | null | undefined {
  if (entity === 'case' && entityId !== null && /^\d+$/.test(entityId)) return Number(entityId);
  if (typeof detail.caseId === 'number' && Number.isInteger(detail.caseId)) return detail.caseId;
  return MULTI_CASE_ACTIONS.has(action) ? null : undefined;
}
