// Cells as lenders' spreadsheets write them (found trying real exports, session 18): Excel's accounting
// format shows a zero as a lone dash, and some lender systems guard ID numbers and phones in CSV with
// ="…" so that Excel keeps them as text. Both are what the lender's spreadsheet displays; neither is an error.
import { describe, it, expect } from 'vitest';
import { compileRowNormaliser } from '../../../shared/domain/placement/normalise-row.js';
import { autoMap } from '../../../shared/domain/placement/auto-map.js';
import { idCheckChar } from '../../../shared/domain/placement/id-number.js';

const headers = ['案件编号', '客户姓名', '身份证号', '手机号', '逾期本金', '逾期利息', '罚息', '逾期金额'];
const columns = autoMap(headers).mapping as Record<string, number | null>;
const ID17 = '11010519800312701';
const ID = ID17 + idCheckChar(ID17);
const normalise = compileRowNormaliser(columns, { asOf: '2026-11-25' });

describe('placement cells as lenders export them', () => {
  it('a lone dash in an amount column is the accounting format\'s zero', () => {
    for (const dash of ['-', ' - ', '－', '—', '¥ -', '￥-  ']) {
      const r = normalise(['C1', '钱多多', ID, '13800138020', '1,000.00', dash, dash, '1,000.00']);
      expect(r.ok, JSON.stringify(dash)).toBe(true);
      if (r.ok) expect([r.value.overdueAmountFen, r.value.overduePrincipalFen, r.value.overdueInterestFen, r.value.overduePenaltyFen]).toEqual([100_000, 100_000, 0, 0]);
    }
  });

  it('a dash is still refused where it is not alone or is a sign', () => {
    for (const bad of ['--', '-5', '- 5', '1-']) {
      const r = normalise(['C1', '钱多多', ID, '13800138020', '1,000.00', bad, '', '']);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.errors[0]!.field).toBe('overdueInterest');
    }
  });

  it('="…" guarded cells read as the text they display', () => {
    const r = normalise(['="C0001"', '钱多多', `="${ID}"`, '="13800138020"', '', '', '', '="1,234.50"']);
    expect(r.ok).toBe(true);
    if (r.ok) expect([r.value.caseNo, r.value.idNumber, r.value.mobile, r.value.overdueAmountFen]).toEqual(['C0001', ID, '13800138020', 123_450]);
  });

  it('a formula that is not a plain guard is not unwrapped', () => {
    const r = normalise(['C1', '钱多多', `=A1&"${ID}"`, '13800138020', '', '', '', '100']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(['idNumber']);
  });
});

describe('="…" with quotes inside', () => {
  it('a doubled quote stands for one; two strings joined are a formula, kept as written', () => {
    const ok = normalise(['="C""1"', '钱多多', ID, '13800138020', '', '', '', '100']);
    expect(ok.ok && ok.value.caseNo).toBe('C"1');
    const joined = normalise(['="C"&"1"', '钱多多', ID, '13800138020', '', '', '', '100']);
    expect(joined.ok && joined.value.caseNo).toBe('="C"&"1"');
  });
});
