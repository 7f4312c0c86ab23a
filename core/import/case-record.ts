// What a re-placement changed in a case (kept in the case history). The case's column values themselves
// come from case-batch.ts (caseValues).
import { CASE_COLUMNS, type CaseRecord } from '../../db/repos/cases.js';

/** Field → [before, after] for every column a re-placement changed (kept in the case history). */
export function diffCase(before: CaseRecord, after: CaseRecord): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const k of CASE_COLUMNS) if (before[k] !== after[k]) changes[k] = [before[k], after[k]];
  return changes;
}
