// Each collector's cases (migration 025), checked against what they are a copy of: case_assignments and cases.
import type { Db } from '../open.js';
import { COLUMNS, collectorCaseRow } from '../migrations/025_collector_cases.js';

/** The rows collector_cases must hold, computed from case_assignments and cases. */
const REFERENCE = `SELECT ${collectorCaseRow('a.collector_id', 'c')} FROM case_assignments a JOIN cases c ON c.id = a.case_id WHERE a.collector_id IS NOT NULL`;

/** Rows of collector_cases that differ from the reference, both ways (0 on a sound store). Reads every held case. */
export function collectorCasesDrift(db: Db): number {
  const stored = `SELECT ${COLUMNS} FROM collector_cases`;
  return (db.prepare(`SELECT (SELECT count(*) FROM (${stored} EXCEPT ${REFERENCE})) + (SELECT count(*) FROM (${REFERENCE} EXCEPT ${stored})) AS n`).get() as { n: number }).n;
}
