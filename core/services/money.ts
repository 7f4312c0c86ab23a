// Money settings per lender (terms, approval limits, commission), a case's own terms, its balance on a
// date, and promises to pay judged from the payments.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { PromiseView } from '../../shared/contract/money.js';
import { addDays, promiseState } from '../../shared/domain/money/plans.js';
import { addMonths } from '../../shared/domain/money/installments.js';
import { dayIn } from '../../shared/domain/casework/today.js';
import type { Ctx, Handler } from '../context.js';
import { approvalOf, balanceOf, lenderTerms, moneyCaseFor, refreshCase, refreshOutstanding, standing, today } from '../money/ledger.js';

function settingsOf(ctx: Ctx, lenderId: number) {
  const s = ctx.store.repos.money.settings(lenderId);
  if (!s) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  const terms = lenderTerms(s.default_terms);
  return {
    terms: { ...terms, order: [...terms.order] },
    termsSet: s.terms_set === 1,
    approval: approvalOf(s.approval),
    commission: JSON.parse(s.commission) as { fromDay: number; ratePpm: number }[],
    contact: { hotline: s.hotline, paymentAccount: s.payment_account },
  };
}

const settings: Handler<'money.settings'> = ({ lenderId }, ctx) => settingsOf(ctx, lenderId);

const setSettings: Handler<'money.setSettings'> = (input, ctx) => {
  const r = ctx.store.repos;
  const before = settingsOf(ctx, input.lenderId);
  r.db.transaction(() => {
    if (input.terms) r.money.setLenderTerms(input.lenderId, JSON.stringify(input.terms));
    if (input.approval) r.money.setLenderApproval(input.lenderId, JSON.stringify(input.approval));
    if (input.commission) r.money.setLenderCommission(input.lenderId, JSON.stringify(input.commission));
    if (input.contact) r.money.setLenderContact(input.lenderId, input.contact.hotline, input.contact.paymentAccount);
    // New terms change what every touched case of the lender owes: their stored outstanding follows.
    if (input.terms) for (const id of r.money.touchedCasesOfLender(input.lenderId)) refreshOutstanding(r.money, id, today(ctx));
    ctx.audit('money.setSettings', 'lender', input.lenderId, { before, after: { terms: input.terms, approval: input.approval, commission: input.commission, contact: input.contact } });
  })();
  return settingsOf(ctx, input.lenderId);
};

const setCaseTerms: Handler<'money.setCaseTerms'> = (input, ctx) => {
  const r = ctx.store.repos;
  const c = moneyCaseFor(ctx, input.caseId);
  const now = ctx.now().toISOString();
  r.db.transaction(() => {
    r.money.setCaseTerms(c.id, input.terms ? JSON.stringify(input.terms) : '{}', now);
    const detail = { before: JSON.parse(c.terms) as unknown, after: input.terms, reason: input.reason };
    r.money.history(c.id, now, ctx.user!.id, 'terms', detail);
    ctx.audit('money.setCaseTerms', 'case', c.id, detail);
    refreshCase(ctx, c.id);
  })();
  return balanceOf(ctx, r.money.moneyCase(c.id)!, today(ctx));
};

const balance: Handler<'money.balance'> = ({ caseId, asOf }, ctx) => {
  const c = moneyCaseFor(ctx, caseId);
  return balanceOf(ctx, c, asOf ?? today(ctx));
};

const promises: Handler<'promises.list'> = (input, ctx) => {
  const r = ctx.store.repos;
  const user = ctx.user!;
  if (input.caseId !== undefined) moneyCaseFor(ctx, input.caseId);
  // Collectors: only the promises on their own cases, whatever collector they name.
  const collectorId = user.role === 'collector' ? user.id : input.collectorId;
  const day = today(ctx);
  const paymentsByCase = new Map<number, { date: string; fen: number }[]>();
  const paymentsOf = (caseId: number) => {
    let p = paymentsByCase.get(caseId);
    if (!p) paymentsByCase.set(caseId, (p = standing(r.money.paymentsOf(caseId)).map((x) => ({ date: x.paid_on, fen: x.amount_fen }))));
    return p;
  };
  const out: PromiseView[] = [];
  for (const row of r.money.promises({ caseId: input.caseId, collectorId, from: input.from, to: input.to }, input.limit)) {
    const madeOn = dayIn(new Date(row.made_at));
    // A recurring promise is one promise per date; each is kept by what is paid after the one before.
    const count = row.promise_count ?? 1;
    const dates = Array.from({ length: count }, (_, i) => addMonths(row.date, i * (row.promise_every_months ?? 1)));
    dates.forEach((date, i) => {
      const from = i === 0 ? madeOn : addDays(dates[i - 1]!, 1);
      const s = promiseState({ madeOn: from, date, amountFen: row.amount_fen }, paymentsOf(row.case_id), day);
      if (input.from !== undefined && date < input.from) return;
      if (input.to !== undefined && date > input.to) return;
      if (input.states && !input.states.includes(s.state)) return;
      out.push({ attemptId: row.attempt_id, caseId: row.case_id, caseNo: row.case_no, borrowerName: row.borrower_name, collector: row.collector, madeOn, date, amountFen: row.amount_fen, paidFen: s.paidFen, state: s.state, instance: count > 1 ? { no: i + 1, of: count } : null });
    });
  }
  out.sort((a, b) => b.date.localeCompare(a.date) || b.attemptId - a.attemptId);
  return { promises: out };
};

export const moneyHandlers = {
  'money.settings': settings,
  'money.setSettings': setSettings,
  'money.setCaseTerms': setCaseTerms,
  'money.balance': balance,
  'promises.list': promises,
};
