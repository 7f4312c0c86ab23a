// The pure target rules: which target stands for the agency, what a subject recovered, the percentage,
// and the calendar helpers the home page counts by.
import { describe, it, expect } from 'vitest';
import { agencyTarget, monthDays, progressPct, recoveredFor, weekEnd } from '../../../shared/domain/targets/progress.js';

describe('agencyTarget', () => {
  it("is the agency's own target when set, else the teams' sum, else the collectors' sum, else none", () => {
    const own = { collectorId: null, teamId: null, amountFen: 900 };
    const t1 = { collectorId: null, teamId: 1, amountFen: 300 };
    const t2 = { collectorId: null, teamId: 2, amountFen: 200 };
    const c1 = { collectorId: 7, teamId: null, amountFen: 50 };
    const c2 = { collectorId: 8, teamId: null, amountFen: 70 };
    expect(agencyTarget([c1, t1, own, t2])).toBe(900);
    expect(agencyTarget([c1, t1, t2])).toBe(500);
    expect(agencyTarget([c1, c2])).toBe(120);
    expect(agencyTarget([])).toBeNull();
    // A zero target is a target (nothing expected), not "none".
    expect(agencyTarget([{ collectorId: null, teamId: null, amountFen: 0 }])).toBe(0);
  });
});

describe('recoveredFor', () => {
  const rec = [
    { collectorId: 7, teamId: 1, fen: 100 },
    { collectorId: 8, teamId: 1, fen: 40 },
    { collectorId: 9, teamId: 2, fen: -10 },
    { collectorId: null, teamId: null, fen: 5 },
  ];
  it('adds a collector’s, a team’s or everyone’s (the pool included, reversals netted)', () => {
    expect(recoveredFor({ collectorId: 7, teamId: null }, rec)).toBe(100);
    expect(recoveredFor({ collectorId: null, teamId: 1 }, rec)).toBe(140);
    expect(recoveredFor({ collectorId: null, teamId: 2 }, rec)).toBe(-10);
    expect(recoveredFor({ collectorId: null, teamId: null }, rec)).toBe(135);
  });
});

describe('progressPct', () => {
  it('rounds to 2 decimals half up, null without a positive target', () => {
    expect(progressPct(410_000, 1_500_000)).toBe(27.33);
    expect(progressPct(1, 8)).toBe(12.5);
    expect(progressPct(2, 3)).toBe(66.67);
    expect(progressPct(3, 2)).toBe(150);
    expect(progressPct(5, 0)).toBeNull();
    expect(progressPct(5, null)).toBeNull();
  });
});

describe('calendar', () => {
  it('month days, leap years included', () => {
    expect(monthDays('2026-11')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(monthDays('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthDays('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
  it('the week ends on Sunday (a Sunday is its own week end)', () => {
    expect(weekEnd('2026-11-16')).toBe('2026-11-22'); // Monday
    expect(weekEnd('2026-11-18')).toBe('2026-11-22');
    expect(weekEnd('2026-11-22')).toBe('2026-11-22'); // Sunday
    expect(weekEnd('2026-12-28')).toBe('2027-01-03');
  });
});
