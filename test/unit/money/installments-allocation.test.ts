// Installment schedules sum exactly; payments go fees → penalty → interest → principal unless the contract says otherwise.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { installmentSchedule, addMonths } from '../../../shared/domain/money/installments.js';
import { allocate } from '../../../shared/domain/money/allocation.js';

describe('installment schedules', () => {
  it('¥100.00 in 3: 33.34 + 33.33 + 33.33, monthly', () => {
    expect(installmentSchedule(10_000, 3, '2026-01-31')).toEqual([
      { no: 1, dueDate: '2026-01-31', amountFen: 3334 },
      { no: 2, dueDate: '2026-02-28', amountFen: 3333 },
      { no: 3, dueDate: '2026-03-31', amountFen: 3333 },
    ]);
  });
  it('awkward amounts: ¥0.02 in 2, ¥100.01 in 3, and ¥0.01 cannot be 3 payments', () => {
    expect(installmentSchedule(2, 2, '2026-05-01').map((i) => i.amountFen)).toEqual([1, 1]);
    expect(installmentSchedule(10_001, 3, '2026-05-01').map((i) => i.amountFen)).toEqual([3334, 3334, 3333]);
    expect(() => installmentSchedule(1, 3, '2026-05-01')).toThrow('¥0.01 cannot be split into 3 payments of at least ¥0.01');
  });
  it('always sums to the total, amounts differ by at most 1 fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000_000 }), fc.integer({ min: 1, max: 120 }), (totalFen, n) => {
        fc.pre(n <= totalFen);
        const s = installmentSchedule(totalFen, n, '2024-02-29');
        expect(s.reduce((a, i) => a + i.amountFen, 0)).toBe(totalFen);
        const amounts = s.map((i) => i.amountFen);
        expect(Math.max(...amounts) - Math.min(...amounts)).toBeLessThanOrEqual(1);
      }),
    );
  });
  it('months clamp to their last day, leap years included', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2025-12-15', 2)).toBe('2026-02-15');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
  });
});

describe('payment allocation', () => {
  const owed = { fees: 5_000, penalty: 3_000, interest: 10_000, principal: 100_000 };
  it('fees, then penalty, then interest, then principal', () => {
    // ¥200 = 50 fees + 30 penalty + 100 interest + 20 principal.
    expect(allocate(20_000, owed)).toEqual({
      applied: { fees: 5_000, penalty: 3_000, interest: 10_000, principal: 2_000 },
      remaining: { fees: 0, penalty: 0, interest: 0, principal: 98_000 },
      over: 0,
    });
  });
  it("follows the contract's order, and keeps an overpayment", () => {
    expect(allocate(105_000, owed, ['principal', 'interest', 'penalty', 'fees']).applied).toEqual({ principal: 100_000, interest: 5_000, penalty: 0, fees: 0 });
    expect(allocate(120_000, owed).over).toBe(2_000);
    expect(() => allocate(1, owed, ['fees', 'fees', 'interest', 'principal'])).toThrow('each component once');
  });
});
