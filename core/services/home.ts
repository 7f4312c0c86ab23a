// The manager's home (home.summary) and monthly recovery targets (targets.list, targets.set).
// Every figure is a count or a sum from an index (db/repos/home.ts); broken promises come from the
// dashboard's own promise judgement, and "recovered" is the dashboard's definition, so the home page,
// the targets and the dashboard never disagree.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { TargetView } from '../../shared/contract/home.js';
import { addDays } from '../../shared/domain/money/plans.js';
import { DEFAULT_BUCKETS } from '../../shared/domain/placement/buckets.js';
import { agencyTarget, monthDays, monthOf, progressPct, recoveredFor, weekEnd } from '../../shared/domain/targets/progress.js';
import type { Ctx, Handler } from '../context.js';
import { today } from '../money/ledger.js';
import { dayStartIso } from '../../shared/domain/casework/today.js';

export const TERM_END_SETTING = 'termEndWarnDays';
export const DEFAULT_TERM_END_DAYS = 14;
export const termEndWarnDays = (ctx: Ctx): number => ctx.store.repos.meta.getSetting<number>(TERM_END_SETTING) ?? DEFAULT_TERM_END_DAYS;

/** The month's first day and the last day counted (today while the month runs); null for a month ahead. */
function monthSpan(ctx: Ctx, month: string): { from: string; to: string } | null {
  const day = today(ctx);
  const { from, to: end } = monthDays(month);
  return from > day ? null : { from, to: end < day ? end : day };
}

/** A month's targets with what each subject recovered in it (to today when the month is still running). */
function monthTargets(ctx: Ctx, month: string) {
  const r = ctx.store.repos;
  const span = monthSpan(ctx, month);
  const rows = r.home.targets(month);
  // Per collector only when a collector's or a team's target needs it: the agency's total reads the index alone.
  const perSubject = rows.some((t) => t.collector_id !== null || t.team_id !== null);
  const recovered = span && perSubject ? r.home.recoveredBy(span.from, span.to).map((x) => ({ collectorId: x.collector_id, teamId: x.team_id, fen: x.fen })) : [];
  const total = span ? r.home.recoveredTotal(span.from, span.to) : 0;
  const targets: TargetView[] = rows.map((t) => {
    const got = t.collector_id === null && t.team_id === null ? total : recoveredFor({ collectorId: t.collector_id, teamId: t.team_id }, recovered);
    return {
      collectorId: t.collector_id,
      collectorName: t.collector_name,
      teamId: t.team_id,
      teamName: t.team_name,
      amountFen: t.amount_fen,
      recoveredFen: got,
      pct: progressPct(got, t.amount_fen),
      setBy: t.set_by_name,
      setAt: t.set_at,
    };
  });
  const agency = agencyTarget(rows.map((t) => ({ collectorId: t.collector_id, teamId: t.team_id, amountFen: t.amount_fen })));
  return { month, agencyTargetFen: agency, recoveredFen: total, agencyPct: progressPct(total, agency), targets };
}

/** The agency's line only (the home page): no per-collector join. */
function agencyMonth(ctx: Ctx, month: string) {
  const r = ctx.store.repos;
  const span = monthSpan(ctx, month);
  const total = span ? r.home.recoveredTotal(span.from, span.to) : 0;
  const target = agencyTarget(r.home.targets(month).map((t) => ({ collectorId: t.collector_id, teamId: t.team_id, amountFen: t.amount_fen })));
  return { month, recoveredFen: total, agencyTargetFen: target, agencyPct: progressPct(total, target) };
}

const summary: Handler<'home.summary'> = (_input, ctx) => {
  const started = performance.now();
  const r = ctx.store.repos;
  const day = today(ctx);
  const days = termEndWarnDays(ctx);
  const sunday = weekEnd(day);
  // Broken = due in the 7 days before today and not paid (partly kept ones are followed up on the Plans page too, but are not "broken").
  const weekAgo = addDays(day, -7);
  const yesterday = addDays(day, -1);
  const promises = r.dashboard.promises({
    from: weekAgo,
    to: yesterday,
    fromIso: dayStartIso(weekAgo),
    toIso: dayStartIso(day),
    lenderId: null,
    today: day,
    connected: [],
    buckets: DEFAULT_BUCKETS,
  });
  const month = agencyMonth(ctx, monthOf(day));
  const todayFen = r.home.recoveredTotal(day, day);
  return {
    today: day,
    plansAwaiting: r.home.plansAwaiting(),
    brokenPromises7d: promises.reduce((s, p) => s + p.broken, 0),
    legalDueThisWeek: r.home.legalDueBy(sunday),
    weekEnd: sunday,
    complaints: r.home.complaints(ctx.now().toISOString()),
    termEnding: r.home.termEndingBetween(day, addDays(day, days)),
    termEndDays: days,
    recoveredTodayFen: todayFen,
    month: month.month,
    recoveredMonthFen: month.recoveredFen,
    monthTargetFen: month.agencyTargetFen,
    monthPct: month.agencyPct,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
};

const list: Handler<'targets.list'> = (input, ctx) => monthTargets(ctx, input.month ?? monthOf(today(ctx)));

const set: Handler<'targets.set'> = (input, ctx) => {
  const r = ctx.store.repos;
  const collectorId = input.collectorId ?? null;
  const teamId = input.teamId ?? null;
  if (collectorId !== null && teamId !== null) throw new ApiFailure('BAD_INPUT', 'A target is for a collector, a team or the agency, not a collector and a team at once.');
  if (collectorId !== null) {
    const u = r.users.byId(collectorId);
    if (!u || u.role !== 'collector') throw new ApiFailure('NOT_FOUND', `No collector with id ${collectorId}.`);
  }
  if (teamId !== null && !r.teams.byId(teamId)) throw new ApiFailure('NOT_FOUND', `No team with id ${teamId}.`);
  r.db.transaction(() => {
    r.home.setTarget({ month: input.month, collectorId, teamId, amountFen: input.amountFen, setBy: ctx.user!.id, setAt: ctx.now().toISOString() });
    ctx.audit('targets.set', collectorId !== null ? 'user' : teamId !== null ? 'team' : 'agency', collectorId ?? teamId, { month: input.month, amountFen: input.amountFen });
  })();
  return { ok: true as const };
};

export const homeHandlers = { 'home.summary': summary, 'targets.list': list, 'targets.set': set };
