// A collector's day (今日工作). Collectors reach only their own queue, whatever they ask for: the check
// lives in core, so no host can read another collector's work. (The case view, cases.get, is in cases.ts.)
import { ApiFailure } from '../../shared/contract/failure.js';
import type { QueueItem } from '../../shared/contract/assignment.js';
import type { Ctx, Handler } from '../context.js';
import { caseStep, parseSchedule, type EscalationSchedule } from '../../shared/domain/casework/escalation.js';
import { caseAging } from '../../shared/domain/placement/aging.js';
import { dayIn, endOfDayIso } from '../../shared/domain/casework/today.js';
import { maskMobile } from '../../shared/domain/placement/masking.js';
import { outstandingOn } from '../money/ledger.js';

const QUEUE_ORDER = { promises: 0, followUps: 1, new: 2, escalation: 3, contacted: 4 } as const;

function whoseQueue(ctx: Ctx, asked: number | undefined): number {
  const user = ctx.user!;
  if (user.role === 'collector') {
    if (asked !== undefined && asked !== user.id) throw new ApiFailure('FORBIDDEN', 'Collectors see only their own work queue.');
    return user.id;
  }
  if (asked === undefined) throw new ApiFailure('BAD_INPUT', 'Choose the collector whose queue to show.');
  if (!ctx.store.repos.staff.byId(asked)) throw new ApiFailure('NOT_FOUND', `User ${asked} is not a collector.`);
  return asked;
}

const today: Handler<'queue.today'> = ({ collectorId, limit }, ctx) => {
  const who = whoseQueue(ctx, collectorId);
  const day = dayIn(ctx.now());
  const endOfDay = endOfDayIso(day);
  const rows = ctx.store.repos.queue.openCasesOf(who);
  const counts = { promises: 0, followUps: 0, new: 0, escalation: 0, contacted: 0, open: rows.length };
  // Worked today: the last entry of today's contact log per case (the day in the agency's zone).
  const [dayStart, dayEnd] = [new Date(Date.parse(endOfDay) + 1 - 86_400_000).toISOString(), new Date(Date.parse(endOfDay) + 1).toISOString()];
  const lastToday = ctx.store.repos.queue.lastContactsOf(who, dayStart, dayEnd);
  const items: QueueItem[] = [];
  // Each lender's own schedule (steps and what they count), or the default.
  const schedules = new Map<string, EscalationSchedule>();
  const scheduleOf = (json: string) => {
    let s = schedules.get(json);
    if (!s) schedules.set(json, (s = parseSchedule(json)));
    return s;
  };
  for (const c of rows) {
    // Open cases only: they age to today (shared/domain/placement/aging.ts).
    const aging = caseAging({ daysAtPlacement: c.days_overdue, placementDate: c.placement_date, stage: c.stage }, day);
    const step = c.stage === 'paused' ? null : caseStep(scheduleOf(c.escalation), aging, c.stage);
    // Each case sits in its most urgent queue only.
    let queue: QueueItem['queue'] | null = null;
    let due: string | null = null;
    if (c.promise_due_date !== null && c.promise_due_date <= day) [queue, due] = ['promises', c.promise_due_date];
    else if (c.next_follow_up_at !== null && c.next_follow_up_at <= endOfDay) [queue, due] = ['followUps', c.next_follow_up_at];
    else if (c.stage === 'new') queue = 'new';
    else if (step?.behind) queue = 'escalation';
    // 失联: nobody to call until the collector schedules a retry (a follow-up) or a promise falls due.
    if (c.lost_contact && (queue === 'new' || queue === 'escalation')) queue = null;
    const last = lastToday.get(c.id) ?? null;
    // Contacted today, it leaves "to call" — unless a follow-up set for after that contact falls due today.
    if (last && !(queue === 'followUps' && due! > last.started_at)) [queue, due] = ['contacted', null];
    // An unclosed complaint or a death holds outbound contact: never in a "to call" tab (an inbound call
    // logged today still shows under contacted).
    if (c.held && queue !== 'contacted') queue = null;
    if (queue === null) continue;
    counts[queue]++;
    items.push({
      queue,
      caseId: c.id,
      caseNo: c.case_no,
      lenderCode: c.lender_code,
      borrowerName: c.borrower_name,
      mobile: maskMobile(c.mobile),
      overdueAmountFen: c.overdue_amount_fen,
      outstandingFen: c.outstanding_key_fen, // ordering key here; today's figure is filled in for the items returned
      daysOverdue: aging.daysOverdue,
      bucket: aging.bucket,
      stage: c.stage,
      due,
      nextStep: step,
      lastContact: last && { at: last.started_at, outcome: last.outcome, direction: last.direction },
    });
  }
  // Within a queue: earliest due first, then the largest amount; the contacted, latest contact first.
  items.sort(
    (a, b) =>
      QUEUE_ORDER[a.queue] - QUEUE_ORDER[b.queue] ||
      (b.lastContact?.at ?? '').localeCompare(a.lastContact?.at ?? '') ||
      (a.due ?? '').localeCompare(b.due ?? '') ||
      b.outstandingFen - a.outstandingFen ||
      a.caseId - b.caseId,
  );
  const shown = items.slice(0, limit);
  for (const i of shown) i.outstandingFen = outstandingOn(ctx.store.repos.money, i.caseId, day)!.outstanding;
  return { collectorId: who, today: day, counts, items: shown };
};

const colleagues: Handler<'staff.colleagues'> = (_input, ctx) => ({
  colleagues: ctx.store.repos.users
    .list()
    .filter((u) => u.status === 'active' && (u.role === 'collector' || u.role === 'manager'))
    .map((u) => ({ userId: u.id, username: u.username, displayName: u.displayName, role: u.role })),
});

export const queueHandlers = { 'queue.today': today, 'staff.colleagues': colleagues };
