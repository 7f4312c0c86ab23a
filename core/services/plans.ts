// Negotiated plans (协商方案): a collector proposes (reason, proof, waiver, schedule), a manager approves
// within the lender's limits or records the lender's approval above them; an approved plan freezes
// charges, waives its amounts and is tracked installment by installment until paid or broken.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { Plan } from '../../shared/contract/money.js';
import { COMPONENTS, zero, type Amounts } from '../../shared/domain/money/allocation.js';
import { installmentSchedule, type Installment } from '../../shared/domain/money/installments.js';
import { addDays, approverFor } from '../../shared/domain/money/plans.js';
import { ACTIVE_STAGES, isFinal } from '../../shared/domain/casework/stages.js';
import { promisedTooEarly } from '../../shared/domain/casework/promise-date.js';
import type { Ctx, Handler } from '../context.js';
import { approvalOf, balanceOf, moneyCaseFor, refreshCase, today } from '../money/ledger.js';
import { sweepAll, sweepCase, toPlan } from '../money/plans.js';

const OPEN = ['proposed', 'awaiting_lender', 'active'];

function planView(ctx: Ctx, planId: number): Plan {
  const r = ctx.store.repos.money;
  const p = r.plan(planId)!;
  return toPlan(ctx, p, r.paymentsOf(p.case_id));
}

const propose: Handler<'plans.propose'> = (input, ctx) => {
  const r = ctx.store.repos;
  const c = moneyCaseFor(ctx, input.caseId);
  if (isFinal(c.stage)) throw new ApiFailure('CONFLICT', `Case ${c.case_no} is ${c.stage}: no plan can be made for it.`);
  const open = r.money.plansOf(c.id).find((p) => OPEN.includes(p.status));
  if (open) throw new ApiFailure('CONFLICT', `Case ${c.case_no} already has a plan (${open.status}, #${open.id}): decide on it first.`);
  const caseFiles = new Set(r.casework.files(c.id).map((f) => f.id));
  const stray = input.proofFileIds.find((id) => !caseFiles.has(id));
  if (stray !== undefined) throw new ApiFailure('BAD_INPUT', `File ${stray} is not attached to this case: attach the proof to the case first.`);

  const day = today(ctx);
  const b = balanceOf(ctx, c, day);
  if (b.outstanding <= 0) throw new ApiFailure('CONFLICT', `Case ${c.case_no} owes nothing: there is nothing to plan.`);
  const waiver: Amounts = { ...zero(), ...input.waiver };
  for (const k of COMPONENTS) {
    if (waiver[k] > b.owed[k]) throw new ApiFailure('BAD_INPUT', `The ${k} waiver (¥${(waiver[k] / 100).toFixed(2)}) is more than the ${k} owed (¥${(b.owed[k] / 100).toFixed(2)}).`);
  }
  const waiverFen = COMPONENTS.reduce((s, k) => s + waiver[k], 0);
  if (input.kind === 'waiver' && waiverFen === 0) throw new ApiFailure('BAD_INPUT', 'A waiver plan waives something: give the interest, penalty or fees waived.');
  const totalFen = b.outstanding - waiverFen;
  if (totalFen < 1) throw new ApiFailure('BAD_INPUT', 'A plan cannot waive everything owed: that is a write-off, which a manager decides on the case.');

  let schedule: Installment[];
  if (input.kind === 'installments') {
    if (!input.installments) throw new ApiFailure('BAD_INPUT', 'An installment plan needs the number of installments and the first due date.');
    if (input.dueDate) throw new ApiFailure('BAD_INPUT', 'An installment plan has installments, not one due date.');
    if (promisedTooEarly(input.installments.firstDate, day)) throw ApiFailure.keyed('BAD_INPUT', 'planFirstBeforeToday', { date: day });
    try {
      schedule = installmentSchedule(totalFen, input.installments.count, input.installments.firstDate, input.installments.everyMonths);
    } catch (e) {
      throw new ApiFailure('BAD_INPUT', (e as Error).message);
    }
  } else {
    if (!input.dueDate) throw new ApiFailure('BAD_INPUT', `${input.kind === 'extension' ? 'An extension' : 'A waiver'} needs the date by which the rest is paid.`);
    if (input.installments) throw new ApiFailure('BAD_INPUT', 'Only an installment plan has installments.');
    if (promisedTooEarly(input.dueDate, day)) throw ApiFailure.keyed('BAD_INPUT', 'planDateBeforeToday', { date: day });
    schedule = [{ no: 1, dueDate: input.dueDate, amountFen: totalFen }];
  }

  const limits = approvalOf(c.approval);
  const approver = approverFor(waiverFen, b.outstanding, limits);
  const now = ctx.now().toISOString();
  const id = r.db.transaction(() => {
    const planId = r.money.addPlan(
      {
        case_id: c.id,
        kind: input.kind,
        reason: input.reason,
        proof_file_ids: JSON.stringify(input.proofFileIds),
        as_of: day,
        owed_fen: b.outstanding,
        waiver: JSON.stringify(waiver),
        waiver_fen: waiverFen,
        total_fen: totalFen,
        grace_days: limits.graceDays,
        approver,
        status: approver === 'lender' ? 'awaiting_lender' : 'proposed',
        proposed_by: ctx.user!.id,
        proposed_at: now,
      },
      schedule,
    );
    const detail = { planId, kind: input.kind, owedFen: b.outstanding, waiverFen, totalFen, installments: schedule.length, approver };
    r.money.history(c.id, now, ctx.user!.id, 'plan', { ...detail, status: 'proposed' });
    ctx.audit('plans.propose', 'case', c.id, detail);
    return planId;
  })();
  return planView(ctx, id);
};

const decide: Handler<'plans.decide'> = (input, ctx) => {
  const r = ctx.store.repos;
  const p = r.money.plan(input.planId);
  if (!p) throw new ApiFailure('NOT_FOUND', `No plan with id ${input.planId}.`);
  const c = moneyCaseFor(ctx, p.case_id, `plan with id ${input.planId}`);
  if (p.status !== 'proposed' && p.status !== 'awaiting_lender') throw new ApiFailure('CONFLICT', `Plan #${p.id} is ${p.status}: it was decided already.`);
  const now = ctx.now().toISOString();
  const day = today(ctx);
  if (input.approve) {
    if (p.approver === 'lender' && !input.lenderApproval) {
      throw new ApiFailure('BAD_INPUT', `The waiver (¥${(p.waiver_fen / 100).toFixed(2)}) is above what the agency may grant for this lender: record who approved it at the lender, their reference and the date.`);
    }
    const late = r.money.installments(p.id).find((i) => addDays(i.due_date, p.grace_days) < day);
    if (late) throw new ApiFailure('CONFLICT', `Installment ${late.no} was due on ${late.due_date}: this plan is out of date, propose a new one.`);
  }
  r.db.transaction(() => {
    const status = input.approve ? 'active' : 'rejected';
    const lenderApproval = input.approve && input.lenderApproval ? JSON.stringify(input.lenderApproval) : null;
    r.money.decide(p.id, status, ctx.user!.id, now, input.note, lenderApproval);
    const detail = { planId: p.id, status, note: input.note, lenderApproval: input.lenderApproval ?? null };
    r.money.history(c.id, now, ctx.user!.id, 'plan', detail);
    // The move first: its history row names the entry appended next, the approval (migration 023).
    if (input.approve && (ACTIVE_STAGES as readonly string[]).includes(c.stage) && c.stage !== 'negotiation') {
      r.casework.setStage(c.id, 'negotiation', 'open', null, ctx.user!.id, now, { from: c.stage, to: 'negotiation', reason: `plan #${p.id} approved`, automatic: true });
    }
    ctx.audit(input.approve ? 'plans.approve' : 'plans.reject', 'case', c.id, detail);
    if (input.approve) sweepCase(ctx, c.id);
    if (input.approve) refreshCase(ctx, c.id); // the waiver lowers what is owed
  })();
  return planView(ctx, p.id);
};

const list: Handler<'plans.list'> = (input, ctx) => {
  const r = ctx.store.repos;
  const user = ctx.user!;
  if (input.caseId !== undefined) {
    moneyCaseFor(ctx, input.caseId);
    r.db.transaction(() => sweepCase(ctx, input.caseId!))();
    const plans = r.money.plansOf(input.caseId).filter((p) => !input.status || input.status.includes(p.status));
    const payments = r.money.paymentsOf(input.caseId);
    return { plans: plans.slice(0, input.limit).map((p) => toPlan(ctx, p, payments)) };
  }
  sweepAll(ctx);
  const rows = r.money.plansIn(input.status ?? ['proposed', 'awaiting_lender', 'active'], user.role === 'collector' ? user.id : null, input.limit);
  return { plans: rows.map((p) => toPlan(ctx, p, r.money.paymentsOf(p.case_id))) };
};

export const planHandlers = { 'plans.propose': propose, 'plans.decide': decide, 'plans.list': list };
