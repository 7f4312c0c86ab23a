// Finding the header row in a sheet that starts with a title ('XX银行2025年3月委案明细' merged across
// the columns), blank rows or notes. The header is the row, among the first 20, whose cells name the
// most distinct fields exactly or by synonym; fuzzy matches are not counted, so data rows score ~0.
import { fieldIndex } from './auto-map.js';
import { PLACEMENT_FIELDS, type FieldDef } from './fields.js';
import { normalizeHeader } from './header-normalize.js';

export const HEADER_SCAN_ROWS = 20;
export const MIN_HEADER_MATCHES = 3;

/** `reason` is declared on both branches so callers can test `index < 0` and read it directly. */
export type HeaderRowResult =
  | { ok: true; index: number; matched: number; reason?: undefined }
  | { ok: false; index: -1; matched: number; reason: string };

export function findHeaderRow(
  rows: readonly (readonly (string | null | undefined)[])[],
  fields: readonly FieldDef[] = PLACEMENT_FIELDS,
): HeaderRowResult {
  const { lookup } = fieldIndex(fields);
  let best = -1;
  let bestCount = 0;
  const limit = Math.min(rows.length, HEADER_SCAN_ROWS);
  for (let r = 0; r < limit; r++) {
    const seen = new Set<number>();
    for (const cell of rows[r] ?? []) {
      if (typeof cell !== 'string' || cell === '') continue;
      const hit = lookup.get(normalizeHeader(cell));
      if (hit !== undefined) seen.add(hit.field);
    }
    if (seen.size > bestCount) {
      best = r;
      bestCount = seen.size;
    }
  }
  if (best < 0 || bestCount < MIN_HEADER_MATCHES) {
    return {
      ok: false,
      index: -1,
      matched: bestCount,
      reason: `no header row found: none of the first ${limit} rows names at least ${MIN_HEADER_MATCHES} known columns (best: ${bestCount})`,
    };
  }
  return { ok: true, index: best, matched: bestCount };
}
