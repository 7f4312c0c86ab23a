// Fee arithmetic against examples worked out by hand in each test's comment.
import { describe, it, expect } from 'vitest';
import { balanceOn, DEFAULT_TERMS, type ContractTerms, type Opening } from '../../../shared/domain/money/balance.js';

const terms = (t: Partial<ContractTerms> = {}): ContractTerms => ({ ...DEFAULT_TERMS, aprCapPpm: null, ...t });
const opening = (principal: number, date = '2026-03-01', rest: Partial<Opening['owed']> = {}): Opening => ({
  date,
  owed: { fees: 0, penalty: 0, interest: 0, principal, ...rest },
});

describe('balance on a date', () => {
  it('penalty 0.05 %/day on ¥10,000 for 10 days = ¥50.00', () => {
    // 1,000,000 fen × 500 / 1,000,000 = 500 fen a day; × 10 days = 5,000 fen.
    const b = balanceOn(terms(), opening(1_000_000), [], '2026-03-11');
    expect(b.owed.penalty).toBe(5_000);
    expect(b.outstanding).toBe(1_005_000);
  });

  it('a payment on day 4 goes to the penalty first, then principal, and stops penalty on what it paid', () => {
    // Days 1–4: 4 × 500 = 2,000 fen penalty. ¥2,000 paid on 03-05: 2,000 penalty + 198,000 principal → 802,000.
    // Days 5–10: 802,000 × 500 / 1e6 = 401 a day × 6 = 2,406. Outstanding 802,000 + 2,406 = 804,406.
    const b = balanceOn(terms(), opening(1_000_000), [{ date: '2026-03-05', kind: 'payment', fen: 200_000 }], '2026-03-11');
    expect(b.paid).toEqual({ fees: 0, penalty: 2_000, interest: 0, principal: 198_000 });
    expect(b.owed).toEqual({ fees: 0, penalty: 2_406, interest: 0, principal: 802_000 });
    expect(b.outstanding).toBe(804_406);
  });

  it('carries fractions of a fen instead of losing them each day', () => {
    // 333 fen × 500 / 1e6 = 0.1665 fen a day; 10 days = 1.665 → 1 fen (rounding each day would give 0).
    expect(balanceOn(terms(), opening(333), [], '2026-03-11').owed.penalty).toBe(1);
  });

  it('caps charges at an annualised 24 % of the placed principal', () => {
    // 0.1 %/day (36.5 %/yr) on 1,000,000 for 30 days would be 30,000 fen.
    // Cap: 1,000,000 × 240,000 × 30 / (365 × 1e6) = 19,726.03 → 19,726 fen.
    const b = balanceOn(terms({ penaltyPpmPerDay: 1_000, aprCapPpm: 240_000 }), opening(1_000_000), [], '2026-03-31');
    expect(b.owed.penalty).toBe(19_726);
  });

  it('caps charges at a total, late fees included', () => {
    // ¥30 fixed fee on day 1, then 500 fen/day penalty; total cap ¥50 = 5,000 fen: 3,000 fee + 2,000 penalty.
    const b = balanceOn(terms({ lateFee: { kind: 'fixed', fen: 3_000 }, maxChargesFen: 5_000 }), opening(1_000_000), [], '2026-03-21');
    expect(b.accrued).toEqual({ fees: 3_000, penalty: 2_000 });
  });

  it('holds back what a cap does not allow yet and charges it as the allowance grows', () => {
    // ¥30 fee on day 1 and 0.01 %/day penalty (100 fen a day) on ¥10,000 under a 24 % APR cap
    // (657.53 fen a day of allowance). After day 1: 657 of the fee. After day 5: allowance 3,287, less
    // than 3,000 fee + 500 penalty → fee 3,000 + penalty 287. After day 10: 6,575 ≥ 4,000 → everything.
    const t = terms({ penaltyPpmPerDay: 100, lateFee: { kind: 'fixed', fen: 3_000 }, aprCapPpm: 240_000 });
    expect(balanceOn(t, opening(1_000_000), [], '2026-03-02').accrued).toEqual({ fees: 657, penalty: 0 });
    expect(balanceOn(t, opening(1_000_000), [], '2026-03-06').accrued).toEqual({ fees: 3_000, penalty: 287 });
    expect(balanceOn(t, opening(1_000_000), [], '2026-03-11').accrued).toEqual({ fees: 3_000, penalty: 1_000 });
  });

  it('charges nothing on frozen days (an approved plan) and lists what each payment paid', () => {
    // 10 days at 500 fen, of which 03-04 … 03-08 (5 days) frozen: 5 × 500 = 2,500.
    const b = balanceOn(terms(), opening(1_000_000), [{ date: '2026-03-03', kind: 'payment', fen: 700, id: 9 }], '2026-03-11', [{ from: '2026-03-04', until: '2026-03-09' }]);
    // Days 03-01, 03-02: 1,000 penalty; paid 700 on 03-03 → 300 left + principal untouched;
    // 03-03: 500; frozen 03-04 … 03-08; 03-09, 03-10: 1,000 → penalty 300 + 500 + 1,000 = 1,800.
    expect(b.owed.penalty).toBe(1_800);
    expect(b.allocations).toEqual([{ id: 9, date: '2026-03-03', fen: 700, applied: { fees: 0, penalty: 700, interest: 0, principal: 0 }, over: 0 }]);
    // An open freeze (a running plan) stops everything after its start.
    expect(balanceOn(terms(), opening(1_000_000), [], '2026-03-11', [{ from: '2026-03-02', until: null }]).owed.penalty).toBe(500);
  });

  it('late fees per period: ¥30 every 30 days over 65 days = ¥60; a percentage fee follows the principal', () => {
    expect(balanceOn(terms({ penaltyPpmPerDay: 0, lateFee: { kind: 'fixed', fen: 3_000 }, lateFeeEveryDays: 30 }), opening(1_000_000), [], '2026-05-05').owed.fees).toBe(6_000);
    // 1 % of 1,000,000 = 10,000 fen on day 30.
    expect(balanceOn(terms({ penaltyPpmPerDay: 0, lateFee: { kind: 'percent', ppm: 10_000 }, lateFeeEveryDays: 30 }), opening(1_000_000), [], '2026-04-01').owed.fees).toBe(10_000);
  });

  it('counts the leap day: 2024-02-28 → 2024-03-01 is two days of penalty', () => {
    expect(balanceOn(terms(), opening(1_000_000, '2024-02-28'), [], '2024-03-01').owed.penalty).toBe(1_000);
    expect(balanceOn(terms(), opening(1_000_000, '2025-02-28'), [], '2025-03-01').owed.penalty).toBe(500);
  });

  it('penalty on overdue interest when the contract says so', () => {
    // (1,000,000 + 200,000) × 500 / 1e6 = 600 a day × 10.
    expect(balanceOn(terms({ penaltyOnInterest: true }), opening(1_000_000, '2026-03-01', { interest: 200_000 }), [], '2026-03-11').owed.penalty).toBe(6_000);
  });

  it('waivers reduce what is owed and are shown apart; an overpayment is kept', () => {
    // 10 days: 5,000 penalty; waive 4,000 of it on 03-11, then pay everything plus ¥1.
    const b = balanceOn(
      terms(),
      opening(1_000_000),
      [
        { date: '2026-03-11', kind: 'waiver', amounts: { penalty: 4_000 } },
        { date: '2026-03-11', kind: 'payment', fen: 1_001_100 },
      ],
      '2026-03-11',
    );
    expect(b.waived.penalty).toBe(4_000);
    expect(b.paid).toEqual({ fees: 0, penalty: 1_000, interest: 0, principal: 1_000_000 });
    expect(b.outstanding).toBe(0);
    expect(b.overpaid).toBe(100);
  });

  it('refuses dates before the placement and events outside the period', () => {
    expect(() => balanceOn(terms(), opening(1), [], '2026-02-28')).toThrow(/before the placement/);
    expect(() => balanceOn(terms(), opening(1), [{ date: '2026-04-01', kind: 'payment', fen: 1 }], '2026-03-05')).toThrow(/outside/);
  });
});

describe('the shortcut for untouched cases', () => {
  it('gives exactly what the day-by-day loop gives (property)', async () => {
    const fc = (await import('fast-check')).default;
    // A freeze that starts after the end changes nothing but forces the loop.
    const loop = [{ from: '2999-01-01', until: null }];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 3_000 }),
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 2_000_000 })),
        fc.option(fc.integer({ min: 0, max: 10_000_000 })),
        fc.integer({ min: 0, max: 1_500 }),
        (principal, interest, ppm, onInterest, apr, maxCharges, days) => {
          const t = terms({ penaltyPpmPerDay: ppm, penaltyOnInterest: onInterest, aprCapPpm: apr, maxChargesFen: maxCharges });
          const o = opening(principal, '2024-01-01', { interest });
          const end = new Date(Date.UTC(2024, 0, 1 + days)).toISOString().slice(0, 10);
          expect(balanceOn(t, o, [], end)).toEqual(balanceOn(t, o, [], end, loop));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('stretches between events', () => {
  it('give exactly what the day-by-day loop gives, with payments and waivers on any days (property)', async () => {
    const fc = (await import('fast-check')).default;
    const loop = [{ from: '2999-01-01', until: null }]; // forces the day-by-day loop, changes nothing else
    const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n)).toISOString().slice(0, 10);
    const event = (days: number) =>
      fc.oneof(
        fc.record({ at: fc.integer({ min: 0, max: days }), fen: fc.integer({ min: 1, max: 3_000_000 }) }).map(({ at, fen }) => ({ date: day(at), kind: 'payment' as const, fen })),
        fc.record({ at: fc.integer({ min: 0, max: days }), penalty: fc.integer({ min: 0, max: 50_000 }), principal: fc.integer({ min: 0, max: 500_000 }) }).map(({ at, penalty, principal }) => ({ date: day(at), kind: 'waiver' as const, amounts: { penalty, principal } })),
      );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }).chain((days) =>
          fc.record({
            days: fc.constant(days),
            principal: fc.integer({ min: 0, max: 50_000_000 }),
            interest: fc.integer({ min: 0, max: 1_000_000 }),
            ppm: fc.integer({ min: 0, max: 3_000 }),
            onInterest: fc.boolean(),
            apr: fc.option(fc.integer({ min: 0, max: 2_000_000 })),
            maxCharges: fc.option(fc.integer({ min: 0, max: 1_000_000 })),
            events: fc.array(event(days), { maxLength: 6 }),
          }),
        ),
        ({ days, principal, interest, ppm, onInterest, apr, maxCharges, events }) => {
          const t = terms({ penaltyPpmPerDay: ppm, penaltyOnInterest: onInterest, aprCapPpm: apr, maxChargesFen: maxCharges });
          const o = opening(principal, day(0), { interest });
          expect(balanceOn(t, o, events, day(days))).toEqual(balanceOn(t, o, events, day(days), loop));
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
