// Days overdue and bucket as of a day, the one rule behind the case list, the case view and Today.
import { describe, it, expect } from 'vitest';
import { caseAging, agingDay, daysOverdueOn, daysBetween } from '../../../shared/domain/placement/aging.js';
import { bucketOf, DEFAULT_BUCKETS } from '../../../shared/domain/placement/buckets.js';

const open = { daysAtPlacement: 25, placementDate: '2026-11-01', stage: 'contact' };

describe('caseAging', () => {
  it('an open case ages one day per calendar day from its placement, and its bucket follows', () => {
    expect(caseAging(open, '2026-11-01')).toMatchObject({ asOf: '2026-11-01', daysOverdue: 25, bucket: 'M1', daysAtPlacement: 25, bucketAtPlacement: 'M1', daysSincePlacement: 0 });
    expect(caseAging(open, '2026-11-06')).toMatchObject({ daysOverdue: 30, bucket: 'M1', daysSincePlacement: 5 });
    expect(caseAging(open, '2026-11-07')).toMatchObject({ daysOverdue: 31, bucket: 'M2', bucketAtPlacement: 'M1', daysSincePlacement: 6 });
    // Across a month end and a leap day.
    expect(caseAging({ ...open, placementDate: '2028-02-28' }, '2028-03-01').daysOverdue).toBe(27);
  });

  it('a paused case keeps ageing; a settled, closed, written-off or returned one stops on the day it finished', () => {
    expect(caseAging({ ...open, stage: 'paused', endedOn: '2026-11-03' }, '2026-12-01').daysOverdue).toBe(55);
    for (const stage of ['settled', 'closed', 'written_off', 'returned']) {
      expect(caseAging({ ...open, stage, endedOn: '2026-11-10' }, '2026-12-01')).toMatchObject({ asOf: '2026-11-10', daysOverdue: 34, bucket: 'M2', daysSincePlacement: 9 });
    }
  });

  it('a finished case whose end day is unknown is counted to today; an end day in the future is ignored', () => {
    expect(caseAging({ ...open, stage: 'settled', endedOn: null }, '2026-12-01').daysOverdue).toBe(55);
    expect(agingDay({ stage: 'settled', endedOn: '2026-12-05' }, '2026-12-01')).toBe('2026-12-01');
    // An end day recorded for a case that is open again (a reversal reopened it) does not stop it.
    expect(agingDay({ stage: 'contact', endedOn: '2026-11-10' }, '2026-12-01')).toBe('2026-12-01');
  });

  it('unknown days stay unknown; a day before the placement never counts fewer days than the file gave', () => {
    expect(caseAging({ ...open, daysAtPlacement: null }, '2026-12-01')).toMatchObject({ daysOverdue: null, bucket: null, bucketAtPlacement: null });
    expect(daysOverdueOn('2026-10-01', '2026-11-01', 25)).toBe(25);
    expect(daysBetween('2026-11-01', '2026-10-30')).toBe(-2);
  });

  it('agrees with bucketOf on every day count, with a lender table too', () => {
    const table = [
      { code: 'M1', minDays: 0, maxDays: 30 },
      { code: 'M2+', minDays: 31, maxDays: null },
    ];
    for (let d = 0; d < 200; d += 7) {
      expect(caseAging({ ...open, daysAtPlacement: d }, '2026-11-11').bucket).toBe(bucketOf(d + 10, DEFAULT_BUCKETS)!.code);
      expect(caseAging({ ...open, daysAtPlacement: d }, '2026-11-11', table).bucket).toBe(bucketOf(d + 10, table)!.code);
    }
  });
});
