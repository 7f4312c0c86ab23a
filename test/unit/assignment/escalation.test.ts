// The default escalation schedule at its boundaries, and "today" in the agency's time zone.
import { describe, it, expect } from 'vitest';
import { nextStep, daysOverdueOn } from '../../../shared/domain/casework/escalation.js';
import { dayIn, endOfDayIso } from '../../../shared/domain/casework/today.js';

describe('escalation schedule', () => {
  it('a new case on day 1 is behind on the SMS reminder; on day 0 the reminder is a day ahead', () => {
    expect(nextStep(1, 'new')).toMatchObject({ step: { action: 'sms_reminder' }, behind: true, inDays: 0 });
    expect(nextStep(0, 'new')).toMatchObject({ step: { action: 'sms_reminder' }, behind: false, inDays: 1 });
  });
  it('day 6 vs day 7 for the phone call once reminded', () => {
    expect(nextStep(6, 'reminder')).toMatchObject({ step: { action: 'phone_call' }, behind: false, inDays: 1 });
    expect(nextStep(7, 'reminder')).toMatchObject({ step: { action: 'phone_call' }, behind: true });
  });
  it('names the latest step a case has fallen behind on', () => {
    expect(nextStep(65, 'contact')).toMatchObject({ step: { action: 'legal_review' }, behind: true });
    expect(nextStep(45, 'field_visit')).toMatchObject({ step: { action: 'legal_review' }, behind: false, inDays: 15 });
  });
  it('asks nothing of paused, finished or unknown-age cases, or past the last step', () => {
    expect(nextStep(40, 'paused')).toBeNull();
    expect(nextStep(40, 'settled')).toBeNull();
    expect(nextStep(null, 'new')).toBeNull();
    expect(nextStep(400, 'legal_referral')).toBeNull();
  });
  it('days overdue grow from the placement date', () => {
    expect(daysOverdueOn('2026-03-10', '2026-03-01', 5)).toBe(14);
    expect(daysOverdueOn('2026-03-01', '2026-03-01', 5)).toBe(5);
    expect(daysOverdueOn('2026-03-10', '2026-03-01', null)).toBeNull();
  });
});

describe('today in Asia/Shanghai', () => {
  it('turns over at 16:00 UTC', () => {
    expect(dayIn(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
    expect(dayIn(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24');
    expect(endOfDayIso('2026-11-23')).toBe('2026-11-23T15:59:59.999Z');
  });
});
