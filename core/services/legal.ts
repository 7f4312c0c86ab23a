// Legal referral (法律诉讼): a manager refers a case to a law firm — the case moves to legal_referral
// through the stage machine (a manager's move, with a reason) — keeps the referral's status, court, case
// number and next date up to date, and records what happens. Every change is audited and in the case
// history; events are never changed (store triggers). Collectors read their own cases' referrals.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { LegalEvent, LegalReferral } from '../../shared/contract/legal.js';
import { checkTransition } from '../../shared/domain/casework/stages.js';
import { FUTURE_DATED, LEGAL_STATUSES, nextDateOverdue, statusAfterEvent, type LegalEventKind, type LegalStatus } from '../../shared/domain/money/legal.js';
import type { Ctx, Handler } from '../context.js';
import type { LegalEventRow, ReferralChange, ReferralRow } from '../../db/repos/legal.js';
import { moneyCaseFor, today } from '../money/ledger.js';

function toReferral(r: ReferralRow, day: string): LegalReferral {
  const status = r.status as LegalStatus;
  return {
    id: r.id,
    caseId: r.case_id,
    caseNo: r.case_no,
    borrowerName: r.borrower_name,
    lenderName: r.lender_name,
    collector: r.collector,
    stage: r.stage,
    lawFirm: r.law_firm,
    lawyer: r.lawyer,
    referredOn: r.referred_on,
    documents: JSON.parse(r.documents) as LegalReferral['documents'],
    court: r.court,
    courtCaseNo: r.court_case_no,
    status,
    nextDate: r.next_date,
    nextWhat: r.next_what,
    overdue: nextDateOverdue({ status, nextDate: r.next_date }, day),
    costFen: r.cost_fen,
    events: r.events,
    createdBy: r.created_by_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const toEvent = (e: LegalEventRow): LegalEvent => ({
  id: e.id,
  referralId: e.referral_id,
  kind: e.kind as LegalEventKind,
  onDate: e.on_date,
  note: e.note,
  amountFen: e.amount_fen,
  enteredBy: e.entered_by_name,
  enteredAt: e.entered_at,
});

/** The referral, if this user may read its case (a collector: only their own; others look missing). */
function referralFor(ctx: Ctx, id: number): ReferralRow {
  const r = ctx.store.repos.legal.referral(id);
  if (!r || (ctx.user!.role === 'collector' && r.collector_id !== ctx.user!.id)) throw new ApiFailure('NOT_FOUND', `No legal referral with id ${id}.`);
  return r;
}

function detail(ctx: Ctx, id: number) {
  const r = ctx.store.repos.legal;
  return { referral: toReferral(r.referral(id)!, today(ctx)), events: r.events(id).map(toEvent) };
}

const refer: Handler<'legal.refer'> = (input, ctx) => {
  const r = ctx.store.repos;
  const user = ctx.user!;
  const c = moneyCaseFor(ctx, input.caseId);
  const day = today(ctx);
  // The stage machine decides: only a manager refers, from a working stage, with a reason on record.
  // A case a manager already moved to legal_referral (cases.move) gets its referral without a second move.
  const moving = c.stage !== 'legal_referral';
  if (moving) {
    const check = checkTransition(c.stage, 'legal_referral', user.role, input.reason);
    if (!check.ok) throw new ApiFailure(check.code === 'ROLE' ? 'FORBIDDEN' : check.code === 'REASON_REQUIRED' ? 'BAD_INPUT' : 'CONFLICT', check.message);
  } else if (!input.reason) throw new ApiFailure('BAD_INPUT', 'Say why the case goes to court.');
  const open = r.legal.openReferralOf(c.id);
  if (open !== null) throw new ApiFailure('CONFLICT', `Case ${c.case_no} is already with a law firm (referral #${open}): update that referral.`);
  if (input.referredOn > day) throw new ApiFailure('BAD_INPUT', `A referral cannot be dated in the future (${input.referredOn}).`);
  if (input.referredOn < c.placed_on) throw new ApiFailure('BAD_INPUT', `Case ${c.case_no} was placed with the agency on ${c.placed_on}: it cannot have been referred before that.`);
  if (input.nextDate !== undefined && input.nextDate < day) throw new ApiFailure('BAD_INPUT', `The next date (${input.nextDate}) has passed already.`);
  if (input.nextWhat && input.nextDate === undefined) throw new ApiFailure('BAD_INPUT', 'Give the next date for what comes next.');
  const files = new Map(r.casework.files(c.id).map((f) => [f.id, f.name]));
  const stray = input.fileIds.find((id) => !files.has(id));
  if (stray !== undefined) throw new ApiFailure('BAD_INPUT', `File ${stray} is not attached to this case: attach it to the case first.`);
  const documents: { fileId: number | null; name: string }[] = [...[...new Set(input.fileIds)].map((fileId) => ({ fileId, name: files.get(fileId)! })), ...input.documentNames.map((name) => ({ fileId: null, name }))];

  const now = ctx.now().toISOString();
  const id = r.db.transaction(() => {
    const referralId = r.legal.addReferral({
      case_id: c.id,
      law_firm: input.lawFirm,
      lawyer: input.lawyer,
      referred_on: input.referredOn,
      documents: JSON.stringify(documents),
      court: input.court,
      court_case_no: input.courtCaseNo,
      status: 'referred',
      next_date: input.nextDate ?? null,
      next_what: input.nextDate !== undefined ? (input.nextWhat ?? null) : null,
      created_by: user.id,
      created_at: now,
    });
    if (moving) r.casework.setStage(c.id, 'legal_referral', 'open', null, user.id, now, { from: c.stage, to: 'legal_referral', reason: input.reason, referralId });
    const what = { referralId, action: 'refer', lawFirm: input.lawFirm, lawyer: input.lawyer, referredOn: input.referredOn, documents: documents.length, court: input.court, courtCaseNo: input.courtCaseNo, reason: input.reason, stageFrom: c.stage };
    r.money.history(c.id, now, user.id, 'legal', what);
    ctx.audit('legal.refer', 'case', c.id, what);
    return referralId;
  })();
  return detail(ctx, id);
};

const update: Handler<'legal.update'> = (input, ctx) => {
  const r = ctx.store.repos;
  const ref = referralFor(ctx, input.referralId);
  const day = today(ctx);
  if (ref.status === 'closed') throw new ApiFailure('CONFLICT', `Referral #${ref.id} is closed: refer the case again if it goes back to court.`);
  if (input.nextDate && input.nextDate < day) throw new ApiFailure('BAD_INPUT', `The next date (${input.nextDate}) has passed already.`);
  const before: ReferralChange = { law_firm: ref.law_firm, lawyer: ref.lawyer, court: ref.court, court_case_no: ref.court_case_no, status: ref.status, next_date: ref.next_date, next_what: ref.next_what };
  const after: ReferralChange = {
    law_firm: input.lawFirm ?? before.law_firm,
    lawyer: input.lawyer ?? before.lawyer,
    court: input.court ?? before.court,
    court_case_no: input.courtCaseNo ?? before.court_case_no,
    status: input.status ?? before.status,
    next_date: input.nextDate !== undefined ? input.nextDate : before.next_date,
    next_what: input.nextWhat !== undefined ? input.nextWhat : before.next_what,
  };
  // No next date, nothing next; a closed referral has nothing coming.
  if (after.next_date === null || after.status === 'closed') (after.next_date = null), (after.next_what = null);
  const changed = (Object.keys(after) as (keyof ReferralChange)[]).filter((k) => after[k] !== before[k]);
  if (changed.length === 0) throw new ApiFailure('BAD_INPUT', 'Nothing to change: the referral already reads like that.');
  const now = ctx.now().toISOString();
  r.db.transaction(() => {
    r.legal.updateReferral(ref.id, after, now);
    const what = { referralId: ref.id, action: 'update', before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: Object.fromEntries(changed.map((k) => [k, after[k]])), note: input.note };
    r.money.history(ref.case_id, now, ctx.user!.id, 'legal', what);
    ctx.audit('legal.update', 'case', ref.case_id, what);
  })();
  return detail(ctx, ref.id);
};

const addEvent: Handler<'legal.addEvent'> = (input, ctx) => {
  const r = ctx.store.repos;
  const ref = referralFor(ctx, input.referralId);
  const day = today(ctx);
  if (ref.status === 'closed' && input.kind !== 'cost' && input.kind !== 'note') throw new ApiFailure('CONFLICT', `Referral #${ref.id} is closed: only costs and notes can still be recorded.`);
  if (input.kind === 'cost' && input.amountFen === undefined) throw new ApiFailure('BAD_INPUT', "A cost needs its amount (fen).");
  if (input.kind !== 'cost' && input.amountFen !== undefined) throw new ApiFailure('BAD_INPUT', 'Only a cost has an amount.');
  if (input.kind === 'judgment' && input.note.length < 2) throw new ApiFailure('BAD_INPUT', 'Record what the judgment says.');
  if (input.kind === 'note' && input.note.length < 1) throw new ApiFailure('BAD_INPUT', 'A note needs its text.');
  if (input.onDate > day && !FUTURE_DATED.includes(input.kind)) throw new ApiFailure('BAD_INPUT', `A ${input.kind} cannot be dated in the future (${input.onDate}); only a hearing is scheduled ahead.`);
  if (input.onDate < ref.referred_on) throw new ApiFailure('BAD_INPUT', `The case was referred on ${ref.referred_on}: nothing in the referral happened before that.`);

  const status = statusAfterEvent(ref.status, input.kind);
  let next = { date: ref.next_date, what: ref.next_what };
  // A hearing ahead becomes the next date when it is sooner than the one set (or that one has passed);
  // what was due on the next date, recorded as happened, clears it.
  if (input.kind === 'hearing' && input.onDate >= day && (next.date === null || next.date < day || input.onDate < next.date)) next = { date: input.onDate, what: 'hearing' };
  else if (input.onDate === next.date && input.onDate <= day && input.kind !== 'note' && input.kind !== 'cost') next = { date: null, what: null };
  const now = ctx.now().toISOString();
  r.db.transaction(() => {
    const eventId = r.legal.addEvent(ref.id, input.kind, input.onDate, input.note, input.amountFen ?? null, ctx.user!.id, now);
    if (status !== ref.status || next.date !== ref.next_date || next.what !== ref.next_what) {
      r.legal.updateReferral(ref.id, { law_firm: ref.law_firm, lawyer: ref.lawyer, court: ref.court, court_case_no: ref.court_case_no, status, next_date: next.date, next_what: next.what }, now);
    }
    const what = { referralId: ref.id, action: 'event', eventId, kind: input.kind, onDate: input.onDate, amountFen: input.amountFen ?? null, status: status !== ref.status ? { from: ref.status, to: status } : null };
    r.money.history(ref.case_id, now, ctx.user!.id, 'legal', what);
    ctx.audit('legal.event', 'case', ref.case_id, what);
  })();
  return detail(ctx, ref.id);
};

const get: Handler<'legal.get'> = ({ referralId }, ctx) => detail(ctx, referralFor(ctx, referralId).id);

const list: Handler<'legal.list'> = (input, ctx) => {
  const user = ctx.user!;
  const day = today(ctx);
  if (input.caseId !== undefined) moneyCaseFor(ctx, input.caseId);
  // Default: the referrals still running (one case's: all of them); overdue ones are never closed.
  const wanted = input.status ?? (input.caseId !== undefined ? LEGAL_STATUSES : LEGAL_STATUSES.filter((s) => s !== 'closed'));
  const statuses = input.overdueOnly ? wanted.filter((s) => s !== 'closed') : wanted;
  if (statuses.length === 0) return { today: day, referrals: [] };
  const rows = ctx.store.repos.legal.list(
    { caseId: input.caseId, lenderId: input.lenderId, collectorId: user.role === 'collector' ? user.id : undefined, statuses, nextBefore: input.overdueOnly ? day : undefined },
    input.limit,
  );
  return { today: day, referrals: rows.map((x) => toReferral(x, day)) };
};

export const legalHandlers = { 'legal.refer': refer, 'legal.update': update, 'legal.addEvent': addEvent, 'legal.get': get, 'legal.list': list };
