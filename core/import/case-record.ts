// What a re-placement changed in a case (kept in the case history). The case's column values themselves
// come from case-batch.ts (caseValues).
import { CASE_COLUMNS, type CaseRecord } from '../../db/repos/cases.js';
import { contactsFromJson, contactsToJson } from '../../shared/domain/placement/contacts-json.js';

/** Contacts compare by what they say: a case stored in the older JSON form is not changed by the new form. */
function sameValue(k: keyof CaseRecord, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return k === 'contacts' && typeof a === 'string' && typeof b === 'string' && contactsToJson(contactsFromJson(a)) === contactsToJson(contactsFromJson(b));
}

/** Field → [before, after] for every column a re-placement changed (kept in the case history). */
export function diffCase(before: CaseRecord, after: CaseRecord): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const k of CASE_COLUMNS) if (!sameValue(k, before[k], after[k])) changes[k] = [before[k], after[k]];
  return changes;
}
