// The rule for a promised date (shared/domain/casework/promise-date.ts): the day it is made or later, never
// before, on the agency's calendar day; its refusal has words in both languages.
import { describe, expect, it } from 'vitest';
import { promisedTooEarly } from '../../shared/domain/casework/promise-date.js';
import { dayIn } from '../../shared/domain/casework/today.js';
import { MESSAGES } from '../../shared/contract/messages.js';
import { messagesZhCN } from '../../renderer/i18n/messages-zh-CN.js';

describe('promisedTooEarly', () => {
  it('takes the day itself and later days, refuses earlier ones (across months and years)', () => {
    expect(promisedTooEarly('2026-11-23', '2026-11-23')).toBe(false);
    expect(promisedTooEarly('2026-11-24', '2026-11-23')).toBe(false);
    expect(promisedTooEarly('2027-01-01', '2026-12-31')).toBe(false);
    expect(promisedTooEarly('2026-11-22', '2026-11-23')).toBe(true);
    expect(promisedTooEarly('2026-12-31', '2027-01-01')).toBe(true);
    expect(promisedTooEarly('2020-01-01', '2026-11-23')).toBe(true);
  });

  it("is judged on the agency's day: 00:30 in Shanghai is the next day while UTC is still on the last", () => {
    const at = new Date('2026-11-23T16:30:00.000Z');
    expect(promisedTooEarly('2026-11-23', dayIn(at))).toBe(true);
    expect(promisedTooEarly('2026-11-23', at.toISOString().slice(0, 10))).toBe(false);
  });

  it('the refusals name the day in both languages', () => {
    for (const key of ['promiseBeforeMadeOn', 'planDateBeforeToday', 'planFirstBeforeToday'] as const) {
      expect(MESSAGES[key]).toContain('{{date}}');
      expect(messagesZhCN.apiMessages[key]).toContain('{{date}}');
    }
  });
});
