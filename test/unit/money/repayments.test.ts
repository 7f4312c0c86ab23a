// Repayment-file rules without a store: the header table, channel words, row checks, matching within the
// ±3-day window, reconciliation pairing at a period's edges, and commission rounding worked by hand.
import { describe, it, expect } from 'vitest';
import { normalizeHeader } from '../../../shared/domain/placement/header-normalize.js';
import { autoMap } from '../../../shared/domain/placement/auto-map.js';
import { REPAYMENT_FIELDS } from '../../../shared/domain/repayments/fields.js';
import { channelOf } from '../../../shared/domain/repayments/channel.js';
import { rowNormaliser } from '../../../shared/domain/repayments/row.js';
import { findMatch } from '../../../shared/domain/repayments/match.js';
import { reconcile, type ReportedRow, type AgencyPayment } from '../../../shared/domain/repayments/reconcile.js';
import { commissionFen, rateFor } from '../../../shared/domain/repayments/commission.js';
import { findHeader } from '../../../core/repayments/read.js';

describe('repayment headers', () => {
  it('gives every spelling to one field only', () => {
    const owner = new Map<string, string>();
    for (const f of REPAYMENT_FIELDS) {
      for (const name of [f.key, f.labelZh, f.labelEn, ...f.synonyms].map(normalizeHeader)) {
        expect(owner.get(name) ?? f.key, `${name} is claimed by ${owner.get(name)} and ${f.key}`).toBe(f.key);
        owner.set(name, f.key);
      }
    }
  });

  it('maps Chinese and English headers of real files', () => {
    expect(autoMap(['借据号', '实还金额(元)', '入账日期', '还款方式', '付款人', '交易流水号'], REPAYMENT_FIELDS).mapping).toEqual({ caseNo: 0, amount: 1, paidOn: 2, channel: 3, payer: 4, reference: 5 });
    expect(autoMap(['Loan No', 'Repayment Amount', 'Value Date', 'Txn ID'], REPAYMENT_FIELDS).mapping).toEqual({ caseNo: 0, amount: 1, paidOn: 2, reference: 3 });
  });

  it('finds the header under a title row; two known names suffice, and a mapped header counts', () => {
    expect(findHeader([['XX银行回款明细'], [], ['合同号', '回款金额', '日期'], ['HT1', '1.00', '2026-11-01']], {})).toBe(2);
    expect(findHeader([['合同号', '金额X', '时间X'], ['HT1', '1.00', '2026-11-01']], {})).toBe(-1);
    expect(findHeader([['合同号', '金额X', '时间X'], ['HT1', '1.00', '2026-11-01']], { paidOn: '时间X' })).toBe(0);
  });
});

describe('channels', () => {
  it('maps the lender’s words to the agency’s channels', () => {
    expect(['支付宝', '微信支付', '银行卡代扣', '对公转账', 'APP主动还款', '现金', '', '线下其他', 'alipay'].map(channelOf)).toEqual([
      'alipay', 'wechat', 'bank_transfer', 'bank_transfer', 'lender_platform', 'cash', 'lender_platform', 'other', 'alipay',
    ]);
  });
});

describe('rows', () => {
  const norm = rowNormaliser({ caseNo: 0, amount: 1, paidOn: 2, channel: null, payer: null, reference: 3 }, (f) => f);
  it('normalises amounts and dates as lenders write them', () => {
    expect(norm(5, [' HT1 ', '¥1,234.56元', '2026年11月3日', 'R1'])).toEqual({ ok: true, value: { row: 5, caseNo: 'HT1', amountFen: 123_456, paidOn: '2026-11-03', channel: '', payer: '', reference: 'R1' } });
    expect(norm(6, ['HT1', 12.3, 46341, ''])).toMatchObject({ ok: true, value: { amountFen: 1_230, paidOn: '2026-11-15' } });
  });
  it('rejects with the column and reason', () => {
    expect(norm(7, ['', '1', '2026-11-01'])).toEqual({ ok: false, rejection: { row: 7, column: 'caseNo', reason: 'no case number' } });
    expect(norm(8, ['HT1', '-5', '2026-11-01'])).toMatchObject({ ok: false, rejection: { column: 'amount' } });
    expect(norm(9, ['HT1', '1.234', '2026-11-01'])).toMatchObject({ ok: false, rejection: { column: 'amount' } });
    expect(norm(10, ['HT1', '1', '2026-02-30'])).toMatchObject({ ok: false, rejection: { column: 'paidOn' } });
    expect(norm(11, ['HT1', '1', ''])).toMatchObject({ ok: false, rejection: { column: 'paidOn', reason: 'no payment date' } });
  });
});

describe('matching', () => {
  const c = (id: number, paidOn: string, amountFen = 100) => ({ id, paidOn, amountFen });
  it('takes the same amount within ±3 days, the nearest date first, never a taken one', () => {
    const list = [c(1, '2026-11-01'), c(2, '2026-11-04'), c(3, '2026-11-05', 99), c(4, '2026-11-08')];
    expect(findMatch({ paidOn: '2026-11-05', amountFen: 100 }, list, new Set())?.id).toBe(2);
    expect(findMatch({ paidOn: '2026-11-05', amountFen: 100 }, list, new Set([2]))?.id).toBe(4); // 3 days: still in
    expect(findMatch({ paidOn: '2026-11-05', amountFen: 100 }, list, new Set([2, 4]))).toBeNull(); // 4 days: out
    expect(findMatch({ paidOn: '2026-11-12', amountFen: 100 }, list, new Set())).toBeNull();
    expect(findMatch({ paidOn: '2026-11-05', amountFen: 99 }, list, new Set())?.id).toBe(3);
  });
  it('breaks a tie of dates by the earliest payment', () => {
    expect(findMatch({ paidOn: '2026-11-05', amountFen: 100 }, [c(7, '2026-11-06'), c(6, '2026-11-04')], new Set())?.id).toBe(6);
  });
});

describe('reconciliation pairing', () => {
  const rep = (id: number, caseId: number, paidOn: string, amountFen: number, matchedAgency = false): ReportedRow => ({ id, caseId, caseNo: `C${caseId}`, paidOn, amountFen, fileId: 1, fileName: 'f', row: id, reference: '', paymentId: null, matchedAgency, reversed: false });
  const ag = (id: number, caseId: number, paidOn: string, amountFen: number, linked = false): AgencyPayment => ({ id, caseId, caseNo: `C${caseId}`, paidOn, amountFen, reference: '', linked });
  it('pairs across the period’s edge, leaves pairs out of the one-sided groups, and ignores other cases', () => {
    const g = reconcile(
      [rep(1, 1, '2026-11-30', 500), rep(2, 2, '2026-11-10', 700), rep(3, 3, '2026-11-10', 100, true)],
      [ag(10, 1, '2026-12-02', 450), ag(11, 9, '2026-11-10', 700), ag(12, 3, '2026-11-10', 100, true)],
      '2026-11-01',
      '2026-11-30',
    );
    expect(g.mismatches.map((m) => [m.lender.id, m.agency.id, m.differenceFen])).toEqual([[1, 10, 50]]);
    expect(g.lenderOnly.map((x) => x.id)).toEqual([2]);
    expect(g.agencyOnly.map((x) => x.id)).toEqual([11]);
    expect(g.matched.map((x) => x.id)).toEqual([3]);
  });
  it('lists nothing from outside the period', () => {
    const g = reconcile([rep(1, 1, '2026-12-05', 500)], [ag(10, 2, '2026-10-31', 450)], '2026-11-01', '2026-11-30');
    expect([g.matched, g.lenderOnly, g.agencyOnly, g.mismatches]).toEqual([[], [], [], []]);
  });
});

describe('commission', () => {
  it('rounds each payment half up to the fen', () => {
    expect(commissionFen(5, 100_000)).toBe(1); // 0.5 → 1
    expect(commissionFen(4, 100_000)).toBe(0); // 0.4 → 0
    expect(commissionFen(15, 100_000)).toBe(2); // 1.5 → 2 (not to even)
    expect(commissionFen(333, 150_000)).toBe(50); // 49.95 → 50
    expect(commissionFen(20_000, 333_333)).toBe(6_667); // 6,666.66 → 6,667
    expect(commissionFen(1_070_000, 333_333)).toBe(356_666); // 356,666.31 → 356,666
    expect(commissionFen(-5, 100_000)).toBe(-1); // a refund mirrors the payment
    expect(commissionFen(0, 500_000)).toBe(0);
  });
  it('stays exact where a float would not: ¥90 trillion at 12.3457 %', () => {
    // 9,007,199,254,740,991 fen × 123,457 / 1,000,000 = 1,112,001,900,191,956.…(0.59…) → …957
    expect(commissionFen(Number.MAX_SAFE_INTEGER, 123_457)).toBe(Number((BigInt(Number.MAX_SAFE_INTEGER) * 123_457n * 2n + 1_000_000n) / 2_000_000n));
    expect(() => commissionFen(1.5, 100_000)).toThrow(RangeError);
  });
  it('takes the rate of the highest tier at or below the days overdue', () => {
    const tiers = [{ fromDay: 0, ratePpm: 100_000 }, { fromDay: 31, ratePpm: 150_000 }, { fromDay: 91, ratePpm: 200_000 }];
    expect([0, 30, 31, 90, 91, 5000].map((d) => rateFor(tiers, d))).toEqual([100_000, 100_000, 150_000, 150_000, 200_000, 200_000]);
    expect(rateFor([{ fromDay: 31, ratePpm: 150_000 }], 30)).toBe(0);
    expect(rateFor([], 100)).toBe(0);
    expect(rateFor(tiers, null)).toBe(100_000);
    expect(rateFor([{ fromDay: 31, ratePpm: 150_000 }], null)).toBe(0);
  });
});
