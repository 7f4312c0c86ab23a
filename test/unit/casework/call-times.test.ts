// Inbound attempts against every guardrail, and each honest-call-time rule at its boundary.
import { describe, it, expect } from 'vitest';
import { checkAttempt, DEFAULT_LIMITS, type CaseFacts, type AttemptIntent } from '../../../shared/domain/casework/guardrails.js';
import { checkClaimedTime, quietHourClaim, type ClaimFacts } from '../../../shared/domain/casework/call-times.js';

const at = (hhmm: string, day = 23) => new Date(`2026-11-${day}T${hhmm}:00+08:00`);
const iso = (hhmm: string, day = 23) => at(hhmm, day).toISOString();

describe('inbound is not outreach', () => {
  // Everything that stops an outbound call at once: night, caps reached, a contact too early and one who refused, a pause, alone on a visit.
  const worst: CaseFacts = {
    paused: true,
    borrowerAgreedToQuietHours: false,
    connectedCallsToday: 9,
    unansweredOnNumberToday: 9,
    borrowerNumberInvalid: false,
    consecutiveFailedOnBorrower: 0,
    contactRefused: true,
  };
  const intent = (i: Partial<AttemptIntent>): AttemptIntent => ({ channel: 'phone', party: 'contact', at: at('23:30'), companions: 0, ...i });

  it('outbound: every rule stands', () => {
    expect(checkAttempt(intent({}), worst).map((v) => v.rule)).toEqual(['case_paused', 'quiet_hours', 'daily_unanswered_cap', 'third_party_refused']);
    expect(checkAttempt(intent({ direction: 'outbound', party: 'borrower' }), worst).map((v) => v.rule)).toEqual(['case_paused', 'quiet_hours', 'daily_connected_cap', 'daily_unanswered_cap']);
    expect(checkAttempt(intent({ party: 'contact' }), { ...worst, paused: false, contactRefused: false }, DEFAULT_LIMITS).map((v) => v.rule)).toContain('third_party_too_early');
  });

  it('inbound: a call or visit from the borrower or any contact is always recordable', () => {
    for (const party of ['borrower', 'contact'] as const) {
      for (const channel of ['phone', 'field_visit', 'sms'] as const) {
        expect(checkAttempt(intent({ direction: 'inbound', party, channel }), worst)).toEqual([]);
        expect(checkAttempt(intent({ direction: 'inbound', party, channel }), { ...worst, contactRefused: false, paused: false })).toEqual([]);
      }
    }
  });
});

describe('honest call times', () => {
  const facts = (f: Partial<ClaimFacts> = {}): ClaimFacts => ({
    now: at('12:00'),
    placedAt: iso('07:03'),
    heldSince: iso('09:00'),
    lateWindowMinutes: 120,
    mayEnterLate: false,
    lateReason: undefined,
    ...f,
  });
  const rule = (c: ReturnType<typeof checkClaimedTime>) => (c.ok ? 'ok' : c.rule);

  it('not before the case came, not before the logger held it', () => {
    expect(rule(checkClaimedTime(at('07:02'), facts({ heldSince: null, lateWindowMinutes: 600 })))).toBe('before_placement');
    expect(rule(checkClaimedTime(at('07:03'), facts({ heldSince: null, lateWindowMinutes: 600 })))).toBe('ok');
    expect(rule(checkClaimedTime(at('15:00', 22), facts({ mayEnterLate: true, lateReason: 'x' })))).toBe('before_placement');
    expect(rule(checkClaimedTime(at('08:59'), facts({ lateWindowMinutes: 600 })))).toBe('before_assignment');
    expect(rule(checkClaimedTime(at('09:00'), facts({ lateWindowMinutes: 600 })))).toBe('ok');
  });

  it('compares at the minute the form works in: a call in the minute the case was assigned is not before it', () => {
    const assignedAt = new Date(at('09:00').getTime() + 37_000).toISOString(); // 09:00:37
    expect(rule(checkClaimedTime(at('09:00'), facts({ heldSince: assignedAt, lateWindowMinutes: 600 })))).toBe('ok');
    expect(rule(checkClaimedTime(at('08:59'), facts({ heldSince: assignedAt, lateWindowMinutes: 600 })))).toBe('before_assignment');
    const placedAt = new Date(at('07:03').getTime() + 59_999).toISOString();
    expect(rule(checkClaimedTime(at('07:03'), facts({ placedAt, heldSince: null, lateWindowMinutes: 600 })))).toBe('ok');
  });

  it('the window: exactly the window is in time, a minute more needs a manager with a reason', () => {
    expect(checkClaimedTime(at('10:00'), facts())).toEqual({ ok: true, late: false, lateMinutes: 120 });
    expect(rule(checkClaimedTime(at('09:59'), facts()))).toBe('late_needs_manager');
    expect(rule(checkClaimedTime(at('09:59'), facts({ mayEnterLate: true })))).toBe('late_needs_reason');
    expect(rule(checkClaimedTime(at('09:59'), facts({ mayEnterLate: true, lateReason: '  ' })))).toBe('late_needs_reason');
    expect(checkClaimedTime(at('09:59'), facts({ mayEnterLate: true, lateReason: '纸质补录' }))).toEqual({ ok: true, late: true, lateMinutes: 121 });
  });

  it('not in the future beyond a clock skew of five minutes', () => {
    expect(rule(checkClaimedTime(at('12:05'), facts()))).toBe('ok');
    expect(rule(checkClaimedTime(new Date(at('12:05').getTime() + 1000), facts()))).toBe('future');
  });

  it('quiet-hour claims: claimed inside, or entered inside with a claim outside; inbound and letters never', () => {
    const limits = { quietFrom: '22:00', quietUntil: '08:00', timeZone: 'Asia/Shanghai' };
    const a = (startedAt: string, loggedAt: string, extra: Partial<{ channel: string; direction: string }> = {}) =>
      quietHourClaim({ channel: 'phone', direction: 'outbound', startedAt, loggedAt, ...extra }, limits);
    expect(a(iso('22:30'), iso('22:31'))).toBe('claimed_in_quiet');
    expect(a(iso('15:00', 22), iso('07:05'))).toBe('entered_in_quiet');
    expect(a(iso('21:59'), iso('21:59'))).toBeNull();
    expect(a(iso('15:00', 22), iso('07:05'), { direction: 'inbound' })).toBeNull();
    expect(a(iso('23:00'), iso('23:00'), { channel: 'letter' })).toBeNull();
  });
});
