// Plans and promises: who approves a waiver at the limits' boundaries, installments against payments
// through the grace period, and promises kept / partly kept / broken.
import { describe, it, expect } from 'vitest';
import { approverFor, planProgress, promiseState, DEFAULT_APPROVAL } from '../../../shared/domain/money/plans.js';
import { installmentSchedule } from '../../../shared/domain/money/installments.js';

describe('approval limits', () => {
  const limits = { ...DEFAULT_APPROVAL, managerMaxWaiverFen: 100_000, managerMaxWaiverPpm: 300_000 };
  it('a manager approves up to both limits; one fen above either needs the lender', () => {
    expect(approverFor(0, 1_000, limits)).toBe('manager');
    expect(approverFor(100_000, 1_000_000, limits)).toBe('manager'); // ¥1,000 = the fen limit, 10 %
    expect(approverFor(100_001, 1_000_000, limits)).toBe('lender');
    expect(approverFor(30_000, 100_000, limits)).toBe('manager'); // exactly 30 %
    expect(approverFor(30_001, 100_000, limits)).toBe('lender');
  });
});

describe('plan progress', () => {
  // ¥1,000.00 in 3 from 2026-12-01: 333.34, 333.33, 333.33; grace 3 days.
  const schedule = installmentSchedule(100_000, 3, '2026-12-01');
  it('fills installments in order and holds through the grace period', () => {
    const pays = [{ date: '2026-12-04', fen: 33_334 }];
    expect(planProgress(schedule, pays, '2026-12-04', 3)).toMatchObject({ outcome: 'running', paidFen: 33_334, next: { no: 2 } });
    expect(planProgress(schedule, [], '2026-12-04', 3).installments[0]!.state).toBe('due');
  });
  it('breaks the day after the grace when what is due is not covered, even if paid later', () => {
    expect(planProgress(schedule, [], '2026-12-05', 3)).toMatchObject({ outcome: 'broken', brokenOn: '2026-12-05', installments: [{ state: 'missed' }, { state: 'upcoming' }, { state: 'upcoming' }] });
    // One fen short by the end of the grace breaks it too.
    expect(planProgress(schedule, [{ date: '2026-12-01', fen: 33_333 }], '2026-12-05', 3).outcome).toBe('broken');
    expect(planProgress(schedule, [{ date: '2026-12-06', fen: 33_334 }], '2026-12-06', 3)).toMatchObject({ outcome: 'broken', brokenOn: '2026-12-05' });
  });
  it('completes when everything is paid, early payments counting toward later installments', () => {
    expect(planProgress(schedule, [{ date: '2026-12-01', fen: 100_000 }], '2026-12-01', 3)).toMatchObject({ outcome: 'completed', next: null });
    const part = planProgress(schedule, [{ date: '2026-12-01', fen: 50_000 }], '2026-12-02', 3);
    expect(part.installments.map((i) => [i.paidFen, i.state])).toEqual([
      [33_334, 'paid'],
      [16_666, 'part_paid'],
      [0, 'upcoming'],
    ]);
  });
});

describe('promises', () => {
  const p = { madeOn: '2027-03-01', date: '2027-03-05', amountFen: 10_000 };
  it('kept by payments between the promise and its date; judged only after the date otherwise', () => {
    expect(promiseState(p, [{ date: '2027-03-05', fen: 10_000 }], '2027-03-05')).toEqual({ state: 'kept', paidFen: 10_000 });
    expect(promiseState(p, [], '2027-03-05')).toEqual({ state: 'pending', paidFen: 0 });
    expect(promiseState(p, [{ date: '2027-03-02', fen: 9_999 }], '2027-03-06')).toEqual({ state: 'partly_kept', paidFen: 9_999 });
    // A payment before the promise was made, or after its date, does not keep it.
    expect(promiseState(p, [{ date: '2027-02-28', fen: 10_000 }, { date: '2027-03-06', fen: 10_000 }], '2027-03-06')).toEqual({ state: 'broken', paidFen: 0 });
  });
});
