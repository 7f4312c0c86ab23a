// The managers' dashboard in SQL, from the summary tables the store keeps (migration 017): the cases and
// placed amounts per batch × holder × bucket × stage (dashboard_stock), the roll cohort per placement day ×
// days overdue × end day (dashboard_aging) and the contact log per day × collector × outcome
// (dashboard_contact), every promise date with what was paid towards it (dashboard_promises), and the
// few grouping columns of each case that ever paid (dashboard_payers); only the period's payments are read
// row by row (payments_day_case_amount), each paying case looked up in dashboard_payers. Every figure is aggregated in the
// store. db/repos/dashboard-full.ts computes the same from every case (the reference the tests compare with).
import type { Db } from '../open.js';
import { STAGES } from '../../shared/domain/casework/stages.js';
import { daysOnSql } from './dashboard-full.js';
import { bucketIndexSql, PAID, splitRecoveryRows, type ContactAgg, type DashboardQuery, type PromiseAgg, type RecoveryRows, type RollCell, type GroupRow } from './dashboard-sql.js';

export { bucketIndexSql, type ContactAgg, type DashboardQuery, type GroupRow, type PromiseAgg, type RollCell } from './dashboard-sql.js';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function dashboardRepo(db: Db) {
  return {
    /** Recovery per lender, batch, bucket, collector and stage, the totals, and the roll matrix. */
    recovery(q: DashboardQuery): { groups: GroupRow[]; roll: RollCell[] } {
      const codes = q.buckets.map((b) => b.code);
      const bucketIdx = (days: string) => bucketIndexSql(days, q.buckets);
      const bucketName = (col: string) => `CASE ${col} ${codes.map((c, i) => `WHEN ${i} THEN ${quote(c)}`).join(' ')} WHEN ${PAID} THEN 'paid' ELSE '?' END`;
      const known = (col: string, names: readonly string[]) => `CASE WHEN ${col} IN (${names.map(quote).join(', ')}) THEN ${col} ELSE '?' END`;
      const sql = `
        WITH bb AS MATERIALIZED (
          SELECT id, lender_id, placement_date FROM batches WHERE @lender IS NULL OR lender_id = @lender
        ), pc AS (
          -- The period's payments per case, net of reversals (a reversal carries its payment's date); a
          -- payment after the period end still tells that a settled case was not paid off before its start.
          SELECT case_id, sum(CASE WHEN paid_on <= @to THEN amount_fen ELSE 0 END) AS fen FROM payments INDEXED BY payments_day_case_amount WHERE paid_on >= @from GROUP BY case_id
        ), pk AS MATERIALIZED (
          SELECT d.batch_id, d.collector_id, d.bucket, d.stage, d.status, d.days_at_placement AS d0,
                 CASE d.placed_on WHEN '' THEN bb.placement_date ELSE d.placed_on END AS placed, nullif(d.ended_on, '') AS ended, pc.fen
          FROM pc CROSS JOIN dashboard_payers d ON d.case_id = pc.case_id CROSS JOIN bb ON bb.id = d.batch_id
        ), g AS MATERIALIZED (
          SELECT batch_id, collector_id, bucket, stage, sum(cases) AS cases, sum(placed) AS placed, sum(recovered) AS recovered, sum(paying) AS paying FROM (
            SELECT s.batch_id, s.collector_id, s.bucket, s.stage, s.cases, s.placed_fen AS placed, 0 AS recovered, 0 AS paying
            FROM dashboard_stock s JOIN bb ON bb.id = s.batch_id
            WHERE s.cases <> 0 AND (CASE s.placed_on WHEN '' THEN bb.placement_date ELSE s.placed_on END) <= @to
            UNION ALL
            SELECT batch_id, collector_id, bucket, stage, 0, 0, sum(fen), sum(fen > 0) FROM pk WHERE placed <= @to GROUP BY batch_id, collector_id, bucket, stage
          ) GROUP BY batch_id, collector_id, bucket, stage
        ), pa AS MATERIALIZED (
          -- Paying or settled cases of the roll cohort (placed by the period start, days overdue known),
          -- counted per ageing key first so that the bucket arithmetic runs on a few rows.
          SELECT placed, d0, ended, status = 'settled' AS settled, fen > 0 AS paid, count(*) AS n
          FROM pk WHERE placed <= @from AND d0 IS NOT NULL AND (status = 'settled' OR fen > 0) GROUP BY 1, 2, 3, 4, 5
        ), pr AS (
          SELECT ${bucketIdx(daysOnSql('@from', 'd0'))} AS start, ${bucketIdx(daysOnSql('@to', 'd0'))} AS fin, settled, paid, n FROM pa
        ), roll AS (
          SELECT start, fin, sum(n) AS n FROM (
            SELECT ${bucketIdx(daysOnSql('@from', 'a.days_at_placement', 'a.placed', 'a.ended'))} AS start,
                   ${bucketIdx(daysOnSql('@to', 'a.days_at_placement', 'a.placed', 'a.ended'))} AS fin, a.cases AS n
            FROM (SELECT CASE s.placed_on WHEN '' THEN bb.placement_date ELSE s.placed_on END AS placed, nullif(s.ended_on, '') AS ended, s.days_at_placement, s.cases
                  FROM dashboard_aging s JOIN bb ON bb.id = s.batch_id WHERE s.cases <> 0) a
            WHERE a.placed <= @from
            UNION ALL
            -- A settled case is in the cohort when it paid since the period start; a paying case ends "paid".
            SELECT start, CASE WHEN paid THEN ${PAID} ELSE fin END, n FROM pr WHERE settled
            UNION ALL
            SELECT start, fin, -n FROM pr WHERE NOT settled
            UNION ALL
            SELECT start, ${PAID}, n FROM pr WHERE NOT settled
          ) GROUP BY start, fin HAVING sum(n) <> 0
        )
        SELECT 'total' AS dim, NULL AS k, NULL AS label, sum(cases) AS cases, sum(placed) AS placed, sum(recovered) AS recovered, sum(paying) AS paying FROM g
        UNION ALL
        SELECT 'lender', CAST(b.lender_id AS TEXT), l.name, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g JOIN batches b ON b.id = g.batch_id JOIN lenders l ON l.id = b.lender_id GROUP BY b.lender_id
        UNION ALL
        SELECT 'batch', CAST(g.batch_id AS TEXT), b.batch_no, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g JOIN batches b ON b.id = g.batch_id GROUP BY g.batch_id
        UNION ALL
        SELECT 'bucket', ${known('bucket', codes)}, NULL, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g GROUP BY 2
        UNION ALL
        SELECT 'collector', CASE WHEN g.collector_id = 0 THEN NULL ELSE CAST(g.collector_id AS TEXT) END, u.display_name, sum(cases), sum(placed), sum(recovered), sum(paying)
          FROM g LEFT JOIN users u ON u.id = g.collector_id GROUP BY g.collector_id
        UNION ALL
        SELECT 'stage', ${known('stage', STAGES)}, NULL, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g GROUP BY 2
        UNION ALL
        SELECT 'roll', ${bucketName('start')}, ${bucketName('fin')}, n, 0, 0, 0 FROM roll`;
      return splitRecoveryRows(db.prepare(sql).all({ from: q.from, to: q.to, lender: q.lenderId }) as RecoveryRows);
    },

    /** Promises due in the period, per collector who made them: kept, partly kept, broken or pending (dashboard_promises). */
    promises(q: DashboardQuery): PromiseAgg[] {
      const sql = `
        WITH st AS (
          SELECT collector_id, amount_fen AS amount, paid_fen AS paid,
                 CASE WHEN paid_fen >= amount_fen THEN 'kept' WHEN due_on >= @today THEN 'pending' WHEN paid_fen > 0 THEN 'partly' ELSE 'broken' END AS state
          FROM dashboard_promises WHERE due_on BETWEEN @from AND @to AND (@lender IS NULL OR lender_id = @lender)
        )
        SELECT CAST(st.collector_id AS TEXT) AS k, u.display_name AS label, count(*) AS made, sum(state = 'kept') AS kept, sum(state = 'partly') AS partly,
               sum(state = 'broken') AS broken, sum(state = 'pending') AS pending, sum(amount) AS promised, sum(max(0, min(paid, amount))) AS paid
        FROM st JOIN users u ON u.id = st.collector_id GROUP BY st.collector_id ORDER BY u.display_name`;
      return db.prepare(sql).all({ from: q.from, to: q.to, today: q.today, lender: q.lenderId }) as PromiseAgg[];
    },

    /** Calls and field visits to the borrower in the period, per collector, and how many connected (dashboard_contact). */
    contact(q: DashboardQuery): ContactAgg[] {
      const sql = `
        SELECT CAST(d.collector_id AS TEXT) AS k, u.display_name AS label, sum(d.attempts) AS attempts,
               sum(CASE WHEN d.outcome IN (SELECT value FROM json_each(@codes)) THEN d.attempts ELSE 0 END) AS connected
        FROM dashboard_contact d JOIN users u ON u.id = d.collector_id
        WHERE d.day BETWEEN @from AND @to AND (@lender IS NULL OR d.lender_id = @lender)
        GROUP BY d.collector_id HAVING sum(d.attempts) > 0 ORDER BY u.display_name`;
      return db.prepare(sql).all({ from: q.from, to: q.to, lender: q.lenderId, codes: JSON.stringify(q.connected) }) as ContactAgg[];
    },
  };
}
export type DashboardRepo = ReturnType<typeof dashboardRepo>;
