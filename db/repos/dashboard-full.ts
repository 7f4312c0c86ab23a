// The dashboard's figures recomputed from the case, payment and contact tables themselves (the query
// dashboard.get ran before the summary tables of migration 017). It reads every case: seconds at 1M
// cases. Kept as the reference the fast path is tested against (test/integration/dashboard-summary.test.ts)
// and by `npm run bench -- dashboard`, which checks a 1M-case store; the definitions are the README's ("Dashboard").
import type { Db } from '../open.js';
import { STAGES } from '../../shared/domain/casework/stages.js';
import { DAY_MOD, endedSql } from '../migrations/017_dashboard_summary.js';
import { bucketIndexSql, CURRENT, NONE, PAID, UNKNOWN, splitRecoveryRows, type ContactAgg, type DashboardQuery, type PromiseAgg, type GroupRow, type RecoveryRows, type RollCell } from './dashboard-sql.js';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Days overdue on `day` by the one aging rule over `cases c` (placed: its placement day; ended: the day it left collection or NULL). */
export const daysOnSql = (day: string, d0 = 'c.days_overdue', placed = 'placed', ended = 'ended') =>
  `${d0} + max(0, CAST(julianday(CASE WHEN ${ended} IS NOT NULL AND ${ended} < ${day} THEN ${ended} ELSE ${day} END) - julianday(${placed}) AS INTEGER))`;

export function dashboardFullRepo(db: Db) {
  return {
    /** Recovery per lender, batch, bucket, collector and stage, the totals, and the roll matrix: one pass over the cases. */
    recovery(q: DashboardQuery): { groups: GroupRow[]; roll: RollCell[] } {
      const codes = q.buckets.map((b) => b.code);
      const startBucket = bucketIndexSql(daysOnSql('@from'), q.buckets);
      const endBucket = bucketIndexSql(daysOnSql('@to'), q.buckets);
      const bucketIndex = `CASE c.bucket ${codes.map((code, i) => `WHEN ${quote(code)} THEN ${i}`).join(' ')} ELSE ${UNKNOWN} END`;
      const stageIndex = `CASE c.stage ${STAGES.map((st, i) => `WHEN ${quote(st)} THEN ${i}`).join(' ')} ELSE ${UNKNOWN} END`;
      // Each case's group packed into one integer (batch, collector, bucket, stage, bucket at the period
      // start, where it ended) and added up in a keyed temp table as the cases stream by.
      const fill = `
        WITH paid AS (
          -- Net of reversals (a reversal carries the reversed payment's date and minus its amount).
          SELECT case_id, sum(CASE WHEN paid_on <= @to THEN amount_fen ELSE 0 END) AS fen FROM payments WHERE paid_on >= @from GROUP BY case_id
        ), bb AS MATERIALIZED (
          SELECT id, lender_id, placement_date FROM batches WHERE @lender IS NULL OR lender_id = @lender
        ), cc AS (
          SELECT c.*, coalesce(c.placed_on, bb.placement_date) AS placed, nullif(${endedSql('c.status', 'c.stage', 'c.id')}, '') AS ended
          FROM cases c CROSS JOIN bb ON bb.id = c.batch_id
        )
        INSERT INTO temp.dashboard_groups (k, cases, placed, recovered, paying)
        SELECT (c.batch_id << 40) | (coalesce(ca.collector_id, 0) << 16) | (${bucketIndex} << 12) | (${stageIndex} << 8)
               -- Roll: cases placed by the period start with a day count, not paid off before it (settled,
               -- and no payment since the start); they end paid, or in the bucket their days reach.
               | ((CASE WHEN c.placed <= @from AND c.days_overdue IS NOT NULL AND NOT (c.status = 'settled' AND p.case_id IS NULL)
                        THEN ${startBucket} ELSE ${NONE} END) << 4)
               | CASE WHEN coalesce(p.fen, 0) > 0 THEN ${PAID} ELSE ${endBucket} END,
               1, coalesce(c.placement_amount_fen, c.overdue_amount_fen), coalesce(p.fen, 0), coalesce(p.fen, 0) > 0
        FROM cc c LEFT JOIN case_assignments ca ON ca.case_id = c.id LEFT JOIN paid p ON p.case_id = c.id
        WHERE c.placed <= @to
        ON CONFLICT (k) DO UPDATE SET cases = cases + 1, placed = placed + excluded.placed, recovered = recovered + excluded.recovered, paying = paying + excluded.paying`;
      const sql = `
        WITH g AS (
          SELECT k >> 40 AS batch_id, (k >> 16) & 16777215 AS collector_id, (k >> 12) & 15 AS bucket, (k >> 8) & 15 AS stage,
                 (k >> 4) & 15 AS start_bucket, k & 15 AS end_state, cases, placed, recovered, paying
          FROM temp.dashboard_groups
        )
        SELECT 'total' AS dim, NULL AS k, NULL AS label, sum(cases) AS cases, sum(placed) AS placed, sum(recovered) AS recovered, sum(paying) AS paying FROM g
        UNION ALL
        SELECT 'lender', CAST(b.lender_id AS TEXT), l.name, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g JOIN batches b ON b.id = g.batch_id JOIN lenders l ON l.id = b.lender_id GROUP BY b.lender_id
        UNION ALL
        SELECT 'batch', CAST(g.batch_id AS TEXT), b.batch_no, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g JOIN batches b ON b.id = g.batch_id GROUP BY g.batch_id
        UNION ALL
        SELECT 'bucket', CAST(bucket AS TEXT), NULL, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g GROUP BY bucket
        UNION ALL
        SELECT 'collector', CASE WHEN g.collector_id = 0 THEN NULL ELSE CAST(g.collector_id AS TEXT) END, u.display_name, sum(cases), sum(placed), sum(recovered), sum(paying)
          FROM g LEFT JOIN users u ON u.id = g.collector_id GROUP BY g.collector_id
        UNION ALL
        SELECT 'stage', CAST(stage AS TEXT), NULL, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g GROUP BY stage
        UNION ALL
        SELECT 'roll', CAST(start_bucket AS TEXT), CAST(end_state AS TEXT), sum(cases), 0, 0, 0 FROM g WHERE start_bucket <> ${NONE} GROUP BY start_bucket, end_state`;
      db.exec('CREATE TEMP TABLE IF NOT EXISTS dashboard_groups (k INTEGER PRIMARY KEY, cases INTEGER, placed INTEGER, recovered INTEGER, paying INTEGER)');
      let rows: RecoveryRows;
      try {
        db.prepare(fill).run({ from: q.from, to: q.to, lender: q.lenderId });
        rows = db.prepare(sql).all() as RecoveryRows;
      } finally {
        db.exec('DELETE FROM temp.dashboard_groups');
      }
      const bucketName = (i: string | null) => codes[Number(i)] ?? '?';
      return splitRecoveryRows(
        rows.map((r) => (r.dim === 'bucket' ? { ...r, k: bucketName(r.k) } : r.dim === 'stage' ? { ...r, k: STAGES[Number(r.k)] ?? '?' } : r.dim === 'roll' ? { ...r, k: bucketName(r.k), label: Number(r.label) === PAID ? 'paid' : bucketName(r.label) } : r)),
      );
    },

    /** Promises due in the period, per collector who made them, judged from the contact log and the payments. */
    promises(q: DashboardQuery): PromiseAgg[] {
      // One case lookup per promise due (thousands), not the lender's whole case list built first: with the
      // store's statistics the planner otherwise chose a plan that took 40 s at 1M cases.
      const lender = q.lenderId === null ? '' : 'AND EXISTS (SELECT 1 FROM cases c WHERE c.id = a.case_id AND c.lender_id = @lender)';
      const sql = `
        WITH RECURSIVE rec(collector_id, case_id, amount, made, due, n, cnt, every, first) AS (
          -- A recurring promise is one promise per date (n of cnt), each kept by what was paid after the
          -- one before; a date on the 29th–31st falls back to the month's last day, as promises.list does.
          SELECT a.collector_id, a.case_id, a.promise_amount_fen, date(a.started_at, @dayMod), a.promise_date, 1, a.promise_count,
                 coalesce(a.promise_every_months, 1), a.promise_date
          FROM contact_attempts a
          WHERE a.promise_count IS NOT NULL AND a.promise_date <= @to ${lender} AND ${CURRENT}
          UNION ALL
          SELECT collector_id, case_id, amount, date(due, '+1 day'),
                 min(date(first, 'start of month', '+' || (n * every) || ' months', '+' || (CAST(strftime('%d', first) AS INTEGER) - 1) || ' days'),
                     date(first, 'start of month', '+' || (n * every + 1) || ' months', '-1 day')),
                 n + 1, cnt, every, first
          FROM rec WHERE n < cnt AND due <= @to
        ), pr AS (
          SELECT a.collector_id, a.promise_amount_fen AS amount, a.promise_date AS due,
            -- What was paid from the day the promise was made (the agency's day) to its date.
            (SELECT coalesce(sum(p.amount_fen), 0) FROM payments p WHERE p.case_id = a.case_id AND p.paid_on BETWEEN date(a.started_at, @dayMod) AND a.promise_date) AS paid
          FROM contact_attempts a INDEXED BY contact_attempts_promise_date
          WHERE a.promise_amount_fen IS NOT NULL AND a.promise_count IS NULL AND a.promise_date BETWEEN @from AND @to ${lender} AND ${CURRENT}
          UNION ALL
          SELECT r.collector_id, r.amount, r.due, (SELECT coalesce(sum(p.amount_fen), 0) FROM payments p WHERE p.case_id = r.case_id AND p.paid_on BETWEEN r.made AND r.due)
          FROM rec r WHERE r.due BETWEEN @from AND @to
        ), st AS (
          SELECT collector_id, amount, paid, CASE WHEN paid >= amount THEN 'kept' WHEN due >= @today THEN 'pending' WHEN paid > 0 THEN 'partly' ELSE 'broken' END AS state FROM pr
        )
        SELECT CAST(st.collector_id AS TEXT) AS k, u.display_name AS label, count(*) AS made, sum(state = 'kept') AS kept, sum(state = 'partly') AS partly,
               sum(state = 'broken') AS broken, sum(state = 'pending') AS pending, sum(amount) AS promised, sum(max(0, min(paid, amount))) AS paid
        FROM st JOIN users u ON u.id = st.collector_id GROUP BY st.collector_id ORDER BY u.display_name`;
      return db.prepare(sql).all({ from: q.from, to: q.to, today: q.today, dayMod: DAY_MOD, ...(q.lenderId === null ? {} : { lender: q.lenderId }) }) as PromiseAgg[];
    },

    /** Calls and field visits to the borrower in the period, per collector, and how many connected: from the contact log. */
    contact(q: DashboardQuery): ContactAgg[] {
      const lender = q.lenderId === null ? '' : 'AND a.case_id IN (SELECT id FROM cases WHERE lender_id = @lender)';
      const sql = `
        SELECT CAST(a.collector_id AS TEXT) AS k, u.display_name AS label, count(*) AS attempts,
               sum(a.outcome IN (SELECT value FROM json_each(@codes))) AS connected
        FROM contact_attempts a INDEXED BY contact_attempts_started JOIN users u ON u.id = a.collector_id
        WHERE a.started_at >= @fromIso AND a.started_at < @toIso AND a.party = 'borrower' AND a.channel IN ('phone', 'field_visit') ${lender} AND ${CURRENT}
        GROUP BY a.collector_id ORDER BY u.display_name`;
      return db.prepare(sql).all({ fromIso: q.fromIso, toIso: q.toIso, codes: JSON.stringify(q.connected), ...(q.lenderId === null ? {} : { lender: q.lenderId }) }) as ContactAgg[];
    },
  };
}
