// The complaint and deceased guardrails (pure), and the complaint's due date and overdue rule.
import { describe, it, expect } from 'vitest';
import { checkAttempt, CHANNELS, OVERRIDABLE, type AttemptIntent, type CaseFacts } from '../../../shared/domain/casework/guardrails.js';
import { answerDueAt, complaintOverdue, holdsOutbound, DEFAULT_ANSWER_DAYS } from '../../../shared/domain/casework/complaints.js';

const facts = (f: Partial<CaseFacts> = {}): CaseFacts => ({
  paused: false,
  borrowerAgreedToQuietHours: false,
  connectedCallsToday: 0,
  unansweredOnNumberToday: 0,
  borrowerNumberInvalid: false,
  consecutiveFailedOnBorrower: 0,
  contactRefused: false,
  ...f,
});
const call = (i: Partial<AttemptIntent> = {}): AttemptIntent => ({ channel: 'phone', party: 'borrower', at: new Date('2026-11-23T10:00:00+08:00'), companions: 1, ...i });
const rules = (f: Partial<CaseFacts>, i: Partial<AttemptIntent> = {}) => checkAttempt(call(i), facts(f)).map((v) => v.rule);

describe('complaint_open and borrower_deceased', () => {
  it('refuse every outbound channel, to the borrower and to contacts, with a plain reason', () => {
    for (const channel of CHANNELS) {
      expect(rules({ complaintOpen: true }, { channel })).toContain('complaint_open');
      expect(rules({ deceased: true }, { channel })).toContain('borrower_deceased');
    }
    expect(rules({ complaintOpen: true, borrowerNumberInvalid: true }, { party: 'contact' })).toEqual(['complaint_open']);
    expect(checkAttempt(call(), facts({ complaintOpen: true }))[0]!.message).toMatch(/complaint/);
  });
  it('leave inbound calls and visits recordable', () => {
    expect(rules({ complaintOpen: true, deceased: true }, { direction: 'inbound' })).toEqual([]);
    expect(rules({ complaintOpen: true }, { direction: 'inbound', party: 'contact', channel: 'field_visit' })).toEqual([]);
  });
  it('are absent when the facts are (older callers without them) and are never overridable', () => {
    expect(rules({})).toEqual([]);
    expect(rules({ complaintOpen: false, deceased: false })).toEqual([]);
    expect(OVERRIDABLE).not.toContain('complaint_open');
    expect(OVERRIDABLE).not.toContain('borrower_deceased');
  });
});

describe('due date and overdue', () => {
  it('due = received + N days; overdue only while open past it; held until closed', () => {
    const due = answerDueAt('2026-11-20T01:00:00.000Z', DEFAULT_ANSWER_DAYS);
    expect(due).toBe('2026-11-27T01:00:00.000Z');
    expect(complaintOverdue({ status: 'open', dueAt: due }, new Date('2026-11-27T01:00:00.000Z'))).toBe(false);
    expect(complaintOverdue({ status: 'open', dueAt: due }, new Date('2026-11-27T01:00:01.000Z'))).toBe(true);
    expect(complaintOverdue({ status: 'answered', dueAt: due }, new Date('2026-12-27T00:00:00.000Z'))).toBe(false);
    expect([holdsOutbound('open'), holdsOutbound('answered'), holdsOutbound('closed')]).toEqual([true, true, false]);
  });
});
