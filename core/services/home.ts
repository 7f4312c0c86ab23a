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

export const TERM_END_SETTING = 'termEndWarnDays';
export const DEFAULT_TERM_END_DAYS = 14;
export const termEndWarnDays = (ctx: Ctx): number => ctx.store.repos.meta.getSetting<number>(TERM_END_SETTING) ?? DEFAULT_TERM_END_DAYS;

/** A month's targets with what each subject recovered in it (to today when the month is still running). */
function monthTargets(ctx: Ctx, month: string) {
  const r = ctx.store.repos;
  const day = today(ctx);
  const { from, to: end } = monthDays(month);
  const to = end < day ? end : day;
  const recovered = from > day ? [] : r.home.recoveredBy(from, to).map((x) => ({ collectorId: x.collector_id, teamId: x.team_id, fen: x.fen }));
  const rows = r.home.targets(month);
  const subjects = rows.map((t) => ({ collectorId: t.collector_id, teamId: t.team_id, amountFen: t.amount_fen }));
  const targets: TargetView[] = rows.map((t) => {
    const got = recoveredFor({ collectorId: t.collector_id, teamId: t.team_id }, recovered);
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
  const agency = agencyTarget(subjects);
  const total = recoveredFor({ collectorId: null, teamId: null }, recovered);
  return { month, agencyTargetFen: agency, recoveredFen: total, agencyPct: progressPct(total, agency), targets };
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
    fromIso: new Date(Date.parse(`${weekAgo}T00:00:00+08:00`)).toISOString(),
    toIso: new Date(Date.parse(`${day}T00:00:00+08:00`)).toISOString(),
    lenderId: null,
    today: day,
    connected: [],
    buckets: DEFAULT_BUCKETS,
  });
  const month = monthTargets(ctx, monthOf(day));
  const todayFen = r.home.recoveredBy(day, day).reduce((s, x) => s + x.fen, 0);
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
