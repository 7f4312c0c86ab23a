// What the case view reads beyond the work queue's row: the whole placement record, the day a finished
// case left collection, and the re-placements that changed it.
import type { Db } from '../open.js';
import { CASE_COLUMNS, ENDED_AT, type CaseRecord } from './cases.js';

export interface CaseFactsRow extends CaseRecord {
  /** When the case entered its final stage (the last stage move of a case that is not open), else null. */
  ended_at: string | null;
}

export function caseFactsRepo(db: Db) {
  const facts = db.prepare<[number], CaseFactsRow>(
    `SELECT ${CASE_COLUMNS.map((c) => `c.${c}`).join(', ')},
       ${ENDED_AT}
     FROM cases c WHERE c.id = ?`,
  );
  const replaced = db.prepare<[number], { at: string; actor: string | null; batch_no: string | null; detail: string }>(
    `SELECT h.at, u.username AS actor, b.batch_no, h.detail FROM case_history h
     LEFT JOIN users u ON u.id = h.actor_id LEFT JOIN batches b ON b.id = h.batch_id
     WHERE h.case_id = ? AND h.kind = 'replaced' ORDER BY h.at DESC, h.id DESC LIMIT 200`,
  );
  return {
    factsOf: (id: number): CaseFactsRow | null => facts.get(id) ?? null,
    replacementsOf: (id: number) => replaced.all(id),
  };
}
