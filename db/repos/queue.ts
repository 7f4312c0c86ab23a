// What a collector's day and the case screen read: open cases of one collector with the dates that
// make them due, and one case with its contacts and history.
import type { Db } from '../open.js';

/**
 * What ranks one open case in a collector's day: the facts that decide its queue and its order, nothing
 * shown. Every open case of the collector is read on each call (5,000–20,000 rows), so the row is kept to
 * these; what a row shows (QueueShownRow) is read only for the cases returned.
 */
export interface QueueRow {
  id: number;
  lender_id: number;
  /** The list's stored outstanding key (migration 012): orders the queue; each shown figure is today's. */
  outstanding_key_fen: number;
  days_overdue: number | null;
  placement_date: string;
  stage: string;
  promise_due_date: string | null;
  next_follow_up_at: string | null;
}

/** What a returned queue item shows of its case. */
export interface QueueShownRow {
  id: number;
  case_no: string;
  lender_code: string;
  borrower_name: string;
  mobile: string;
  overdue_amount_fen: number;
}

export interface CaseDetailRow {
  id: number;
  lender_id: number;
  escalation: string;
  lender_code: string;
  lender_name: string;
  case_no: string;
  batch_no: string;
  placement_date: string;
  borrower_name: string;
  id_number: string;
  mobile: string;
  gender: string | null;
  province: string | null;
  overdue_amount_fen: number;
  days_overdue: number | null;
  bucket: string | null;
  stage: string;
  status: string;
  collector_id: number | null;
  collector: string | null;
  collector_name: string | null;
  assigned_at: string | null;
  contacts: string;
  due_date: string | null;
}

/** The latest entry of a case's contact log in a period (corrected entries replaced by their corrections). */
export interface LastContactRow {
  case_id: number;
  started_at: string;
  outcome: string;
  direction: 'outbound' | 'inbound';
}

export function queueRepo(db: Db) {
  // Today's entries on one collector's cases, read from the period index (today is a small range).
  const contactedIn = db.prepare<[number, string, string], LastContactRow>(
    `SELECT a.case_id, a.started_at, a.outcome, a.direction FROM contact_attempts a JOIN case_assignments ca ON ca.case_id = a.case_id
     WHERE ca.collector_id = ? AND a.started_at >= ? AND a.started_at < ?
       AND NOT EXISTS (SELECT 1 FROM contact_attempts x WHERE x.corrects_id = a.id)
     ORDER BY a.started_at, a.id`,
  );
  // From the collector's own range of collector_cases (migration 025), not their cases' pages all over the
  // cases table. The batch's placement date only for a case without its own (coalesce stops at the first
  // non-null); the lender's schedule once per lender (escalations), not copied into every row.
  // Rows as arrays (raw), made into objects here: for 6,000 open cases this is half the time of SQLite's own objects.
  const open = db.prepare<[number], [number, number, number, number | null, string | null, number, string, string | null, string | null]>(
    `SELECT p.case_id AS id, p.lender_id, p.amount_key AS outstanding_key_fen, p.days_overdue, p.placed_on, p.batch_id, p.stage, p.promise_due_date, p.next_follow_up_at
     FROM collector_cases p WHERE p.collector_id = ? AND p.status = 'open'`,
  );
  // The batches' placement dates once per batch (a collector's open cases come from a few batches), not a
  // subquery per case: 6,000 open cases, 18 → 9 ms.
  const batchDates = db.prepare<[string], { id: number; placement_date: string }>('SELECT id, placement_date FROM batches WHERE id IN (SELECT value FROM json_each(?))');
  // The collector's held and lost-contact cases as joins, not three probes per open case: the planner starts
  // from whichever side is smaller (usually the few open complaints and flags of the whole office).
  const held = db.prepare<[number, number], { case_id: number }>(
    `SELECT k.case_id FROM complaints k JOIN case_assignments a ON a.case_id = k.case_id WHERE a.collector_id = ? AND k.status <> 'closed'
     UNION SELECT f.case_id FROM case_flags f JOIN case_assignments a ON a.case_id = f.case_id WHERE a.collector_id = ? AND f.flag = 'deceased'`,
  );
  const lost = db.prepare<[number], { case_id: number }>(
    "SELECT f.case_id FROM case_flags f JOIN case_assignments a ON a.case_id = f.case_id WHERE a.collector_id = ? AND f.flag = 'lost_contact'",
  );
  const escalations = db.prepare<[], { id: number; escalation: string }>('SELECT id, escalation FROM lenders');
  const shown = db.prepare<[string], QueueShownRow>(
    `SELECT c.id, c.case_no, l.code AS lender_code, c.borrower_name, c.mobile, c.overdue_amount_fen
     FROM cases c JOIN lenders l ON l.id = c.lender_id WHERE c.id IN (SELECT value FROM json_each(?))`,
  );
  const detail = db.prepare<[number], CaseDetailRow>(
    `SELECT c.id, c.lender_id, l.escalation, l.code AS lender_code, l.name AS lender_name, c.case_no, b.batch_no, coalesce(c.placed_on, b.placement_date) AS placement_date, c.borrower_name, c.id_number,
       c.mobile, c.gender, c.province, c.overdue_amount_fen, c.days_overdue, c.bucket, c.stage, c.status, a.collector_id,
       u.username AS collector, u.display_name AS collector_name, a.assigned_at, c.contacts, c.due_date
     FROM cases c JOIN lenders l ON l.id = c.lender_id JOIN batches b ON b.id = c.batch_id
     LEFT JOIN case_assignments a ON a.case_id = c.id LEFT JOIN users u ON u.id = a.collector_id
     WHERE c.id = ?`,
  );
  // The case's own history and its assignment moves, as one timeline, newest first.
  const history = db.prepare<{ id: number }, { at: string; actor: string | null; kind: string; detail: string }>(
    `SELECT at, actor, kind, detail FROM (
       SELECT h.at, u.username AS actor, h.kind, h.detail, 0 AS seq, h.id AS n FROM case_history h LEFT JOIN users u ON u.id = h.actor_id WHERE h.case_id = @id
       UNION ALL
       SELECT s.at, u.username, 'assigned',
         json_object('assignment', s.id, 'rule', s.rule, 'from', m.from_collector, 'to', m.to_collector, 'fromUser', f.username, 'toUser', t.username),
         1, m.assignment_id
       FROM assignment_moves m JOIN assignments s ON s.id = m.assignment_id JOIN users u ON u.id = s.actor_id
       LEFT JOIN users f ON f.id = m.from_collector LEFT JOIN users t ON t.id = m.to_collector WHERE m.case_id = @id
     ) ORDER BY at DESC, seq DESC, n DESC LIMIT 500`,
  );
  return {
    openCasesOf(collectorId: number): QueueRow[] {
      const rows = open.raw(true).all(collectorId);
      const batches = new Set<number>();
      for (const r of rows) if (r[4] === null) batches.add(r[5]);
      const dates = new Map(batchDates.all(JSON.stringify([...batches])).map((b) => [b.id, b.placement_date]));
      return rows.map(([id, lender_id, outstanding_key_fen, days_overdue, placed_on, batch_id, stage, promise_due_date, next_follow_up_at]) => ({
        id,
        lender_id,
        outstanding_key_fen,
        days_overdue,
        placement_date: placed_on ?? dates.get(batch_id)!,
        stage,
        promise_due_date,
        next_follow_up_at,
      }));
    },
    /** The collector's cases with no outbound contact now (an unclosed complaint, or flagged deceased; migration 015). */
    heldOf: (collectorId: number): Set<number> => new Set(held.all(collectorId, collectorId).map((r) => r.case_id)),
    /** The collector's cases flagged 失联 lost contact. */
    lostContactOf: (collectorId: number): Set<number> => new Set(lost.all(collectorId).map((r) => r.case_id)),
    /** Each lender's escalation schedule (JSON), by lender id. */
    escalations: (): Map<number, string> => new Map(escalations.all().map((l) => [l.id, l.escalation])),
    /** What the given cases show in the queue, by case id. */
    shownOf: (ids: number[]): Map<number, QueueShownRow> => new Map(shown.all(JSON.stringify(ids)).map((r) => [r.id, r])),
    /** Per case of the collector, the last contact-log entry started in [from, to). */
    lastContactsOf(collectorId: number, from: string, to: string): Map<number, LastContactRow> {
      const last = new Map<number, LastContactRow>();
      for (const a of contactedIn.all(collectorId, from, to)) last.set(a.case_id, a);
      return last;
    },
    caseById: (id: number): CaseDetailRow | null => detail.get(id) ?? null,
    historyOf: (id: number) => history.all({ id }).map((h) => ({ at: h.at, actor: h.actor, kind: h.kind, detail: JSON.parse(h.detail) as Record<string, unknown> })),
  };
}
