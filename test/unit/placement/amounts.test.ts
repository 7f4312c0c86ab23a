// The amount model of a placement row: every shape a lender's file gives, and the invariant the ledger
// relies on — what is stored sums to the stored total.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { resolveAmounts, amountFormula, amountMapped, type RowAmounts } from '../../../shared/domain/placement/amounts.js';
import { compileRowNormaliser } from '../../../shared/domain/placement/normalise-row.js';
import { autoMap } from '../../../shared/domain/placement/auto-map.js';

const none: RowAmounts = { overdue: null, placement: null, principal: null, interest: null, penalty: null, lateFee: null, remaining: null };
const row = (a: Partial<RowAmounts>) => ({ ...none, ...a });

describe('resolveAmounts', () => {
  it('a total only: all of it is principal', () => {
    expect(resolveAmounts(row({ overdue: 100_000 }), 'principal_difference')).toMatchObject({ ok: true, total: 100_000, principal: 100_000, basis: 'total', mismatch: null });
    expect(resolveAmounts(row({ placement: 70_000 }), 'reject_row')).toMatchObject({ ok: true, total: 70_000, principal: 70_000, basis: 'total' });
  });
  it('components only: the total is their sum (a missing principal is 0)', () => {
    expect(resolveAmounts(row({ principal: 30_000, interest: 10_000, penalty: 5_000, lateFee: 2_000 }), 'reject_row')).toMatchObject({
      ok: true, total: 47_000, principal: 30_000, interest: 10_000, penalty: 5_000, lateFee: 2_000, basis: 'components',
    });
    expect(resolveAmounts(row({ interest: 10_000 }), 'principal_difference')).toMatchObject({ ok: true, total: 10_000, principal: 0, basis: 'components' });
  });
  it('剩余本金 only: the total is the remaining principal, all principal', () => {
    expect(resolveAmounts(row({ remaining: 500_000 }), 'principal_difference')).toMatchObject({ ok: true, total: 500_000, principal: 500_000, interest: null, basis: 'remaining' });
    // With a total, 剩余本金 is a fact about the loan, not the debt.
    expect(resolveAmounts(row({ overdue: 1_000, remaining: 500_000 }), 'principal_difference')).toMatchObject({ total: 1_000, principal: 1_000 });
  });
  it('a total and components that agree: both kept; charges without a principal leave the rest as principal', () => {
    expect(resolveAmounts(row({ overdue: 45_000, principal: 30_000, interest: 10_000, penalty: 5_000 }), 'reject_row')).toMatchObject({ ok: true, principal: 30_000, mismatch: null });
    expect(resolveAmounts(row({ overdue: 60_000, interest: 10_000, penalty: 5_000 }), 'reject_row')).toMatchObject({ ok: true, principal: 45_000, mismatch: null });
  });
  it('a total that disagrees: principal_difference keeps the total and books the difference as principal', () => {
    expect(resolveAmounts(row({ overdue: 100_000, principal: 30_000, interest: 10_000, penalty: 5_000 }), 'principal_difference')).toEqual({
      ok: true, total: 100_000, principal: 85_000, interest: 10_000, penalty: 5_000, lateFee: null, basis: 'total', mismatch: { totalFen: 100_000, componentsFen: 45_000 },
    });
    // Below the components: the principal shrinks.
    expect(resolveAmounts(row({ overdue: 40_000, principal: 30_000, interest: 10_000, penalty: 5_000 }), 'principal_difference')).toMatchObject({ ok: true, principal: 25_000 });
  });
  it('a total that disagrees: reject_row refuses the row naming both figures', () => {
    expect(resolveAmounts(row({ overdue: 100_000, principal: 30_000, interest: 10_000, penalty: 5_000 }), 'reject_row')).toEqual({
      ok: false, field: 'overdueAmount', reason: 'total 1,000.00 differs from its components 450.00', mismatch: { totalFen: 100_000, componentsFen: 45_000 },
    });
  });
  it('charges alone above the total are refused under either policy', () => {
    for (const policy of ['principal_difference', 'reject_row'] as const) {
      expect(resolveAmounts(row({ overdue: 10_000, interest: 8_000, penalty: 5_000 }), policy)).toMatchObject({ ok: false, reason: 'components 130.00 exceed the total 100.00' });
    }
  });
  it('two totals that differ are refused; no figure at all is "empty"', () => {
    expect(resolveAmounts(row({ overdue: 10_000, placement: 12_000 }), 'principal_difference')).toMatchObject({ ok: false, field: 'placementAmount' });
    expect(resolveAmounts(row({ overdue: 10_000, placement: 10_000 }), 'principal_difference')).toMatchObject({ ok: true, total: 10_000 });
    expect(resolveAmounts(none, 'principal_difference')).toEqual({ ok: false, field: 'overdueAmount', reason: 'empty', mismatch: null });
  });
  it('whatever it accepts, the stored components sum to the stored total and principal is never negative', () => {
    const fen = fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null });
    fc.assert(
      fc.property(fc.record({ overdue: fen, placement: fen, principal: fen, interest: fen, penalty: fen, lateFee: fen, remaining: fen }), fc.constantFrom('principal_difference', 'reject_row'), (a, policy) => {
        const r = resolveAmounts(a, policy as 'principal_difference');
        if (!r.ok) return;
        expect(r.principal).toBeGreaterThanOrEqual(0);
        expect(r.principal + (r.interest ?? 0) + (r.penalty ?? 0) + (r.lateFee ?? 0)).toBe(r.total);
        if (a.overdue !== null) expect(r.total).toBe(a.overdue);
        if (policy === 'reject_row') expect(r.mismatch).toBeNull();
      }),
    );
  });
});

describe('the amount in a layout', () => {
  it('any total, component or 剩余本金 column satisfies "overdue amount"', () => {
    for (const headers of [['逾期金额'], ['委托金额'], ['逾期本金'], ['罚息'], ['剩余本金'], ['Principal Outstanding'], ['Outstanding Balance'], ['Late Fee']]) {
      const m = autoMap(headers);
      expect(amountMapped(m.mapping), headers[0]).toBe(true);
    }
    expect(amountMapped(autoMap(['贷款金额', '逾期天数']).mapping)).toBe(false);
  });
  it('recognises English and Chinese spellings of the debt', () => {
    const cases: [string, string][] = [
      ['Principal Outstanding', 'remainingPrincipal'], ['Outstanding Principal', 'remainingPrincipal'], ['待还本金', 'remainingPrincipal'],
      ['剩余应还本金', 'remainingPrincipal'], ['未还本金', 'remainingPrincipal'], ['Outstanding Balance', 'overdueAmount'],
      ['Amount Due', 'overdueAmount'], ['Total Due', 'overdueAmount'], ['Overdue Amount', 'overdueAmount'], ['欠款金额', 'overdueAmount'],
      ['应还金额', 'overdueAmount'], ['逾期总额', 'overdueAmount'], ['应还总额', 'overdueAmount'], ['Interest Due', 'overdueInterest'],
      ['Penalty', 'overduePenalty'], ['Late Fee', 'overdueLateFee'], ['Late Fees', 'overdueLateFee'], ['Past Due Principal', 'overduePrincipal'],
    ];
    for (const [header, field] of cases) expect(Object.keys(autoMap([header]).mapping), header).toEqual([field]);
  });
  it('says how the total is formed, in the file\'s own headers', () => {
    const h = (m: Record<string, string>) => (f: string) => m[f] ?? null;
    expect(amountFormula('components', h({ overduePrincipal: '逾期本金', overdueInterest: '逾期利息', overduePenalty: '罚息' }))).toBe('= 逾期本金 + 逾期利息 + 罚息');
    expect(amountFormula('remaining', h({ remainingPrincipal: '剩余本金' }))).toBe('= 剩余本金');
    expect(amountFormula('total', h({ overdueAmount: '逾期金额', placementAmount: '委托金额' }))).toBe('= 逾期金额');
  });
});

describe('normaliseRow: amounts and dates', () => {
  const headers = ['合同号', '姓名', '身份证号', '手机号', '逾期金额', '逾期本金', '逾期利息', '罚息', '到期日', '委案日期', '委案到期日'];
  const columns = Object.fromEntries(Object.entries(autoMap(headers).mapping)) as Record<string, number>;
  const cells = (over: Record<number, string>) => {
    const base = ['HT1', '张三', '11010519491231002X', '13812345678', '1,000.00', '300.00', '100.00', '50.00', '2025-01-01', '', ''];
    for (const [i, v] of Object.entries(over)) base[Number(i)] = v;
    return base;
  };
  it('stores components that sum to the total and reports the disagreement', () => {
    const r = compileRowNormaliser(columns, { asOf: '2025-03-01' })(cells({}));
    expect(r).toMatchObject({ ok: true, value: { overdueAmountFen: 100_000, overduePrincipalFen: 85_000, overdueInterestFen: 10_000, overduePenaltyFen: 5_000, amountMismatch: { totalFen: 100_000, componentsFen: 45_000 } } });
    const rejected = compileRowNormaliser(columns, { asOf: '2025-03-01', amountPolicy: 'reject_row' })(cells({}));
    expect(rejected).toMatchObject({ ok: false, errors: [{ field: 'overdueAmount' }], amountMismatch: { totalFen: 100_000, componentsFen: 45_000 } });
  });
  it('a bad amount cell is reported once, without a second "empty" or disagreement', () => {
    const r = compileRowNormaliser(columns, { asOf: '2025-03-01' })(cells({ 4: '12,34.5' }));
    expect(r).toMatchObject({ ok: false, errors: [{ field: 'overdueAmount', reason: expect.stringMatching(/thousands/) }] });
    if (!r.ok) expect(r.errors).toHaveLength(1);
  });
  it("takes the row's 委案日期: days overdue are counted to it; a term end before it or a date after today is refused", () => {
    const n = compileRowNormaliser(columns, { asOf: '2025-03-01', latestPlacement: '2025-03-01' });
    expect(n(cells({ 9: '2025/1/31', 10: '2025-06-30' }))).toMatchObject({ ok: true, value: { placedOn: '2025-01-31', termEndDate: '2025-06-30', daysOverdue: 30 } });
    expect(n(cells({}))).toMatchObject({ ok: true, value: { placedOn: null, termEndDate: null, daysOverdue: 59 } });
    expect(n(cells({ 9: '2025-03-02' }))).toMatchObject({ ok: false, errors: [{ field: 'placementDate', reason: 'placement date 2025-03-02 is after today' }] });
    expect(n(cells({ 9: '2025-02-01', 10: '2025-01-31' }))).toMatchObject({ ok: false, errors: [{ field: 'placementEndDate' }] });
  });
});
