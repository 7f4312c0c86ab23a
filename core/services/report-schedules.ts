// Report schedules: saved by managers, run when due — by the backend's own timer while the store is open
// (core/backend.ts), or on request. Each run exports the period the schedule covers as its creator (who
// must still be an active manager or admin), records the package and moves the next run on. A run missed
// while the app was closed happens once at the next chance; an error is kept on the schedule and the
// run tried again next time.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { ReportSchedule } from '../../shared/contract/report-schedules.js';
import { can } from '../../shared/domain/roles.js';
import { nextRunOn, periodOf, plusDays } from '../../shared/domain/reports/schedule.js';
import type { Ctx, Handler } from '../context.js';
import type { ScheduleRow } from '../../db/repos/report-schedules.js';
import { today } from '../money/ledger.js';
import { produceExport } from './reports.js';

const toSchedule = (s: ScheduleRow): ReportSchedule => ({
  id: s.id,
  lenderId: s.lender_id,
  lender: s.lender,
  name: s.name,
  every: s.every,
  weekday: s.weekday,
  monthDay: s.month_day,
  formats: JSON.parse(s.formats) as ('csv' | 'xlsx')[],
  zip: s.zip === 1,
  outDir: s.out_dir,
  active: s.active === 1,
  nextRunOn: s.next_run_on,
  lastRunOn: s.last_run_on,
  lastExport: s.last_export_id && s.last_export_path && s.last_export_at ? { id: s.last_export_id, path: s.last_export_path, generatedAt: s.last_export_at } : null,
  lastError: s.last_error,
  createdBy: s.created_by_name,
});

const list: Handler<'reportSchedules.list'> = ({ lenderId }, ctx) => ({ schedules: ctx.store.repos.reportSchedules.list(lenderId ?? null).map(toSchedule) });

const save: Handler<'reportSchedules.save'> = (input, ctx) => {
  const r = ctx.store.repos;
  if (!r.lenders.byId(input.lenderId)) throw new ApiFailure('NOT_FOUND', `No lender with id ${input.lenderId}.`);
  if (input.every === 'weekly' && !input.weekday) throw new ApiFailure('BAD_INPUT', 'A weekly schedule names its weekday (1 = Monday … 7 = Sunday).');
  if (input.every === 'monthly' && !input.monthDay) throw new ApiFailure('BAD_INPUT', 'A monthly schedule names its day of the month (1–28).');
  // A browser or a desk on the network downloads its packages: it must not make the store's computer write
  // into a folder it names (the team server, and calls through the listener the desktop app opened).
  if (input.outDir && (ctx.host === 'web' || ctx.host === 'server')) throw new ApiFailure('FORBIDDEN', 'Packages made from a browser or over the network go into the store’s exports folder only: download them.');
  const spec = { every: input.every, weekday: input.every === 'weekly' ? input.weekday! : null, monthDay: input.every === 'monthly' ? input.monthDay! : null };
  const row = {
    lender_id: input.lenderId,
    name: input.name,
    every: spec.every,
    weekday: spec.weekday,
    month_day: spec.monthDay,
    formats: JSON.stringify(input.formats),
    zip: input.zip ? 1 : 0,
    out_dir: input.outDir ?? null,
    active: input.active ? 1 : 0,
    // The first run is the next matching day after today: today's report would cover a period already past.
    next_run_on: nextRunOn(spec, plusDays(today(ctx), 1)),
  };
  const id = r.db.transaction(() => {
    let sid = input.id;
    if (sid !== undefined) {
      if (!r.reportSchedules.get(sid)) throw new ApiFailure('NOT_FOUND', `No schedule with id ${sid}.`);
      r.reportSchedules.update(sid, row);
    } else sid = r.reportSchedules.add(row, ctx.user!.id, ctx.now().toISOString());
    ctx.audit('reportSchedules.save', 'report_schedule', sid, { ...row, formats: input.formats });
    return sid;
  })();
  return toSchedule(r.reportSchedules.get(id)!);
};

const remove: Handler<'reportSchedules.delete'> = ({ id }, ctx) => {
  const r = ctx.store.repos;
  const deleted = r.db.transaction(() => {
    const ok = r.reportSchedules.delete(id);
    if (ok) ctx.audit('reportSchedules.delete', 'report_schedule', id, {});
    return ok;
  })();
  return { deleted };
};

let running: Promise<unknown> | null = null;

/** Produces every due package, one schedule at a time; never two runs at once. `asUser` builds the creator's context. */
export async function runDueSchedules(ctx: Ctx, asUser: (userId: number) => Ctx | null) {
  if (running) await running.catch(() => {});
  const work = (async () => {
    const produced: { scheduleId: number; exportId: number | null; path: string | null; error: string | null }[] = [];
    const day = today(ctx);
    for (const s of ctx.store.repos.reportSchedules.due(day)) {
      const next = nextRunOn({ every: s.every, weekday: s.weekday, monthDay: s.month_day }, plusDays(day, 1));
      const creator = asUser(s.created_by);
      if (!creator || !can(creator.user!.role, 'reports.export')) {
        const error = `${s.created_by_name} may no longer export reports: save the schedule again as a manager.`;
        ctx.store.repos.reportSchedules.ran(s.id, day, null, error, next);
        produced.push({ scheduleId: s.id, exportId: null, path: null, error });
        continue;
      }
      const period = periodOf(s.every, day);
      try {
        const out = await produceExport(creator, { lenderId: s.lender_id, from: period.from, to: period.to, formats: JSON.parse(s.formats) as ('csv' | 'xlsx')[], zip: s.zip === 1, outDir: s.out_dir ?? undefined }, s.id);
        ctx.store.repos.reportSchedules.ran(s.id, day, out.exportId, null, next);
        produced.push({ scheduleId: s.id, exportId: out.exportId, path: out.path, error: null });
      } catch (e) {
        // Kept on the schedule and tried again at the next tick (next run not moved).
        const error = e instanceof Error ? e.message : String(e);
        ctx.store.repos.reportSchedules.ran(s.id, s.last_run_on ?? day, s.last_export_id, error, s.next_run_on);
        produced.push({ scheduleId: s.id, exportId: null, path: null, error });
      }
    }
    return produced;
  })();
  running = work;
  try {
    return await work;
  } finally {
    if (running === work) running = null;
  }
}

export function scheduleHandlers(asUser: (ctx: Ctx, userId: number) => Ctx | null) {
  return {
    'reportSchedules.list': list,
    'reportSchedules.save': save,
    'reportSchedules.delete': remove,
    'reportSchedules.runDue': async (_input: Record<string, never>, ctx: Ctx) => ({ produced: await runDueSchedules(ctx, (id) => asUser(ctx, id)) }),
  };
}

/** The creator's context: the same store, host and clock, acting as that user (null if disabled). */
export function asUserCtx(ctx: Ctx, userId: number): Ctx | null {
  const user = ctx.store.repos.users.byId(userId);
  if (!user || user.status !== 'active') return null;
  const c: Ctx = { ...ctx, user, session: null };
  c.audit = (action, entity, entityId, detail, actor = user) => ctx.audit(action, entity, entityId, detail, actor);
  return c;
}
