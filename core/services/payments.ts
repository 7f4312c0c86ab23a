// Payments (回款): posted by hand or from a lender's file, never changed or deleted — a mistake is undone
// by a reversing entry. A case paid to zero is settled; a reversal that makes a settled case owe again
// reopens it.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { Payment } from '../../shared/contract/money.js';
import { isFinal } from '../../shared/domain/casework/stages.js';
import type { Ctx, Handler } from '../context.js';
import type { PaymentRow } from '../../db/repos/money.js';
import { balanceOf, moneyCaseFor, outstandingOn, refreshCase, today } from '../money/ledger.js';
import { settleIfPaid, sweepCase } from '../money/plans.js';

export const toPayment = (p: PaymentRow): Payment => ({
  id: p.id,
  caseId: p.case_id,
  caseNo: p.case_no,
  paidOn: p.paid_on,
  amountFen: p.amount_fen,
  channel: p.channel,
  payer: p.payer,
  reference: p.reference,
  note: p.note,
  source: p.source,
  enteredBy: p.entered_by_name,
  enteredAt: p.entered_at,
  reversesId: p.reverses_id,
  reversedById: p.reversed_by_id,
});

/** Records one payment and what follows from it (plans completed, the case settled), in the caller's transaction. */
export function recordPayment(ctx: Ctx, p: { caseId: number; paidOn: string; amountFen: number; channel: string; payer: string; reference: string; note: string; source: 'agency' | 'lender_file'; fileId?: number; fileRow?: number }): { id: number; settled: boolean } {
  const r = ctx.store.repos;
  const c = r.money.moneyCase(p.caseId)!;
  if (p.paidOn < c.placed_on) throw new ApiFailure('BAD_INPUT', `Case ${c.case_no} was placed on ${c.placed_on}: a payment before that is in the lender's figures already.`);
  if (p.paidOn > today(ctx)) throw new ApiFailure('BAD_INPUT', `A payment cannot be dated in the future (${p.paidOn}).`);
  const now = ctx.now().toISOString();
  const id = r.money.addPayment({
    case_id: p.caseId,
    paid_on: p.paidOn,
    amount_fen: p.amountFen,
    channel: p.channel,
    payer: p.payer,
    reference: p.reference,
    note: p.note,
    source: p.source,
    file_id: p.fileId ?? null,
    file_row: p.fileRow ?? null,
    entered_by: ctx.user!.id,
    entered_at: now,
    reverses_id: null,
  });
  r.money.history(p.caseId, now, ctx.user!.id, 'payment', { paymentId: id, paidOn: p.paidOn, amountFen: p.amountFen, channel: p.channel, source: p.source });
  ctx.audit('payments.post', 'case', p.caseId, { paymentId: id, paidOn: p.paidOn, amountFen: p.amountFen, channel: p.channel, source: p.source });
  // A plan this payment completes settles the case itself; otherwise settle it if nothing is owed.
  const byPlan = sweepCase(ctx, p.caseId).completed.length > 0 && r.money.moneyCase(p.caseId)!.stage === 'settled';
  // Today's balance once: it settles the case and is the list's stored outstanding (migration 012), in this transaction.
  const owed = outstandingOn(r.money, p.caseId, today(ctx))!.outstanding;
  r.money.setOutstanding(p.caseId, owed);
  const settled = byPlan || settleIfPaid(ctx, p.caseId, 'paid in full', owed);
  return { id, settled };
}

const post: Handler<'payments.post'> = (input, ctx) => {
  const r = ctx.store.repos;
  const c = moneyCaseFor(ctx, input.caseId);
  if (isFinal(c.stage) && c.stage !== 'settled') throw new ApiFailure('CONFLICT', `Case ${c.case_no} is ${c.stage}: payments for it go to the lender.`);
  const res = r.db.transaction(() => recordPayment(ctx, { ...input, source: 'agency' }))();
  return { payment: toPayment(r.money.payment(res.id)!), balance: balanceOf(ctx, r.money.moneyCase(c.id)!, today(ctx)), settled: res.settled };
};

const reverse: Handler<'payments.reverse'> = (input, ctx) => {
  const r = ctx.store.repos;
  const original = r.money.payment(input.paymentId);
  if (!original) throw new ApiFailure('NOT_FOUND', `No payment with id ${input.paymentId}.`);
  const c = moneyCaseFor(ctx, original.case_id, `payment with id ${input.paymentId}`);
  if (original.reverses_id !== null) throw new ApiFailure('CONFLICT', 'This entry is itself a reversal: post the payment again instead.');
  if (original.reversed_by_id !== null) throw new ApiFailure('CONFLICT', `Payment ${original.id} was already reversed by entry ${original.reversed_by_id}.`);
  const now = ctx.now().toISOString();
  const out = r.db.transaction(() => {
    const id = r.money.addPayment({
      case_id: original.case_id,
      paid_on: original.paid_on,
      amount_fen: -original.amount_fen,
      channel: original.channel,
      payer: original.payer,
      reference: original.reference,
      note: input.reason,
      source: 'agency',
      file_id: null,
      file_row: null,
      entered_by: ctx.user!.id,
      entered_at: now,
      reverses_id: original.id,
    });
    const detail = { paymentId: original.id, reversalId: id, amountFen: original.amount_fen, reason: input.reason };
    r.money.history(c.id, now, ctx.user!.id, 'payment_reversed', detail);
    ctx.audit('payments.reverse', 'case', c.id, detail);
    refreshCase(ctx, c.id);
    let reopened = false;
    if (c.stage === 'settled' && balanceOf(ctx, r.money.moneyCase(c.id)!, today(ctx)).outstanding > 0) {
      r.casework.setStage(c.id, 'contact', 'open', null, ctx.user!.id, now, { from: 'settled', to: 'contact', reason: 'payment reversed: the case owes again', automatic: true });
      ctx.audit('cases.reopened', 'case', c.id, { reason: 'payment reversed' });
      reopened = true;
    }
    return { id, reopened };
  })();
  return { payment: toPayment(r.money.payment(out.id)!), balance: balanceOf(ctx, r.money.moneyCase(c.id)!, today(ctx)), reopened: out.reopened };
};

const list: Handler<'payments.list'> = ({ caseId }, ctx) => {
  moneyCaseFor(ctx, caseId);
  return { payments: ctx.store.repos.money.paymentsOf(caseId).map(toPayment) };
};

export const paymentHandlers = { 'payments.post': post, 'payments.reverse': reverse, 'payments.list': list };
