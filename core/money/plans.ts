// Plans as the API shows them (with each installment's progress), and the sweep that ends running plans:
// completed when paid, broken after a missed installment's grace period (the case goes back to
// collection, the schedule is kept for the record, the waiver is void).
import type { Plan } from '../../shared/contract/money.js';
import { planProgress, type PlanProgress } from '../../shared/domain/money/plans.js';
import { isFinal } from '../../shared/domain/casework/stages.js';
import type { Ctx } from '../context.js';
import type { PaymentRow, PlanRow } from '../../db/repos/money.js';
import { balanceOf, refreshCase, standing, today, waiverOf } from './ledger.js';

/**
 * The payments that count toward a plan: those not already in the balance it was made on (that is, all
 * but the ones dated on or before its balance date and entered before it was proposed).
 */
export function planPayments(p: PlanRow, payments: readonly PaymentRow[]): { date: string; fen: number }[] {
  return standing(payments)
    .filter((x) => !(x.paid_on <= p.as_of && x.entered_at < p.proposed_at))
    .map((x) => ({ date: x.paid_on, fen: x.amount_fen }));
}

export function progressOf(ctx: Ctx, p: PlanRow, payments: readonly PaymentRow[], asOf = today(ctx)): PlanProgress {
  const schedule = ctx.store.repos.money.installments(p.id).map((i) => ({ no: i.no, dueDate: i.due_date, amountFen: i.amount_fen }));
  // A plan that ended is shown as it stood when it ended.
  return planProgress(schedule, planPayments(p, payments), p.ended_on && p.ended_on < asOf ? p.ended_on : asOf, p.grace_days);
}

export function toPlan(ctx: Ctx, p: PlanRow, payments: readonly PaymentRow[]): Plan {
  const running = p.status === 'active' || p.status === 'completed' || p.status === 'broken';
  const g = progressOf(ctx, p, payments);
  return {
    id: p.id,
    caseId: p.case_id,
    caseNo: p.case_no,
    borrowerName: p.borrower_name,
    kind: p.kind,
    reason: p.reason,
    proofFileIds: JSON.parse(p.proof_file_ids) as number[],
    asOf: p.as_of,
    owedFen: p.owed_fen,
    waiver: waiverOf(p),
    waiverFen: p.waiver_fen,
    totalFen: p.total_fen,
    graceDays: p.grace_days,
    approver: p.approver,
    status: p.status,
    proposedBy: p.proposed_by_name,
    proposedAt: p.proposed_at,
    decidedBy: p.decided_by_name,
    decidedAt: p.decided_at,
    decisionNote: p.decision_note,
    lenderApproval: p.lender_approval ? (JSON.parse(p.lender_approval) as Plan['lenderApproval']) : null,
    endedOn: p.ended_on,
    letterFileId: p.letter_file_id,
    // Before approval nothing is tracked: every installment is simply upcoming.
    installments: running ? g.installments : g.installments.map((i) => ({ ...i, paidFen: 0, state: 'upcoming' as const })),
    paidFen: running ? g.paidFen : 0,
  };
}

/**
 * Ends the case's running plans that are paid or broken, as of today. Returns what changed. Runs inside
 * the caller's transaction; the case's stage follows (settled when nothing is owed, back to contact when
 * a plan broke in negotiation).
 */
export function sweepCase(ctx: Ctx, caseId: number): { completed: number[]; broken: number[] } {
  const r = ctx.store.repos;
  const out = { completed: [] as number[], broken: [] as number[] };
  const plans = r.money.plansOf(caseId).filter((p) => p.status === 'active');
  if (!plans.length) return out;
  const payments = r.money.paymentsOf(caseId);
  const now = ctx.now().toISOString();
  for (const p of plans) {
    const g = progressOf(ctx, p, payments);
    if (g.outcome === 'running') continue;
    const on = g.outcome === 'broken' ? g.brokenOn! : lastPaymentDay(planPayments(p, payments), g.totalFen);
    r.money.endPlan(p.id, g.outcome, on);
    r.money.history(caseId, now, ctx.user!.id, 'plan', { planId: p.id, status: g.outcome, on, automatic: true });
    ctx.audit(`plans.${g.outcome}`, 'plan', p.id, { caseId, on, paidFen: g.paidFen, totalFen: g.totalFen });
    out[g.outcome].push(p.id);
  }
  const c = r.money.moneyCase(caseId)!;
  if (out.broken.length && c.stage === 'negotiation') {
    const move = { from: c.stage, to: 'contact', reason: 'negotiated plan broken', automatic: true };
    r.casework.setStage(caseId, 'contact', 'open', null, ctx.user!.id, now, move);
    ctx.audit('cases.move', 'case', caseId, move); // every stage move has its entry (its row names it: migration 023)
  } else if (out.completed.length) settleIfPaid(ctx, caseId, 'negotiated plan paid');
  // A broken plan's waiver is void: the case owes it again.
  if (out.broken.length || out.completed.length) refreshCase(ctx, caseId);
  return out;
}

/** The day the payments first covered `totalFen`. */
function lastPaymentDay(payments: { date: string; fen: number }[], totalFen: number): string {
  let sum = 0;
  for (const p of [...payments].sort((a, b) => a.date.localeCompare(b.date))) {
    sum += p.fen;
    if (sum >= totalFen) return p.date;
  }
  return payments.at(-1)?.date ?? '';
}

/** Settles an open case that owes nothing today (inside the caller's transaction); `outstandingFen`: today's, if the caller has it. */
export function settleIfPaid(ctx: Ctx, caseId: number, why: string, outstandingFen?: number): boolean {
  const r = ctx.store.repos;
  const c = r.money.moneyCase(caseId)!;
  if (isFinal(c.stage)) return false;
  const day = today(ctx);
  if (day < c.placed_on || (outstandingFen ?? balanceOf(ctx, c, day).outstanding) > 0) return false;
  r.casework.setStage(caseId, 'settled', 'settled', null, ctx.user!.id, ctx.now().toISOString(), { from: c.stage, to: 'settled', reason: why, automatic: true });
  ctx.audit('cases.settled', 'case', caseId, { from: c.stage, reason: why });
  return true;
}

/** Sweeps every case with a running plan (at login and before plan lists); cheap: running plans are few. */
export function sweepAll(ctx: Ctx): void {
  const r = ctx.store.repos;
  const ids = r.money.casesWithActivePlans();
  if (!ids.length) return;
  r.db.transaction(() => {
    for (const id of ids) sweepCase(ctx, id);
  })();
}
