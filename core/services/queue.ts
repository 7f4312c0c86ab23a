// A collector's day (今日工作) and the case view. Collectors reach only their own cases here, whatever
// they ask for: the check lives in core, so no host can read another collector's case.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { QueueItem } from '../../shared/contract/assignment.js';
import type { Ctx, Handler } from '../context.js';
import { daysOverdueOn, nextStep, DEFAULT_ESCALATION, type EscalationStep } from '../../shared/domain/casework/escalation.js';
import { dayIn, endOfDayIso } from '../../shared/domain/casework/today.js';
import { maskIdNumber, maskMobile, maskPhone } from '../../shared/domain/placement/masking.js';
import { contactsFromJson } from '../../shared/domain/placement/contacts-json.js';

const QUEUE_ORDER = { promises: 0, followUps: 1, new: 2, escalation: 3 } as const;

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
  const counts = { promises: 0, followUps: 0, new: 0, escalation: 0, open: rows.length };
  const items: QueueItem[] = [];
  // Each lender's own schedule, or the default.
  const schedules = new Map<string, readonly EscalationStep[]>();
  const scheduleOf = (json: string) => {
    let s = schedules.get(json);
    if (!s) {
      const steps = JSON.parse(json) as EscalationStep[];
      schedules.set(json, (s = steps.length ? steps : DEFAULT_ESCALATION));
    }
    return s;
  };
  for (const c of rows) {
    const days = daysOverdueOn(day, c.placement_date, c.days_overdue);
    const step = c.stage === 'paused' ? null : nextStep(days, c.stage, scheduleOf(c.escalation));
    // Each case sits in its most urgent queue only.
    let queue: QueueItem['queue'] | null = null;
    let due: string | null = null;
    if (c.promise_due_date !== null && c.promise_due_date <= day) [queue, due] = ['promises', c.promise_due_date];
    else if (c.next_follow_up_at !== null && c.next_follow_up_at <= endOfDay) [queue, due] = ['followUps', c.next_follow_up_at];
    else if (c.stage === 'new') queue = 'new';
    else if (step?.behind) queue = 'escalation';
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
      daysOverdue: days,
      bucket: c.bucket,
      stage: c.stage,
      due,
      nextStep: step && { action: step.step.action, fromDay: step.step.fromDay, behind: step.behind, inDays: step.inDays },
    });
  }
  // Within a queue: earliest due first, then the largest amount.
  items.sort((a, b) => QUEUE_ORDER[a.queue] - QUEUE_ORDER[b.queue] || (a.due ?? '').localeCompare(b.due ?? '') || b.overdueAmountFen - a.overdueAmountFen || a.caseId - b.caseId);
  return { collectorId: who, today: day, counts, items: items.slice(0, limit) };
};

const get: Handler<'cases.get'> = ({ id }, ctx) => {
  const r = ctx.store.repos;
  const c = r.queue.caseById(id);
  const user = ctx.user!;
  // Another collector's case answers exactly like a missing one: its existence is not disclosed either.
  if (!c || (user.role === 'collector' && c.collector_id !== user.id)) throw new ApiFailure('NOT_FOUND', `No case with id ${id}.`);
  r.db.transaction(() => ctx.audit('cases.view', 'case', id, { caseNo: c.case_no }))();
  const contacts = contactsFromJson(c.contacts).map((k) => ({
    slot: k.slot,
    name: k.name ?? '',
    relation: k.relation ?? '',
    phone: maskPhone(k.phone),
  }));
  const days = daysOverdueOn(dayIn(ctx.now()), c.placement_date, c.days_overdue);
  const steps = JSON.parse(c.escalation) as EscalationStep[];
  const step = c.stage === 'paused' ? null : nextStep(days, c.stage, steps.length ? steps : DEFAULT_ESCALATION);
  return {
    id: c.id,
    lenderId: c.lender_id,
    nextStep: step && { action: step.step.action, fromDay: step.step.fromDay, behind: step.behind, inDays: step.inDays },
    lenderCode: c.lender_code,
    lenderName: c.lender_name,
    caseNo: c.case_no,
    batchNo: c.batch_no,
    placementDate: c.placement_date,
    borrowerName: c.borrower_name,
    idNumber: maskIdNumber(c.id_number),
    mobile: maskMobile(c.mobile),
    gender: c.gender,
    province: c.province,
    overdueAmountFen: c.overdue_amount_fen,
    daysOverdue: days,
    bucket: c.bucket,
    stage: c.stage,
    status: c.status,
    collectorId: c.collector_id,
    collector: c.collector,
    collectorName: c.collector_name,
    assignedAt: c.assigned_at,
    contacts,
    history: r.queue.historyOf(id),
  };
};

const colleagues: Handler<'staff.colleagues'> = (_input, ctx) => ({
  colleagues: ctx.store.repos.users
    .list()
    .filter((u) => u.status === 'active' && (u.role === 'collector' || u.role === 'manager'))
    .map((u) => ({ userId: u.id, username: u.username, displayName: u.displayName, role: u.role })),
});

export const queueHandlers = { 'queue.today': today, 'cases.get': get, 'staff.colleagues': colleagues };
