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

/** ISO dates and instants of one form in time order (code units: no locale collation to run per comparison). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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

/** A case in one of the day's queues, with what orders it; what it shows is read only if it is returned. */
interface Ranked {
  queue: QueueItem['queue'];
  caseId: number;
  outstandingFen: number;
  stage: string;
  due: string | null;
  aging: ReturnType<typeof caseAging>;
  nextStep: QueueItem['nextStep'];
  lastContact: QueueItem['lastContact'];
}

const today: Handler<'queue.today'> = ({ collectorId, limit }, ctx) => {
  const who = whoseQueue(ctx, collectorId);
  const day = dayIn(ctx.now());
  const endOfDay = endOfDayIso(day);
  const q = ctx.store.repos.queue;
  const rows = q.openCasesOf(who);
  const counts = { promises: 0, followUps: 0, new: 0, escalation: 0, contacted: 0, open: rows.length };
  // Worked today: the last entry of today's contact log per case (the day in the agency's zone).
  const [dayStart, dayEnd] = [new Date(Date.parse(endOfDay) + 1 - 86_400_000).toISOString(), new Date(Date.parse(endOfDay) + 1).toISOString()];
  const lastToday = q.lastContactsOf(who, dayStart, dayEnd);
  const held = q.heldOf(who);
  const lostContact = q.lostContactOf(who);
  const ranked: Ranked[] = [];
  // Each lender's own schedule (steps and what they count), or the default.
  const escalation = q.escalations();
  const schedules = new Map<number, EscalationSchedule>();
  const scheduleOf = (lenderId: number) => {
    let s = schedules.get(lenderId);
    if (!s) schedules.set(lenderId, (s = parseSchedule(escalation.get(lenderId) ?? '[]')));
    return s;
  };
  // Cases placed together age together: each distinct (lender, days at placement, placement date, stage) is
  // worked out once per call (thousands of open cases, a few dozen distinct ones).
  const stepped = new Map<string, { aging: ReturnType<typeof caseAging>; step: ReturnType<typeof caseStep> | null }>();
  for (const c of rows) {
    const key = `${c.lender_id}|${c.days_overdue}|${c.placement_date}|${c.stage}`;
    let known = stepped.get(key);
    if (!known) {
      // Open cases only: they age to today (shared/domain/placement/aging.ts).
      const aging = caseAging({ daysAtPlacement: c.days_overdue, placementDate: c.placement_date, stage: c.stage }, day);
      stepped.set(key, (known = { aging, step: c.stage === 'paused' ? null : caseStep(scheduleOf(c.lender_id), aging, c.stage) }));
    }
    const { aging, step } = known;
    // Each case sits in its most urgent queue only.
    let queue: QueueItem['queue'] | null = null;
    let due: string | null = null;
    if (c.promise_due_date !== null && c.promise_due_date <= day) [queue, due] = ['promises', c.promise_due_date];
    else if (c.next_follow_up_at !== null && c.next_follow_up_at <= endOfDay) [queue, due] = ['followUps', c.next_follow_up_at];
    else if (c.stage === 'new') queue = 'new';
    else if (step?.behind) queue = 'escalation';
    // 失联: nobody to call until the collector schedules a retry (a follow-up) or a promise falls due.
    if (lostContact.has(c.id) && (queue === 'new' || queue === 'escalation')) queue = null;
    const last = lastToday.get(c.id) ?? null;
    // Contacted today, it leaves "to call" — unless a follow-up set for after that contact falls due today.
    if (last && !(queue === 'followUps' && due! > last.started_at)) [queue, due] = ['contacted', null];
    // An unclosed complaint or a death holds outbound contact: never in a "to call" tab (an inbound call
    // logged today still shows under contacted).
    if (held.has(c.id) && queue !== 'contacted') queue = null;
    if (queue === null) continue;
    counts[queue]++;
    ranked.push({
      queue,
      caseId: c.id,
      outstandingFen: c.outstanding_key_fen, // ordering key here; today's figure is filled in for the items returned
      stage: c.stage,
      due,
      aging,
      nextStep: step,
      lastContact: last && { at: last.started_at, outcome: last.outcome, direction: last.direction },
    });
  }
  // Within a queue: earliest due first, then the largest amount; the contacted, latest contact first.
  ranked.sort(
    (a, b) =>
      QUEUE_ORDER[a.queue] - QUEUE_ORDER[b.queue] ||
      byText(b.lastContact?.at ?? '', a.lastContact?.at ?? '') ||
      byText(a.due ?? '', b.due ?? '') ||
      b.outstandingFen - a.outstandingFen ||
      a.caseId - b.caseId,
  );
  const top = ranked.slice(0, limit);
  const shown = q.shownOf(top.map((r) => r.caseId));
  const items: QueueItem[] = top.map((r) => {
    const c = shown.get(r.caseId)!;
    return {
      queue: r.queue,
      caseId: r.caseId,
      caseNo: c.case_no,
      lenderCode: c.lender_code,
      borrowerName: c.borrower_name,
      mobile: maskMobile(c.mobile),
      overdueAmountFen: c.overdue_amount_fen,
      outstandingFen: outstandingOn(ctx.store.repos.money, r.caseId, day)!.outstanding,
      daysOverdue: r.aging.daysOverdue,
      bucket: r.aging.bucket,
      stage: r.stage,
      due: r.due,
      nextStep: r.nextStep,
      lastContact: r.lastContact,
    };
  });
  return { collectorId: who, today: day, counts, items };
};

const colleagues: Handler<'staff.colleagues'> = (_input, ctx) => ({
  colleagues: ctx.store.repos.users
    .list()
    .filter((u) => u.status === 'active' && (u.role === 'collector' || u.role === 'manager'))
    .map((u) => ({ userId: u.id, username: u.username, displayName: u.displayName, role: u.role })),
});

export const queueHandlers = { 'queue.today': today, 'staff.colleagues': colleagues };
