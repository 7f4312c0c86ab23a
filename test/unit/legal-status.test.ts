// Legal referral rules (shared/domain/money/legal.ts): events move the status forward only, closed stays
// closed, and a next date is overdue only once it has passed on a running referral.
import { describe, it, expect } from 'vitest';
import { LEGAL_EVENT_KINDS, LEGAL_STATUSES, nextDateOverdue, statusAfterEvent } from '../../shared/domain/money/legal.js';

describe('statusAfterEvent', () => {
  it('moves forward to what the event shows', () => {
    expect(statusAfterEvent('referred', 'filing')).toBe('filed');
    expect(statusAfterEvent('referred', 'hearing')).toBe('hearing_scheduled');
    expect(statusAfterEvent('filed', 'judgment')).toBe('judgment');
    expect(statusAfterEvent('judgment', 'enforcement')).toBe('enforcement');
  });
  it('never moves back, and costs and notes change nothing', () => {
    expect(statusAfterEvent('judgment', 'hearing')).toBe('judgment');
    expect(statusAfterEvent('enforcement', 'filing')).toBe('enforcement');
    for (const s of LEGAL_STATUSES) {
      expect(statusAfterEvent(s, 'cost')).toBe(s);
      expect(statusAfterEvent(s, 'note')).toBe(s);
    }
  });
  it('leaves a closed referral closed whatever is recorded', () => {
    for (const k of LEGAL_EVENT_KINDS) expect(statusAfterEvent('closed', k)).toBe('closed');
  });
});

describe('nextDateOverdue', () => {
  it('is true only the day after the next date, on a running referral', () => {
    expect(nextDateOverdue({ status: 'filed', nextDate: '2026-12-01' }, '2026-12-01')).toBe(false);
    expect(nextDateOverdue({ status: 'filed', nextDate: '2026-12-01' }, '2026-12-02')).toBe(true);
    expect(nextDateOverdue({ status: 'closed', nextDate: '2026-12-01' }, '2026-12-02')).toBe(false);
    expect(nextDateOverdue({ status: 'filed', nextDate: null }, '2026-12-02')).toBe(false);
  });
});
