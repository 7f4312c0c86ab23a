// The money and contact fields of a message or letter template, as of the day it is rendered: the balance
// from the one function (ledger.ts), the running plan's next installment and total, where to pay and whom to
// call (the lender's settings over the agency's), and the borrower's addresses masked.
import type { TemplateField } from '../../shared/domain/casework/templates.js';
import { formatFen } from '../../shared/domain/placement/money.js';
import { maskAddress } from '../../shared/domain/placement/masking.js';
import type { Ctx } from '../context.js';
import { outstandingOn } from './ledger.js';
import { progressOf } from './plans.js';

export function moneyTemplateValues(ctx: Ctx, caseId: number, day: string): Partial<Record<TemplateField, string>> {
  const r = ctx.store.repos;
  const b = outstandingOn(r.money, caseId, day)!;
  const c = r.money.moneyCase(caseId)!;
  const lender = r.money.settings(c.lender_id);
  // The plan the borrower is paying by, if any: its next unpaid installment and its total.
  const plan = r.money.plansOf(caseId).find((p) => p.status === 'active') ?? null;
  let next: { amountFen: number; dueDate: string } | null = null;
  if (plan) {
    const g = progressOf(ctx, plan, r.money.paymentsOf(caseId), day);
    const i = g.installments.find((x) => x.state !== 'paid');
    if (i) next = { amountFen: i.amountFen - i.paidFen, dueDate: i.dueDate };
  }
  const a = r.money.addresses(caseId);
  const setting = (key: string) => r.meta.getSetting<string>(key) ?? '';
  const yuan = (fen: number) => formatFen(fen);
  return {
    overdueAmount: yuan(b.outstanding),
    outstandingAmount: yuan(b.outstanding),
    outstandingPrincipal: yuan(b.owed.principal),
    outstandingInterest: yuan(b.owed.interest),
    outstandingPenalty: yuan(b.owed.penalty),
    outstandingFees: yuan(b.owed.fees),
    placedAmount: yuan(b.placedFen),
    nextInstallmentAmount: next ? yuan(next.amountFen) : '',
    nextInstallmentDate: next?.dueDate ?? '',
    planTotal: plan ? yuan(plan.total_fen) : '',
    agencyHotline: lender?.hotline || setting('agencyHotline'),
    paymentAccount: lender?.payment_account || setting('paymentAccount'),
    homeAddressMasked: maskAddress(a.home_address),
    workAddressMasked: maskAddress(a.work_address),
    registeredAddressMasked: maskAddress(a.registered_address),
  };
}
