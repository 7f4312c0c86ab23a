// What the dashboard's two ways of computing (db/repos/dashboard.ts from the summary tables,
// db/repos/dashboard-full.ts from every case) share: the query, the row shapes, the bucket arithmetic.
import type { Bucket } from '../../shared/domain/placement/buckets.js';

export interface DashboardQuery {
  from: string;
  to: string;
  /** The period as instants (the agency's days): [fromIso, toIso). */
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

// Small codes for a bucket's place: UNKNOWN beyond the table, PAID for a case that paid in the period,
// NONE for a case outside the roll cohort.
export const UNKNOWN = 13;
export const PAID = 14;
export const NONE = 15;

/** SQL for the place in the bucket table of a day count (negative counts as 0). */
export function bucketIndexSql(days: string, buckets: readonly Bucket[]): string {
  if (buckets.length > UNKNOWN) throw new Error(`at most ${UNKNOWN} buckets`);
  const arms = buckets.map((b, i) => {
    const min = Math.trunc(b.minDays);
    const cond = b.maxDays === null ? `max(${days}, 0) >= ${min}` : `max(${days}, 0) BETWEEN ${min} AND ${Math.trunc(b.maxDays)}`;
    return `WHEN ${cond} THEN ${i}`;
  });
  return `CASE ${arms.join(' ')} ELSE ${UNKNOWN} END`;
}

// An entry a later one corrects no longer counts; its correction counts instead.
export const CURRENT = 'NOT EXISTS (SELECT 1 FROM contact_attempts x WHERE x.corrects_id = a.id)';

/** Rows of the recovery rollup: one per dimension value; 'roll' rows carry (start, end) as (k, label). Bucket and stage keys are names. */
export type RecoveryRows = (Omit<GroupRow, 'dim'> & { dim: GroupRow['dim'] | 'roll' })[];

export function splitRecoveryRows(rows: RecoveryRows): { groups: GroupRow[]; roll: RollCell[] } {
  const groups: GroupRow[] = [];
  const roll: RollCell[] = [];
  for (const r of rows) {
    if (r.dim === 'roll') roll.push({ start: r.k ?? '?', end: r.label ?? '?', cases: r.cases });
    else if (r.dim !== 'total' || r.cases !== null) {
      const name = r.dim === 'bucket' || r.dim === 'stage' ? r.k : null;
      groups.push({ ...r, dim: r.dim, k: name ?? r.k, label: name ?? r.label, cases: r.cases ?? 0, placed: r.placed ?? 0, recovered: r.recovered ?? 0, paying: r.paying ?? 0 });
    }
  }
  return { groups, roll };
}
