// Honest call times: when an attempt may say it happened. A time typed in afterwards is a claim; the rules
// below keep it from reaching before the agency had the case (or before this collector held it) and keep
// late entries rare and explained. Pure: core gathers the times, the dialog asks the same function.
import { inQuietHours, localTime, type Channel, type ComplianceLimits } from './guardrails.js';

/** How long after the fact an attempt may be logged without a manager's reason (settings key below). */
export const DEFAULT_LATE_WINDOW_MINUTES = 120;
export const LATE_WINDOW_SETTING = 'attemptLateWindowMinutes';
/** Who may log an attempt older than the window (with a reason): managers and admins. */
export const mayEnterLate = (role: string): boolean => role === 'manager' || role === 'admin';

/** Whole minutes between when an attempt happened and when it was entered (never negative). */
export const lateMinutesOf = (at: Date, enteredAt: Date): number => Math.max(0, Math.floor((enteredAt.getTime() - at.getTime()) / 60_000));

/** Whether an attempt claimed at `at` and entered `now` is older than the window (the log form warns with it). */
export const isLateClaim = (at: Date, now: Date, windowMinutes: number): boolean => lateMinutesOf(at, now) > windowMinutes;

/** A claimed time a little ahead of the clock is a clock skew, not a forecast. */
export const FUTURE_SKEW_MS = 5 * 60_000;

export interface ClaimFacts {
  now: Date;
  /** When the case came to the agency (first imported). */
  placedAt: string;
  /** When the current holder got the case, if the person logging is that holder; else null. */
  heldSince: string | null;
  lateWindowMinutes: number;
  /** Managers and admins may log older attempts, with a reason. */
  mayEnterLate: boolean;
  lateReason: string | undefined;
}

export type ClaimCheck =
  | { ok: true; lateMinutes: number; late: boolean }
  | { ok: false; code: 'BAD_INPUT'; rule: 'future' | 'before_placement' | 'before_assignment' | 'late_needs_manager' | 'late_needs_reason'; message: string };

const fmt = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
/**
 * The log form takes times to the minute: a call made in the minute the case arrived ("now", as the form
 * fills it) is not before it. So the bounds are compared at the start of their minute.
 */
const minuteOf = (iso: string) => `${iso.slice(0, 16)}:00.000Z`;

/** Whether an attempt may claim to have started at `at`. */
export function checkClaimedTime(at: Date, f: ClaimFacts): ClaimCheck {
  const lagMs = f.now.getTime() - at.getTime();
  if (lagMs < -FUTURE_SKEW_MS) return { ok: false, code: 'BAD_INPUT', rule: 'future', message: 'An attempt cannot be logged ahead of time.' };
  if (at.toISOString() < minuteOf(f.placedAt)) {
    return { ok: false, code: 'BAD_INPUT', rule: 'before_placement', message: `This case came to the agency at ${fmt(f.placedAt)}: an attempt cannot be dated before that.` };
  }
  if (f.heldSince !== null && at.toISOString() < minuteOf(f.heldSince)) {
    return { ok: false, code: 'BAD_INPUT', rule: 'before_assignment', message: `You hold this case since ${fmt(f.heldSince)}: an attempt of yours cannot be dated before that.` };
  }
  const lateMinutes = lateMinutesOf(at, f.now);
  const late = isLateClaim(at, f.now, f.lateWindowMinutes);
  if (late && !f.mayEnterLate) {
    return { ok: false, code: 'BAD_INPUT', rule: 'late_needs_manager', message: `An attempt is logged within ${f.lateWindowMinutes} minutes of when it happened; a manager may enter an older one with a reason.` };
  }
  if (late && !f.lateReason?.trim()) {
    return { ok: false, code: 'BAD_INPUT', rule: 'late_needs_reason', message: `This attempt is ${lateMinutes} minutes old (the window is ${f.lateWindowMinutes}): say why it is entered late.` };
  }
  return { ok: true, lateMinutes, late };
}

/** Channels that ring or knock: the only ones quiet hours concern. */
const REAL_TIME: readonly Channel[] = ['phone', 'sms', 'field_visit', 'app_message'];

/**
 * Why an outbound attempt's times deserve a look in the compliance report: claimed inside quiet hours (let
 * through by consent or an override), or entered inside quiet hours with a claimed time outside them
 * (backdated past the rule, as at 07:05 claiming 15:00 yesterday). null: nothing to see.
 */
export function quietHourClaim(
  a: { channel: string; direction: string; startedAt: string; loggedAt: string },
  limits: Pick<ComplianceLimits, 'quietFrom' | 'quietUntil' | 'timeZone'>,
): 'claimed_in_quiet' | 'entered_in_quiet' | null {
  if (a.direction === 'inbound' || !REAL_TIME.includes(a.channel as Channel)) return null;
  const quiet = (iso: string) => inQuietHours(localTime(new Date(iso), limits.timeZone), limits.quietFrom, limits.quietUntil);
  if (quiet(a.startedAt)) return 'claimed_in_quiet';
  if (quiet(a.loggedAt)) return 'entered_in_quiet';
  return null;
}
