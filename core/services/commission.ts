// The monthly commission statement per lender: every payment of the month on the lender's cases (posted by
// hand or from a lender file) that stands — a reversed payment and its reversal (which carries the
// reversed payment's date, so falls in the same month) are both left out — with the case's days overdue
// at placement, the tier rate and the commission rounded half up to the fen per payment.
import { ApiFailure } from '../../shared/contract/failure.js';
import { commissionFen, rateFor, type CommissionTier } from '../../shared/domain/repayments/commission.js';
import type { Handler } from '../context.js';

const lastDay = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

const statement: Handler<'commission.statement'> = ({ lenderId, month }, ctx) => {
  const r = ctx.store.repos;
  const lender = r.lenders.byId(lenderId);
  const settings = r.money.settings(lenderId);
  if (!lender || !settings) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  const tiers = JSON.parse(settings.commission) as CommissionTier[];
  const all = r.repayments.monthPayments(lenderId, `${month}-01`, lastDay(month));
  const lines = all
    .filter((p) => p.reverses_id === null && p.reversed === 0)
    .map((p) => {
      const ratePpm = rateFor(tiers, p.days_overdue);
      return { paymentId: p.id, caseId: p.case_id, caseNo: p.case_no, paidOn: p.paid_on, source: p.source, daysOverdue: p.days_overdue, ratePpm, amountFen: p.amount_fen, commissionFen: commissionFen(p.amount_fen, ratePpm) };
    });
  return {
    lenderId,
    lenderCode: lender.code,
    month,
    tiers,
    lines,
    payments: lines.length,
    recoveredFen: lines.reduce((n, l) => n + l.amountFen, 0),
    commissionFen: lines.reduce((n, l) => n + l.commissionFen, 0),
    reversedLeftOut: all.filter((p) => p.reverses_id === null && p.reversed === 1).length,
  };
};

export const commissionHandlers = { 'commission.statement': statement };
