// Complaints (投诉, a regulated process) and case flags. A complaint is recorded by anyone who works the
// case; from then on the case gets no outbound contact (core/services/casework.ts gathers the fact, the
// guardrail complaint_open refuses) until a manager has answered and closed it. The case carries the
// 投诉 flag while any complaint holds it. Each step: one transaction with its audit entry and case history.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { CaseFlagEntry, Complaint } from '../../shared/contract/complaints.js';
import {
  ANSWER_DAYS_SETTING,
  DEFAULT_ANSWER_DAYS,
  answerDueAt,
  complaintOverdue,
  type CaseFlag,
  type ComplaintChannel,
  type ComplaintFrom,
} from '../../shared/domain/casework/complaints.js';
import type { Ctx, Handler } from '../context.js';
import type { ComplaintRow } from '../../db/repos/complaints.js';

export function answerDaysOf(ctx: Ctx): number {
  return ctx.store.repos.meta.getSetting<number>(ANSWER_DAYS_SETTING) ?? DEFAULT_ANSWER_DAYS;
}

function toComplaint(k: ComplaintRow, now: Date): Complaint {
  return {
    id: k.id,
    caseId: k.case_id,
    caseNo: k.case_no,
    borrowerName: k.borrower_name,
    lenderId: k.lender_id,
    lenderCode: k.lender_code,
    collector: k.collector,
    channel: k.channel as ComplaintChannel,
    from: k.from_party as ComplaintFrom,
    contactSlot: k.contact_slot,
    what: k.what,
    against: k.against,
    againstUserId: k.against_user_id,
    receivedAt: k.received_at,
    dueAt: k.due_at,
    status: k.status,
    overdue: complaintOverdue({ status: k.status, dueAt: k.due_at }, now),
    recordedBy: k.recorded_by_name,
    recordedAt: k.recorded_at,
    answer: k.answer,
    answeredBy: k.answered_by_name,
    answeredAt: k.answered_at,
    closedBy: k.closed_by_name,
    closedAt: k.closed_at,
    closeNote: k.close_note,
  };
}

/** The case, if this user may reach it: a collector only their own (others look like missing ones). */
function caseFor(ctx: Ctx, id: number) {
  const c = ctx.store.repos.casework.workCase(id);
  if (!c || (ctx.user!.role === 'collector' && c.collector_id !== ctx.user!.id)) throw new ApiFailure('NOT_FOUND', `No case with id ${id}.`);
  return c;
}

function complaintFor(ctx: Ctx, id: number): ComplaintRow {
  const k = ctx.store.repos.complaints.byId(id);
  if (!k || (ctx.user!.role === 'collector' && k.collector_id !== ctx.user!.id)) throw new ApiFailure('NOT_FOUND', `No complaint with id ${id}.`);
  return k;
}

function caseState(ctx: Ctx, caseId: number) {
  const r = ctx.store.repos.complaints;
  const now = ctx.now();
  return {
    caseId,
    flags: r.flagsOf(caseId).map((f): CaseFlagEntry => ({ flag: f.flag as CaseFlag, setAt: f.set_at, setBy: f.set_by_name, note: f.note })),
    complaints: r.list({ caseId, limit: 200 }).map((k) => toComplaint(k, now)),
    answerDays: answerDaysOf(ctx),
  };
}

const record: Handler<'complaints.record'> = (input, ctx) => {
  const c = caseFor(ctx, input.caseId);
  if (c.status !== 'open') throw new ApiFailure('CONFLICT', 'This case is finished: a complaint about it goes to the lender.');
  const r = ctx.store.repos;
  const now = ctx.now();
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : now;
  if (Number.isNaN(receivedAt.getTime())) throw new ApiFailure('BAD_INPUT', 'The time the complaint was received is not a valid time.');
  if (receivedAt.getTime() > now.getTime() + 60_000) throw new ApiFailure('BAD_INPUT', 'A complaint cannot be received in the future.');
  if (input.from === 'contact' && input.contactSlot === undefined) throw new ApiFailure('BAD_INPUT', 'Name the contact (1–6) who complained.');
  if (input.againstUserId !== undefined) {
    const u = r.users.byId(input.againstUserId);
    if (!u) throw new ApiFailure('BAD_INPUT', `No user ${input.againstUserId}.`);
  }
  const at = now.toISOString();
  const id = r.db.transaction(() => {
    const newId = r.complaints.add({
      case_id: c.id,
      channel: input.channel,
      from_party: input.from,
      contact_slot: input.from === 'contact' ? input.contactSlot! : null,
      what: input.what,
      against_user_id: input.againstUserId ?? null,
      received_at: receivedAt.toISOString(),
      due_at: answerDueAt(receivedAt.toISOString(), answerDaysOf(ctx)),
      recorded_by: ctx.user!.id,
      recorded_at: at,
    });
    const detail = { action: 'record', complaintId: newId, channel: input.channel, from: input.from, againstUserId: input.againstUserId ?? null };
    r.money.history(c.id, at, ctx.user!.id, 'complaint', detail);
    if (r.complaints.setFlag(c.id, 'complaint', ctx.user!.id, at, `#${newId}`)) r.money.history(c.id, at, ctx.user!.id, 'flag', { flag: 'complaint', on: true, auto: true });
    ctx.audit('complaints.record', 'case', c.id, detail);
    return newId;
  })();
  return toComplaint(r.complaints.byId(id)!, now);
};

const answer: Handler<'complaints.answer'> = (input, ctx) => {
  const k = complaintFor(ctx, input.complaintId);
  if (k.status !== 'open') throw new ApiFailure('CONFLICT', `Complaint #${k.id} was answered already.`);
  const r = ctx.store.repos;
  const now = ctx.now();
  const at = now.toISOString();
  r.db.transaction(() => {
    if (!r.complaints.answer(k.id, input.answer, ctx.user!.id, at)) throw new ApiFailure('CONFLICT', `Complaint #${k.id} was answered already.`);
    const detail = { action: 'answer', complaintId: k.id, late: complaintOverdue({ status: 'open', dueAt: k.due_at }, now) };
    r.money.history(k.case_id, at, ctx.user!.id, 'complaint', detail);
    ctx.audit('complaints.answer', 'case', k.case_id, detail);
  })();
  return toComplaint(r.complaints.byId(k.id)!, now);
};

const close: Handler<'complaints.close'> = (input, ctx) => {
  const k = complaintFor(ctx, input.complaintId);
  if (k.status === 'open') throw new ApiFailure('CONFLICT', `Complaint #${k.id} has no answer yet: answer it before closing it.`);
  if (k.status === 'closed') throw new ApiFailure('CONFLICT', `Complaint #${k.id} is closed already.`);
  const r = ctx.store.repos;
  const now = ctx.now();
  const at = now.toISOString();
  r.db.transaction(() => {
    if (!r.complaints.close(k.id, ctx.user!.id, at, input.note)) throw new ApiFailure('CONFLICT', `Complaint #${k.id} is closed already.`);
    const detail = { action: 'close', complaintId: k.id, note: input.note };
    r.money.history(k.case_id, at, ctx.user!.id, 'complaint', detail);
    // The 投诉 flag (and the hold on outbound contact) goes with the case's last unfinished complaint.
    if (r.complaints.holdingOn(k.case_id) === 0 && r.complaints.clearFlag(k.case_id, 'complaint')) {
      r.money.history(k.case_id, at, ctx.user!.id, 'flag', { flag: 'complaint', on: false, auto: true });
    }
    ctx.audit('complaints.close', 'case', k.case_id, detail);
  })();
  return toComplaint(r.complaints.byId(k.id)!, now);
};

const list: Handler<'complaints.list'> = (input, ctx) => {
  const user = ctx.user!;
  const now = ctx.now();
  const rows = ctx.store.repos.complaints.list({
    caseId: input.caseId,
    // Collectors: complaints on the cases they hold, whatever they ask for.
    holderId: user.role === 'collector' ? user.id : input.collectorId,
    againstUserId: input.againstUserId,
    lenderId: input.lenderId,
    status: input.status,
    overdueBefore: input.overdueOnly ? now.toISOString() : undefined,
    limit: input.limit,
  });
  return { now: now.toISOString(), complaints: rows.map((k) => toComplaint(k, now)) };
};

const state: Handler<'complaints.caseState'> = ({ caseId }, ctx) => caseState(ctx, caseFor(ctx, caseId).id);

const setFlag: Handler<'cases.setFlag'> = (input, ctx) => {
  const c = caseFor(ctx, input.caseId);
  const r = ctx.store.repos;
  const at = ctx.now().toISOString();
  r.db.transaction(() => {
    const changed = input.on ? r.complaints.setFlag(c.id, input.flag, ctx.user!.id, at, input.note) : r.complaints.clearFlag(c.id, input.flag);
    if (!changed) return; // already so: nothing to record
    const detail = { flag: input.flag, on: input.on, note: input.note };
    r.money.history(c.id, at, ctx.user!.id, 'flag', detail);
    ctx.audit('cases.setFlag', 'case', c.id, detail);
  })();
  return caseState(ctx, c.id);
};

export const complaintHandlers = {
  'complaints.record': record,
  'complaints.answer': answer,
  'complaints.close': close,
  'complaints.list': list,
  'complaints.caseState': state,
  'cases.setFlag': setFlag,
};
