// The managers' dashboard (dashboard.read: managers, admins, auditors). The store aggregates; this turns
// its groups into rows with rates. Definitions (README, "Dashboard"):
// - recovered: payments dated in the period, net of reversals; placed: the placement amount of the cases
//   placed by the period end; recovery rate = recovered / placed. A collector is the case's holder now.
// - promise kept rate: promises due in the period that were kept / those decided (kept, partly, broken).
// - right-party contact: calls and field visits to the borrower in the period whose outcome is of the
//   agency's "connected" class (the configured outcome codes).
// - roll rate: of the cases in bucket X at the period start (days overdue by the one aging rule: from the
//   case's own placement day, stopping on the day a finished case left), the share that paid nothing in the
//   period and were in a later bucket by its end.
// The figures come from summary tables the store keeps as it is written (migration 017, db/repos/dashboard.ts);
// db/repos/dashboard-full.ts recomputes them from every case (the reference the tests compare with).
import { ApiFailure } from '../../shared/contract/failure.js';
import type { Dashboard, RecoveryRow } from '../../shared/contract/dashboard.js';
import { DEFAULT_BUCKETS } from '../../shared/domain/placement/buckets.js';
import { STAGES } from '../../shared/domain/casework/stages.js';
import type { Handler } from '../context.js';
import type { GroupRow } from '../../db/repos/dashboard.js';
import { today } from '../money/ledger.js';
import { dayStartIso } from '../../shared/domain/casework/today.js';
import { addDays } from '../../shared/domain/money/plans.js';
import { outcomeClasses } from './outcomes.js';

/** n / d as a percentage with 2 decimals (integer arithmetic, half up), null when d is 0. */
export function pct(n: number, d: number): number | null {
  if (d <= 0) return null;
  return Math.round((n * 10_000) / d) / 100;
}

const DAY = 86_400_000;
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);

const toRow = (g: GroupRow, label: string): RecoveryRow => ({
  key: g.k ?? '',
  label,
  cases: g.cases,
  placedFen: g.placed,
  recoveredFen: g.recovered,
  payingCases: g.paying,
  recoveryPct: pct(g.recovered, g.placed),
});

const get: Handler<'dashboard.get'> = (input, ctx) => {
  const started = performance.now();
  const day = today(ctx);
  const to = input.to ?? day;
  const from = input.from ?? `${to.slice(0, 8)}01`;
  if (from > to) throw new ApiFailure('BAD_INPUT', `The period starts (${from}) after it ends (${to}).`);
  if (to > day) throw new ApiFailure('BAD_INPUT', `The period cannot end after today (${day}): nothing is known about ${to} yet.`);
  if (input.lenderId !== undefined && !ctx.store.repos.lenders.byId(input.lenderId)) throw new ApiFailure('NOT_FOUND', `No lender with id ${input.lenderId}.`);
  const q = {
    from,
    to,
    fromIso: dayStartIso(from),
    toIso: dayStartIso(addDays(to, 1)),
    lenderId: input.lenderId ?? null,
    today: day,
    connected: outcomeClasses(ctx).connected,
    buckets: DEFAULT_BUCKETS,
  };
  const repo = ctx.store.repos.dashboard;
  const { groups, roll } = repo.recovery(q);
  const of = (dim: GroupRow['dim']) => groups.filter((g) => g.dim === dim);
  const total = of('total')[0];
  const bucketOrder = (code: string) => {
    const i = q.buckets.findIndex((b) => b.code === code);
    return i < 0 ? q.buckets.length : i;
  };
  const byAmount = (a: RecoveryRow, b: RecoveryRow) => b.recoveredFen - a.recoveredFen || b.placedFen - a.placedFen || a.label.localeCompare(b.label);

  const promises = repo.promises(q).map((p) => ({
    key: p.k ?? '',
    label: p.label ?? '',
    made: p.made,
    kept: p.kept,
    partlyKept: p.partly,
    broken: p.broken,
    pending: p.pending,
    promisedFen: p.promised,
    paidFen: p.paid,
    keptPct: pct(p.kept, p.kept + p.partly + p.broken),
  }));
  const sumOf = <T extends Record<string, unknown>>(rows: T[], k: keyof T) => rows.reduce((s, r) => s + (r[k] as number), 0);
  const pTotals = { made: sumOf(promises, 'made'), kept: sumOf(promises, 'kept'), partlyKept: sumOf(promises, 'partlyKept'), broken: sumOf(promises, 'broken'), pending: sumOf(promises, 'pending'), promisedFen: sumOf(promises, 'promisedFen'), paidFen: sumOf(promises, 'paidFen') };

  const contact = repo.contact(q).map((c) => ({ key: c.k ?? '', label: c.label ?? '', attempts: c.attempts, connected: c.connected, rpcPct: pct(c.connected, c.attempts) }));
  const cAttempts = sumOf(contact, 'attempts');
  const cConnected = sumOf(contact, 'connected');

  const starts = [...new Set(roll.map((r) => r.start))].sort((a, b) => bucketOrder(a) - bucketOrder(b));
  const rollRows = starts.map((bucket) => {
    const cells = roll.filter((r) => r.start === bucket);
    const n = (f: (end: string) => boolean) => cells.filter((c) => f(c.end)).reduce((s, c) => s + c.cases, 0);
    const cohort = n(() => true);
    const paid = n((e) => e === 'paid');
    const stayed = n((e) => e === bucket);
    const rolled = n((e) => e !== 'paid' && bucketOrder(e) > bucketOrder(bucket));
    const ends = cells.filter((c) => c.end !== 'paid').sort((a, b) => bucketOrder(a.end) - bucketOrder(b.end));
    return { bucket, cohort, paid, stayed, rolled, to: ends.map((c) => ({ bucket: c.end, cases: c.cases })), rollPct: pct(rolled, cohort) };
  });

  const stageOrder = (s: string) => (STAGES as readonly string[]).indexOf(s);
  const out: Dashboard = {
    from,
    to,
    lenderId: q.lenderId,
    periodDays: daysBetween(from, to) + 1,
    totals: total ? toRow(total, '') : { key: '', label: '', cases: 0, placedFen: 0, recoveredFen: 0, payingCases: 0, recoveryPct: null },
    recovery: {
      byLender: of('lender').map((g) => toRow(g, g.label ?? '')).sort(byAmount),
      byBatch: of('batch').map((g) => toRow(g, g.label ?? '')).sort(byAmount),
      byBucket: of('bucket').map((g) => toRow(g, g.label ?? '')).sort((a, b) => bucketOrder(a.key) - bucketOrder(b.key)),
      // Cases nobody holds are the pool ('' key, labelled by the UI).
      byCollector: of('collector').map((g) => toRow(g, g.label ?? '')).sort(byAmount),
    },
    promises: { totals: { key: '', label: '', ...pTotals, keptPct: pct(pTotals.kept, pTotals.kept + pTotals.partlyKept + pTotals.broken) }, byCollector: promises },
    contact: { totals: { key: '', label: '', attempts: cAttempts, connected: cConnected, rpcPct: pct(cConnected, cAttempts) }, byCollector: contact },
    roll: rollRows,
    stages: of('stage')
      .map((g) => ({ stage: g.k ?? '', cases: g.cases, placedFen: g.placed }))
      .sort((a, b) => stageOrder(a.stage) - stageOrder(b.stage)),
    tookMs: 0,
  };
  out.tookMs = Math.round((performance.now() - started) * 10) / 10;
  return out;
};

export const dashboardHandlers = { 'dashboard.get': get };
