// The escalation schedule counted by days overdue or by days since placement (per lender), and how a
// lender's choice is stored without a migration.
import { describe, it, expect } from 'vitest';
import { caseStep, parseSchedule, storeSchedule, DEFAULT_ESCALATION } from '../../../shared/domain/casework/escalation.js';
import { caseAging } from '../../../shared/domain/placement/aging.js';

const lateCase = { daysAtPlacement: 95, placementDate: '2026-11-01', stage: 'new' };

describe('escalation basis', () => {
  it('a case placed at 95 days overdue is behind on legal review at once by days overdue, but not on day 0 since placement', () => {
    const day0 = caseAging(lateCase, '2026-11-01');
    expect(caseStep({ basis: 'days_overdue', steps: [...DEFAULT_ESCALATION] }, day0, 'new')).toMatchObject({ action: 'legal_review', behind: true, basis: 'days_overdue' });
    expect(caseStep({ basis: 'days_since_placement', steps: [...DEFAULT_ESCALATION] }, day0, 'new')).toEqual({
      action: 'sms_reminder',
      fromDay: 1,
      behind: false,
      inDays: 1,
      basis: 'days_since_placement',
    });
  });

  it('since placement, the steps fall due on the days after the case arrived', () => {
    const schedule = { basis: 'days_since_placement' as const, steps: [...DEFAULT_ESCALATION] };
    expect(caseStep(schedule, caseAging(lateCase, '2026-11-02'), 'new')).toMatchObject({ action: 'sms_reminder', behind: true });
    expect(caseStep(schedule, caseAging(lateCase, '2026-11-07'), 'reminder')).toMatchObject({ action: 'phone_call', behind: false, inDays: 1 });
    expect(caseStep(schedule, caseAging(lateCase, '2026-11-08'), 'reminder')).toMatchObject({ action: 'phone_call', behind: true });
    expect(caseStep(schedule, caseAging(lateCase, '2027-01-01'), 'field_visit')).toMatchObject({ action: 'legal_review', behind: true });
  });

  it('reads the plain step list of older stores as days overdue, and round-trips both bases', () => {
    const steps = [{ fromDay: 3, action: 'phone_call' as const, stage: 'contact' as const }];
    expect(parseSchedule(JSON.stringify(steps))).toEqual({ basis: 'days_overdue', steps, isDefault: false });
    expect(parseSchedule('[]')).toEqual({ basis: 'days_overdue', steps: [...DEFAULT_ESCALATION], isDefault: true });
    expect(parseSchedule(storeSchedule('days_since_placement', steps))).toEqual({ basis: 'days_since_placement', steps, isDefault: false });
    // The default steps on the other basis.
    expect(parseSchedule(storeSchedule('days_since_placement', []))).toEqual({ basis: 'days_since_placement', steps: [...DEFAULT_ESCALATION], isDefault: true });
    expect(storeSchedule('days_overdue', steps)).toBe(JSON.stringify(steps));
  });
});
