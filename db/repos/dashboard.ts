// The managers' dashboard in SQL: every figure is aggregated in the store (GROUP BY), never in JS over
// the rows. One pass over the cases fills a small grouped table (lender × batch × bucket × collector ×
// stage × bucket at the period start × where it ended), which the per-dimension figures roll up; promises
// and contact attempts are grouped per collector in one pass each.
import type { Db } from '../open.js';
import type { Bucket } from '../../shared/domain/placement/buckets.js';

export interface DashboardQuery {
  from: string;
  to: string;
  /** The period as instants (Asia/Shanghai days): [fromIso, toIso). */
  fromIso: string;
  toIso: string;
  lenderId: number | null;
  /** Today (promises due today or later are pending). */
  today: string;
  /** Outcome codes of the "connected" class. */
  connected: readonly string[];
  buckets: readonly Bucket[];
}

export interface GroupRow {
  dim: 'lender' | 'batch' | 'bucket' | 'collector' | 'stage' | 'total';
  k: string | null;
  label: string | null;
  cases: number;
  placed: number;
  recovered: number;
  paying: number;
}
export interface RollCell {
  start: string;
  end: string;
  cases: number;
}
export interface PromiseAgg {
  k: string | null;
  label: string | null;
  made: number;
  kept: number;
  partly: number;
  broken: number;
  pending: number;
  promised: number;
  paid: number;
}
export interface ContactAgg {
  k: string | null;
  label: string | null;
  attempts: number;
  connected: number;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** SQL for the bucket of a day count (negative counts as 0), from a bucket table. */
export function bucketSql(days: string, buckets: readonly Bucket[]): string {
  const arms = buckets.map((b) => {
    const min = Math.trunc(b.minDays);
    const cond = b.maxDays === null ? `max(${days}, 0) >= ${min}` : `max(${days}, 0) BETWEEN ${min} AND ${Math.trunc(b.maxDays)}`;
    return `WHEN ${cond} THEN ${quote(b.code)}`;
  });
  return `CASE ${arms.join(' ')} ELSE '?' END`;
}

// An entry a later one corrects no longer counts; its correction counts instead.
const CURRENT = 'NOT EXISTS (SELECT 1 FROM contact_attempts x WHERE x.corrects_id = a.id)';

export function dashboardRepo(db: Db) {
  return {
    /** Recovery per lender, batch, bucket, collector and stage, the totals, and the roll matrix: one pass over the cases. */
    recovery(q: DashboardQuery): { groups: GroupRow[]; roll: RollCell[] } {
      const startBucket = bucketSql('c.days_overdue + bb.to_start', q.buckets);
      const endBucket = bucketSql('c.days_overdue + bb.to_end', q.buckets);
      const sql = `
        WITH paid AS (
          -- Net of reversals (a reversal carries the reversed payment's date and minus its amount).
          SELECT case_id, sum(CASE WHEN paid_on <= @to THEN amount_fen ELSE 0 END) AS fen FROM payments WHERE paid_on >= @from GROUP BY case_id
        ), bb AS (
          SELECT id, placement_date, CAST(julianday(@from) - julianday(placement_date) AS INTEGER) AS to_start,
                 CAST(julianday(@to) - julianday(placement_date) AS INTEGER) AS to_end
          FROM batches WHERE placement_date <= @to AND (@lender IS NULL OR lender_id = @lender)
        ), g AS MATERIALIZED (
          SELECT c.lender_id, c.batch_id, coalesce(c.bucket, '?') AS bucket, ca.collector_id, c.stage,
                 -- Roll: cases placed by the period start with a day count, not paid off before it (settled, and
                 -- no payment since the start).
                 CASE WHEN bb.placement_date <= @from AND c.days_overdue IS NOT NULL
                        AND NOT (c.status = 'settled' AND p.case_id IS NULL) THEN ${startBucket} END AS start_bucket,
                 CASE WHEN coalesce(p.fen, 0) > 0 THEN 'paid' ELSE ${endBucket} END AS end_state,
                 count(*) AS cases, sum(coalesce(c.placement_amount_fen, c.overdue_amount_fen)) AS placed,
                 sum(coalesce(p.fen, 0)) AS recovered, sum(coalesce(p.fen, 0) > 0) AS paying
          FROM bb JOIN cases c ON c.batch_id = bb.id
            LEFT JOIN case_assignments ca ON ca.case_id = c.id
            LEFT JOIN paid p ON p.case_id = c.id
          GROUP BY 1, 2, 3, 4, 5, 6, 7
        )
        SELECT 'total' AS dim, NULL AS k, NULL AS label, sum(cases) AS cases, sum(placed) AS placed, sum(recovered) AS recovered, sum(paying) AS paying FROM g
        UNION ALL
        SELECT 'lender', CAST(g.lender_id AS TEXT), l.name, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g JOIN lenders l ON l.id = g.lender_id GROUP BY g.lender_id
        UNION ALL
        SELECT 'batch', CAST(g.batch_id AS TEXT), b.batch_no, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g JOIN batches b ON b.id = g.batch_id GROUP BY g.batch_id
        UNION ALL
        SELECT 'bucket', bucket, bucket, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g GROUP BY bucket
        UNION ALL
        SELECT 'collector', CAST(g.collector_id AS TEXT), u.display_name, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g LEFT JOIN users u ON u.id = g.collector_id GROUP BY g.collector_id
        UNION ALL
        SELECT 'stage', stage, stage, sum(cases), sum(placed), sum(recovered), sum(paying) FROM g GROUP BY stage
        UNION ALL
        SELECT 'roll', start_bucket, end_state, sum(cases), 0, 0, 0 FROM g WHERE start_bucket IS NOT NULL GROUP BY start_bucket, end_state`;
      const rows = db.prepare(sql).all({ from: q.from, to: q.to, lender: q.lenderId }) as (Omit<GroupRow, 'dim'> & { dim: GroupRow['dim'] | 'roll' })[];
      const groups: GroupRow[] = [];
      const roll: RollCell[] = [];
      for (const r of rows) {
        if (r.dim === 'roll') roll.push({ start: r.k!, end: r.label!, cases: r.cases });
        else if (r.dim !== 'total' || r.cases !== null) groups.push({ ...r, dim: r.dim, cases: r.cases ?? 0, placed: r.placed ?? 0, recovered: r.recovered ?? 0, paying: r.paying ?? 0 });
      }
      return { groups, roll };
    },

    /** Promises due in the period, per collector who made them: kept, partly kept, broken or pending, judged from the payments. */
    promises(q: DashboardQuery): PromiseAgg[] {
      const sql = `
        WITH pr AS (
          SELECT a.collector_id, a.promise_amount_fen AS amount, a.promise_date AS due,
            -- What was paid from the day the promise was made (China time, UTC+8 all year) to its date.
            (SELECT coalesce(sum(p.amount_fen), 0) FROM payments p WHERE p.case_id = a.case_id AND p.paid_on BETWEEN date(a.started_at, '+8 hours') AND a.promise_date) AS paid
          FROM contact_attempts a JOIN cases c ON c.id = a.case_id
          WHERE a.promise_amount_fen IS NOT NULL AND a.promise_date BETWEEN @from AND @to AND (@lender IS NULL OR c.lender_id = @lender) AND ${CURRENT}
        ), st AS (
          SELECT collector_id, amount, paid, CASE WHEN paid >= amount THEN 'kept' WHEN due >= @today THEN 'pending' WHEN paid > 0 THEN 'partly' ELSE 'broken' END AS state FROM pr
        )
        SELECT CAST(st.collector_id AS TEXT) AS k, u.display_name AS label, count(*) AS made, sum(state = 'kept') AS kept, sum(state = 'partly') AS partly,
               sum(state = 'broken') AS broken, sum(state = 'pending') AS pending, sum(amount) AS promised, sum(max(0, min(paid, amount))) AS paid
        FROM st JOIN users u ON u.id = st.collector_id GROUP BY st.collector_id ORDER BY u.display_name`;
      return db.prepare(sql).all({ from: q.from, to: q.to, lender: q.lenderId, today: q.today }) as PromiseAgg[];
    },

    /** Calls and field visits to the borrower in the period, per collector, and how many connected. */
    contact(q: DashboardQuery): ContactAgg[] {
      const lender = q.lenderId === null ? '' : 'AND a.case_id IN (SELECT id FROM cases WHERE lender_id = @lender)';
      const sql = `
        SELECT CAST(a.collector_id AS TEXT) AS k, u.display_name AS label, count(*) AS attempts,
               sum(a.outcome IN (SELECT value FROM json_each(@codes))) AS connected
        FROM contact_attempts a JOIN users u ON u.id = a.collector_id
        WHERE a.started_at >= @fromIso AND a.started_at < @toIso AND a.party = 'borrower' AND a.channel IN ('phone', 'field_visit') ${lender} AND ${CURRENT}
        GROUP BY a.collector_id ORDER BY u.display_name`;
      return db.prepare(sql).all({ fromIso: q.fromIso, toIso: q.toIso, codes: JSON.stringify(q.connected), ...(q.lenderId === null ? {} : { lender: q.lenderId }) }) as ContactAgg[];
    },
  };
}
export type DashboardRepo = ReturnType<typeof dashboardRepo>;
