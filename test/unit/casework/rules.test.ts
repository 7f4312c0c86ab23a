// The stage machine (every move allowed or refused, by role) and each guardrail at its boundary.
import { describe, it, expect } from 'vitest';
import { checkTransition, nextStages, STAGES, TRANSITIONS, type Stage } from '../../../shared/domain/casework/stages.js';
import { checkAttempt, inQuietHours, localTime, type CaseFacts, type AttemptIntent } from '../../../shared/domain/casework/guardrails.js';
import { ROLES } from '../../../shared/domain/roles.js';

describe('stage machine', () => {
  const allowed = new Set(TRANSITIONS.flatMap((r) => r.from.map((f) => `${f}>${r.to}`)));

  it('refuses every move not in the table, for every role', () => {
    for (const from of STAGES) for (const to of STAGES) {
      if (allowed.has(`${from}>${to}`)) continue;
      for (const role of ROLES) expect(checkTransition(from, to, role, 'reason')).toMatchObject({ ok: false, code: 'NO_SUCH_MOVE' });
    }
  });

  it('final stages are final', () => {
    for (const from of ['settled', 'closed', 'written_off', 'returned'] as Stage[]) for (const role of ROLES) expect(nextStages(from, role)).toEqual([]);
  });

  it('collectors work a case forward and pause it, managers refer, resume and close', () => {
    expect(checkTransition('new', 'reminder', 'collector', undefined)).toEqual({ ok: true, reasonRequired: false });
    expect(checkTransition('contact', 'paused', 'collector', '  ')).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    expect(checkTransition('contact', 'paused', 'collector', '住院，家属提供病历')).toEqual({ ok: true, reasonRequired: true });
    expect(checkTransition('negotiation', 'legal_referral', 'collector', 'x')).toMatchObject({ ok: false, code: 'ROLE' });
    expect(checkTransition('negotiation', 'legal_referral', 'manager', '三次承诺未兑现')).toMatchObject({ ok: true });
    expect(checkTransition('paused', 'contact', 'collector', 'x')).toMatchObject({ ok: false, code: 'ROLE' });
    expect(checkTransition('paused', 'negotiation', 'manager', '已康复')).toMatchObject({ ok: true });
    expect(checkTransition('contact', 'closed', 'collector', 'x')).toMatchObject({ ok: false, code: 'ROLE' });
    expect(checkTransition('paused', 'returned', 'manager', '委托期满退案')).toMatchObject({ ok: true });
    expect(checkTransition('new', 'reminder', 'auditor', undefined)).toMatchObject({ ok: false, code: 'ROLE' });
  });

  it('offers a collector only the moves they may make', () => {
    expect(nextStages('contact', 'collector').sort()).toEqual(['field_visit', 'negotiation', 'paused']);
    expect(nextStages('contact', 'manager')).toContain('legal_referral');
  });
});

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
// 21:59 and 22:00 in Asia/Shanghai (UTC+8).
const at = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00+08:00`);
const call = (i: Partial<AttemptIntent> = {}): AttemptIntent => ({ channel: 'phone', party: 'borrower', at: at('10:00'), companions: 0, ...i });
const rules = (v: { rule: string }[]) => v.map((x) => x.rule);

describe('guardrails', () => {
  it('quiet hours: 21:59 allowed, 22:00 refused, 07:59 refused, 08:00 allowed, in the borrower’s zone', () => {
    expect(rules(checkAttempt(call({ at: at('21:59') }), facts()))).toEqual([]);
    expect(rules(checkAttempt(call({ at: at('22:00') }), facts()))).toEqual(['quiet_hours']);
    expect(rules(checkAttempt(call({ at: at('07:59') }), facts()))).toEqual(['quiet_hours']);
    expect(rules(checkAttempt(call({ at: at('08:00') }), facts()))).toEqual([]);
    expect(checkAttempt(call({ at: at('23:30') }), facts())[0]!.message).toBe('It is 23:30 for the borrower: no contact between 22:00 and 08:00.');
    // The same instant is 20:30 in a lender's zone set to UTC+5:30: allowed.
    expect(rules(checkAttempt(call({ at: at('23:00') }), facts(), { ...defaults(), timeZone: 'Asia/Kolkata' }))).toEqual([]);
    expect(rules(checkAttempt(call({ at: at('23:00') }), facts({ borrowerAgreedToQuietHours: true })))).toEqual([]);
    expect(rules(checkAttempt(call({ at: at('23:00'), channel: 'letter' }), facts()))).toEqual([]);
  });

  it('the third connected call is allowed, the fourth refused', () => {
    expect(rules(checkAttempt(call(), facts({ connectedCallsToday: 2 })))).toEqual([]);
    expect(rules(checkAttempt(call(), facts({ connectedCallsToday: 3 })))).toEqual(['daily_connected_cap']);
    expect(rules(checkAttempt(call({ channel: 'sms' }), facts({ connectedCallsToday: 3 })))).toEqual([]);
  });

  it('six unanswered calls on a number per day', () => {
    expect(rules(checkAttempt(call(), facts({ unansweredOnNumberToday: 5 })))).toEqual([]);
    expect(rules(checkAttempt(call(), facts({ unansweredOnNumberToday: 6 })))).toEqual(['daily_unanswered_cap']);
  });

  it('a contact person only after three failed attempts or an invalid number, never after a refusal', () => {
    const contact = call({ party: 'contact' });
    expect(rules(checkAttempt(contact, facts({ consecutiveFailedOnBorrower: 2 })))).toEqual(['third_party_too_early']);
    expect(rules(checkAttempt(contact, facts({ consecutiveFailedOnBorrower: 3 })))).toEqual([]);
    expect(rules(checkAttempt(contact, facts({ borrowerNumberInvalid: true })))).toEqual([]);
    expect(rules(checkAttempt(contact, facts({ borrowerNumberInvalid: true, contactRefused: true })))).toEqual(['third_party_refused']);
  });

  it('no contact on a paused case; a field visit needs two collectors', () => {
    expect(rules(checkAttempt(call(), facts({ paused: true })))).toEqual(['case_paused']);
    expect(rules(checkAttempt(call({ channel: 'field_visit' }), facts()))).toEqual(['field_visit_alone']);
    expect(rules(checkAttempt(call({ channel: 'field_visit', companions: 1 }), facts()))).toEqual([]);
  });

  it('local time and windows across midnight', () => {
    expect(localTime(new Date('2026-11-23T14:00:00Z'), 'Asia/Shanghai')).toBe('22:00');
    expect(inQuietHours('12:00', '12:00', '13:00')).toBe(true);
    expect(inQuietHours('13:00', '12:00', '13:00')).toBe(false);
    expect(inQuietHours('00:30', '22:00', '08:00')).toBe(true);
  });
});

function defaults() {
  return { quietFrom: '22:00', quietUntil: '08:00', timeZone: 'Asia/Shanghai', maxConnectedCallsPerDay: 3, maxUnansweredPerNumberPerDay: 6, failedAttemptsBeforeContacts: 3 };
}
