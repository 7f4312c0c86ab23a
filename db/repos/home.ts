// The manager's home and recovery targets in SQL. Each count is one indexed lookup (plans_open,
// legal_referrals_next, complaints_status_due, cases_term_end + cases_open_batch_term, payments_paid_on), never a
// scan of the cases: the home page and the navigation badges ask for them every minute.
import type { Db } from '../open.js';

export interface TargetRow {
  month: string;
  collector_id: number | null;
  team_id: number | null;
  amount_fen: number;
  set_by: number;
  set_by_name: string;
  set_at: string;
  collector_name: string | null;
  team_name: string | null;
}

export function homeRepo(db: Db) {
  // Written with the open-plans partial index's own condition so the planner may use it (plans_open).
  const plansAwaiting = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM plans WHERE status IN ('proposed', 'awaiting_lender', 'active') AND status <> 'active'");
  // Open referrals whose next date is on or before the given day (overdue ones included: still to do).
  const legalDue = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM legal_referrals WHERE next_date IS NOT NULL AND next_date <= ? AND status <> 'closed'",
  );
  // A case's own 委案到期日, else its batch's: two indexed counts (a case with its own date is not counted by its batch's).
  const termOwn = db.prepare<[string, string], { n: number }>(
    "SELECT count(*) AS n FROM cases WHERE term_end_date IS NOT NULL AND term_end_date BETWEEN ? AND ? AND status = 'open'",
  );
  const termBatch = db.prepare<[string, string], { n: number }>(
    // CROSS JOIN keeps the few batches outside: the planner would otherwise scan every case.
    `SELECT count(*) AS n FROM batches b CROSS JOIN cases c ON c.batch_id = b.id
     WHERE b.term_end_date BETWEEN ? AND ? AND c.status = 'open' AND c.term_end_date IS NULL`,
  );
  const hasComplaints = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'complaints'");
  // The dashboard's "recovered" (db/repos/dashboard.ts): payments dated in the period, net of reversals
  // (a reversal is a negative row on the reversed payment's date), credited to the case's holder now.
  const recoveredBy = db.prepare<[string, string], { collector_id: number | null; team_id: number | null; fen: number }>(
    `SELECT ca.collector_id, u.team_id, sum(p.amount_fen) AS fen
     FROM payments p LEFT JOIN case_assignments ca ON ca.case_id = p.case_id LEFT JOIN users u ON u.id = ca.collector_id
     WHERE p.paid_on BETWEEN ? AND ? GROUP BY ca.collector_id`,
  );
  const recoveredTotal = db.prepare<[string, string], { fen: number }>('SELECT coalesce(sum(amount_fen), 0) AS fen FROM payments WHERE paid_on BETWEEN ? AND ?');
  const targets = db.prepare<[string], TargetRow>(
    `SELECT t.month, t.collector_id, t.team_id, t.amount_fen, t.set_by, s.display_name AS set_by_name, t.set_at,
            cu.display_name AS collector_name, tm.name AS team_name
     FROM recovery_targets t JOIN users s ON s.id = t.set_by LEFT JOIN users cu ON cu.id = t.collector_id LEFT JOIN teams tm ON tm.id = t.team_id
     WHERE t.month = ? ORDER BY t.collector_id IS NOT NULL, t.team_id IS NOT NULL, tm.name, cu.display_name`,
  );
  const delTarget = db.prepare<[string, number, number]>('DELETE FROM recovery_targets WHERE month = ? AND coalesce(collector_id, 0) = ? AND coalesce(team_id, 0) = ?');
  const addTarget = db.prepare<[string, number | null, number | null, number, number, string]>(
    'INSERT INTO recovery_targets (month, collector_id, team_id, amount_fen, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  let complaintsOpen: ((nowIso: string) => { open: number; overdue: number }) | null | undefined;
  return {
    plansAwaiting: (): number => plansAwaiting.get()!.n,
    legalDueBy: (day: string): number => legalDue.get(day)!.n,
    termEndingBetween: (from: string, to: string): number => termOwn.get(from, to)!.n + termBatch.get(from, to)!.n,
    /** Complaints not yet closed, and of those the open ones past their answer's due time; null before the complaints table exists. */
    complaints(nowIso: string): { open: number; overdue: number } | null {
      if (complaintsOpen === undefined) {
        if (hasComplaints.get()!.n === 0) complaintsOpen = null;
        else {
          const q = db.prepare<[string], { open: number; overdue: number }>(
            `SELECT (SELECT count(*) FROM complaints WHERE status IN ('open', 'answered')) AS open,
                    (SELECT count(*) FROM complaints WHERE status = 'open' AND due_at < ?) AS overdue`,
          );
          complaintsOpen = (nowIso) => q.get(nowIso)!;
        }
      }
      return complaintsOpen === null ? null : complaintsOpen(nowIso);
    },
    /** Recovered per collector holding the case now (collector null: the pool), with the collector's team. */
    recoveredBy: (from: string, to: string) => recoveredBy.all(from, to),
    /** Everything recovered in the period (the dashboard's total), from the index alone. */
    recoveredTotal: (from: string, to: string): number => recoveredTotal.get(from, to)!.fen,
    targets: (month: string): TargetRow[] => targets.all(month),
    /** Replaces the month's target for one subject (amount null: removes it). */
    setTarget(t: { month: string; collectorId: number | null; teamId: number | null; amountFen: number | null; setBy: number; setAt: string }): void {
      delTarget.run(t.month, t.collectorId ?? 0, t.teamId ?? 0);
      if (t.amountFen !== null) addTarget.run(t.month, t.collectorId, t.teamId, t.amountFen, t.setBy, t.setAt);
    },
  };
}
export type HomeRepo = ReturnType<typeof homeRepo>;
