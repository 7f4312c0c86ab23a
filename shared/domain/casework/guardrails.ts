// Compliance guardrails checked before a contact attempt is logged (DOMAIN.md, "Rules that bind the
// agency"). Pure: core gathers the case's counts from the store and asks here; the UI can ask the same
// to warn before dialling. Limits are per lender; these are the defaults.

export const CHANNELS = ['phone', 'sms', 'email', 'letter', 'field_visit', 'app_message'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DEFAULT_OUTCOMES = [
  'connected',
  'no_answer',
  'busy',
  'wrong_number',
  'number_invalid',
  'refused',
  'promised_to_pay',
  'disputed',
  'hardship_claimed',
  'third_party_refused',
] as const;

/** Outcomes of a call someone answered (they count against the daily cap of connected calls). */
export const CONNECTED_OUTCOMES: readonly string[] = ['connected', 'refused', 'promised_to_pay', 'disputed', 'hardship_claimed', 'third_party_refused'];
/** Outcomes of a call nobody answered (they count against the per-number cap). */
export const UNANSWERED_OUTCOMES: readonly string[] = ['no_answer', 'busy'];
/** Outcomes that count as a failed attempt on the borrower's number (third parties open after 3 in a row). */
export const FAILED_OUTCOMES: readonly string[] = ['no_answer', 'busy', 'wrong_number', 'number_invalid'];

export interface ComplianceLimits {
  /** Local time HH:MM when contact stops, and when it may start again. */
  quietFrom: string;
  quietUntil: string;
  timeZone: string;
  maxConnectedCallsPerDay: number;
  maxUnansweredPerNumberPerDay: number;
  failedAttemptsBeforeContacts: number;
}

export const DEFAULT_LIMITS: ComplianceLimits = Object.freeze({
  quietFrom: '22:00',
  quietUntil: '08:00',
  timeZone: 'Asia/Shanghai',
  maxConnectedCallsPerDay: 3,
  maxUnansweredPerNumberPerDay: 6,
  failedAttemptsBeforeContacts: 3,
});

/** Channels that reach a person in real time: quiet hours apply (a letter or email does not ring at night). */
const REAL_TIME: readonly Channel[] = ['phone', 'sms', 'field_visit', 'app_message'];

export interface AttemptIntent {
  channel: Channel;
  party: 'borrower' | 'contact';
  /** Who rang whom: an inbound call or visit (the borrower or a contact reached us) is not outreach. */
  direction?: 'outbound' | 'inbound';
  at: Date;
  /** Other collectors present (field visits need at least one: two in all). */
  companions: number;
}

/** What the store knows about the case today, gathered by core. */
export interface CaseFacts {
  paused: boolean;
  borrowerAgreedToQuietHours: boolean;
  /** Connected calls with the borrower today (all numbers, borrower's day). */
  connectedCallsToday: number;
  /** Unanswered calls today on the number about to be dialled. */
  unansweredOnNumberToday: number;
  /** The borrower's own number was recorded as invalid. */
  borrowerNumberInvalid: boolean;
  /** Failed attempts on the borrower's number since the last answered one. */
  consecutiveFailedOnBorrower: number;
  /** This contact person refused before. */
  contactRefused: boolean;
  /** A complaint on the case is not yet closed by a manager (shared/domain/casework/complaints.ts). */
  complaintOpen?: boolean;
  /** The case is flagged 已故: the borrower died. */
  deceased?: boolean;
}

export const GUARDRAILS = ['quiet_hours', 'daily_connected_cap', 'daily_unanswered_cap', 'third_party_too_early', 'third_party_refused', 'case_paused', 'field_visit_alone', 'complaint_open', 'borrower_deceased'] as const;
export type Guardrail = (typeof GUARDRAILS)[number];

/** A manager may override these (recorded); the others stand: a refusal or a pause is never overridden. */
export const OVERRIDABLE: readonly Guardrail[] = ['quiet_hours', 'daily_connected_cap', 'daily_unanswered_cap', 'third_party_too_early', 'field_visit_alone'];

export interface Violation {
  rule: Guardrail;
  message: string;
}

/** HH:MM of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('hour')}:${get('minute')}`;
}

/** Whether HH:MM falls in the quiet window [from, until), which may span midnight. */
export function inQuietHours(hhmm: string, from: string, until: string): boolean {
  return from <= until ? hhmm >= from && hhmm < until : hhmm >= from || hhmm < until;
}

/** Every rule the attempt would break, each with a plain reason for the collector. Empty = allowed. */
export function checkAttempt(intent: AttemptIntent, facts: CaseFacts, limits: ComplianceLimits = DEFAULT_LIMITS): Violation[] {
  // The rules govern the agency reaching out (hours, frequency, third parties, a paused case, two on a
  // visit). Someone who calls or walks in is always recorded: the agency did not contact them.
  if (intent.direction === 'inbound') return [];
  const out: Violation[] = [];
  if (facts.paused) out.push({ rule: 'case_paused', message: 'Collection is paused on this case (hardship, dispute or death): no contact until a manager resumes it.' });
  // Neither is in OVERRIDABLE: a complaint is lifted by a manager closing it, a death by clearing the flag.
  if (facts.complaintOpen) out.push({ rule: 'complaint_open', message: 'A complaint on this case is open: no outbound contact until a manager answers and closes it.' });
  if (facts.deceased) out.push({ rule: 'borrower_deceased', message: 'The borrower is recorded as deceased: no outbound collection contact.' });
  const local = localTime(intent.at, limits.timeZone);
  if (REAL_TIME.includes(intent.channel) && !facts.borrowerAgreedToQuietHours && inQuietHours(local, limits.quietFrom, limits.quietUntil)) {
    out.push({ rule: 'quiet_hours', message: `It is ${local} for the borrower: no contact between ${limits.quietFrom} and ${limits.quietUntil}.` });
  }
  if (intent.channel === 'phone' && intent.party === 'borrower' && facts.connectedCallsToday >= limits.maxConnectedCallsPerDay) {
    out.push({ rule: 'daily_connected_cap', message: `The borrower has had ${facts.connectedCallsToday} connected calls today; the limit is ${limits.maxConnectedCallsPerDay}.` });
  }
  if (intent.channel === 'phone' && facts.unansweredOnNumberToday >= limits.maxUnansweredPerNumberPerDay) {
    out.push({ rule: 'daily_unanswered_cap', message: `This number went unanswered ${facts.unansweredOnNumberToday} times today; the limit is ${limits.maxUnansweredPerNumberPerDay}.` });
  }
  if (intent.party === 'contact') {
    if (facts.contactRefused) out.push({ rule: 'third_party_refused', message: 'This contact person refused to be contacted: never again.' });
    else if (!facts.borrowerNumberInvalid && facts.consecutiveFailedOnBorrower < limits.failedAttemptsBeforeContacts) {
      out.push({
        rule: 'third_party_too_early',
        message: `Contact persons only after the borrower's number is invalid or ${limits.failedAttemptsBeforeContacts} attempts in a row failed (${facts.consecutiveFailedOnBorrower} so far).`,
      });
    }
  }
  if (intent.channel === 'field_visit' && intent.companions < 1) out.push({ rule: 'field_visit_alone', message: 'A field visit needs two collectors: name the second one.' });
  return out;
}
