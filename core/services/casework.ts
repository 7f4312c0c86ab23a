// Casework: stage moves through the state machine, the contact log with its guardrails checked before
// anything is written, corrections that keep the original, and managers' one-time overrides.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { Attempt } from '../../shared/contract/casework.js';
import type { Ctx, Handler } from '../context.js';
import { checkTransition, isFinal, nextStages } from '../../shared/domain/casework/stages.js';
import {
  checkAttempt,
  localTime,
  DEFAULT_LIMITS,
  OVERRIDABLE,
  type Channel,
  type ComplianceLimits,
  type Guardrail,
  type Violation,
} from '../../shared/domain/casework/guardrails.js';
import { dayIn } from '../../shared/domain/casework/today.js';
import { promisedTooEarly } from '../../shared/domain/casework/promise-date.js';
import { checkClaimedTime, lateMinutesOf, mayEnterLate as mayEnterLateFor, quietHourClaim, DEFAULT_LATE_WINDOW_MINUTES, LATE_WINDOW_SETTING } from '../../shared/domain/casework/call-times.js';
import { parseSchedule, storeSchedule, type EscalationSchedule } from '../../shared/domain/casework/escalation.js';
import { maskPhone } from '../../shared/domain/placement/masking.js';
import type { AttemptRow, WorkCase } from '../../db/repos/casework.js';
import { outcomeClasses, outcomeHandlers, requireActiveOutcome } from './outcomes.js';
import { contactsFromJson } from '../../shared/domain/placement/contacts-json.js';

/** The case, if this user may work it: a collector only their own (others look like missing ones). */
/** `child` (e.g. "contact log entry 5"): the case was reached through it, so a refusal names it, not the case. */
function caseFor(ctx: Ctx, id: number, child?: string): WorkCase {
  const c = ctx.store.repos.casework.workCase(id);
  const user = ctx.user!;
  if (!c || (user.role === 'collector' && c.collector_id !== user.id)) throw new ApiFailure('NOT_FOUND', child ? `No ${child}.` : `No case with id ${id}.`);
  return c;
}

const move: Handler<'cases.move'> = (input, ctx) => {
  const c = caseFor(ctx, input.caseId);
  const check = checkTransition(c.stage, input.to, ctx.user!.role, input.reason);
  if (!check.ok) throw new ApiFailure(check.code === 'ROLE' ? 'FORBIDDEN' : check.code === 'REASON_REQUIRED' ? 'BAD_INPUT' : 'CONFLICT', check.message);
  if (input.to === 'paused' && !input.pauseReason) throw new ApiFailure('BAD_INPUT', 'Say why collection pauses: hardship, dispute or death.');
  const r = ctx.store.repos;
  const now = ctx.now().toISOString();
  const detail = { from: c.stage, to: input.to, reason: input.reason ?? null, pauseReason: input.pauseReason ?? null };
  r.db.transaction(() => {
    // Final stages leave every queue; a paused case stays open but is never contacted.
    r.casework.setStage(c.id, input.to, isFinal(input.to) ? input.to : 'open', input.to === 'paused' ? input.pauseReason! : null, ctx.user!.id, now, detail);
    ctx.audit('cases.move', 'case', c.id, detail);
  })();
  return { caseId: c.id, from: c.stage, to: input.to, nextStages: nextStages(input.to, ctx.user!.role) };
};

function limitsOf(c: WorkCase): ComplianceLimits {
  return { ...DEFAULT_LIMITS, ...(JSON.parse(c.compliance) as Partial<ComplianceLimits>) };
}

/** The number an attempt uses, from the case (collectors never type numbers in), and its relation. */
function numberFor(c: WorkCase, party: 'borrower' | 'contact', slot: number | undefined): { number: string | null; relation: string | null } {
  if (party === 'borrower') return { number: c.mobile, relation: null };
  if (slot === undefined) throw new ApiFailure('BAD_INPUT', 'Name the contact (1–6) for an attempt on a contact person.');
  const contact = contactsFromJson(c.contacts).find((k) => k.slot === slot);
  if (!contact) throw new ApiFailure('BAD_INPUT', `This case has no contact ${slot}.`);
  return { number: contact.phone, relation: contact.relation };
}

/** The start and end of the borrower's calendar day holding `at`, as ISO instants. */
function dayBounds(at: Date, timeZone: string): [string, string] {
  const day = dayIn(at, timeZone);
  // The zone's offset at that moment, e.g. "GMT+08:00" (plain "GMT" for UTC).
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')!.value;
  const offset = name === 'GMT' ? 'Z' : name.slice(3);
  const start = Date.parse(`${day}T00:00:00${offset}`);
  return [new Date(start).toISOString(), new Date(start + 86_400_000).toISOString()];
}

interface Intent {
  caseId: number;
  channel: Channel;
  party: 'borrower' | 'contact';
  direction: 'outbound' | 'inbound';
  /** A manager's reason for logging after the window (only contacts.log carries one). */
  lateReason?: string | undefined;
  contactSlot?: number | undefined;
  startedAt?: string | undefined;
  companions: number[];
}

/** The agency's window for logging an attempt after the fact (settings), in minutes. */
export function lateWindowOf(ctx: Ctx): number {
  return ctx.store.repos.meta.getSetting<number>(LATE_WINDOW_SETTING) ?? DEFAULT_LATE_WINDOW_MINUTES;
}

/** `forLog`: judge a late entry's reason too (contacts.check, before dialling, has none to give). */
function evaluate(ctx: Ctx, input: Intent, forLog = false) {
  const c = caseFor(ctx, input.caseId);
  const limits = limitsOf(c);
  const at = input.startedAt ? new Date(input.startedAt) : ctx.now();
  // Logged afterwards is fine within the window; the guardrails judge the time it happened, so that time
  // cannot reach before the case came, or before the one logging it held it (backdating past a rule).
  const user = ctx.user!;
  const mayEnterLate = mayEnterLateFor(user.role);
  const claim = checkClaimedTime(at, {
    now: ctx.now(),
    placedAt: c.placed_at,
    heldSince: c.collector_id === user.id ? c.held_since : null,
    lateWindowMinutes: lateWindowOf(ctx),
    mayEnterLate,
    lateReason: forLog ? input.lateReason : 'checked when logged',
  });
  if (!claim.ok) throw new ApiFailure(claim.code, claim.message);
  const { number, relation } = numberFor(c, input.party, input.contactSlot);
  const [from, to] = dayBounds(at, limits.timeZone);
  const r = ctx.store.repos.casework;
  // The agency's outcome codes by class: its own codes count like the built-in ones of their class.
  const codes = outcomeClasses(ctx);
  // The case's own log, newest first, corrected entries replaced by their corrections.
  const log = r.attemptsOf(c.id).filter((a) => a.corrected_by_id === null);
  // Calls the agency made: an inbound call neither counts towards nor breaks the run of failed attempts.
  const onBorrower = log.filter((a) => a.party === 'borrower' && a.channel === 'phone' && a.direction === 'outbound');
  let failedRun = 0;
  for (const a of onBorrower) {
    if (!codes.failed.includes(a.outcome)) break;
    failedRun++;
  }
  const companions = [...new Set(input.companions)].filter((id) => id !== ctx.user!.id);
  for (const id of companions) {
    const u = ctx.store.repos.users.byId(id);
    if (!u || u.status !== 'active' || u.role === 'auditor') throw new ApiFailure('BAD_INPUT', `User ${id} cannot accompany a field visit.`);
  }
  const violations = checkAttempt(
    { channel: input.channel, party: input.party, direction: input.direction, at, companions: companions.length },
    {
      paused: c.stage === 'paused',
      borrowerAgreedToQuietHours: c.quiet_hours_consent === 1,
      connectedCallsToday: r.connectedCallsOn(c.id_number, from, to, codes.connected),
      unansweredOnNumberToday: number ? r.unansweredOn(number, from, to, codes.unanswered) : 0,
      borrowerNumberInvalid: onBorrower.some((a) => a.outcome === 'number_invalid'),
      consecutiveFailedOnBorrower: failedRun,
      contactRefused: log.some((a) => a.party === 'contact' && a.contact_slot === input.contactSlot && a.outcome === 'third_party_refused'),
      // Complaints and flags (migration 015): an unclosed complaint or a death stops outreach.
      complaintOpen: ctx.store.repos.complaints.holdingOn(c.id) > 0,
      deceased: ctx.store.repos.complaints.hasFlag(c.id, 'deceased'),
    },
    limits,
  );
  return { c, at, number, relation, violations, companions, localTime: localTime(at, limits.timeZone), claim };
}

const withOverridable = (v: Violation) => ({ ...v, overridable: OVERRIDABLE.includes(v.rule) });

const check: Handler<'contacts.check'> = (input, ctx) => {
  const e = evaluate(ctx, input);
  return { violations: e.violations.map(withOverridable), localTime: e.localTime };
};

function toAttempt(a: AttemptRow, userName: (id: number) => string): Attempt {
  return {
    id: a.id,
    caseId: a.case_id,
    loggedAt: a.logged_at,
    startedAt: a.started_at,
    collector: a.collector,
    enteredBy: a.entered_by_name,
    channel: a.channel as Attempt['channel'],
    party: a.party,
    contactSlot: a.contact_slot,
    relation: a.relation,
    number: a.number === null ? null : maskPhone(a.number),
    direction: a.direction,
    durationSec: a.duration_sec,
    outcome: a.outcome,
    recordingRef: a.recording_ref,
    note: a.note,
    nextFollowUpAt: a.next_follow_up_at,
    promise: a.promise_amount_fen === null ? null : { amountFen: a.promise_amount_fen, date: a.promise_date!, repeat: a.promise_count ? { count: a.promise_count, everyMonths: a.promise_every_months ?? 1 } : null },
    companions: (JSON.parse(a.companions) as number[]).map(userName),
    overrideRule: a.override_rule,
    lateReason: a.late_reason,
    correctsId: a.corrects_id,
    correctedById: a.corrected_by_id,
  };
}

const nameOf = (ctx: Ctx) => (id: number) => ctx.store.repos.users.byId(id)?.username ?? String(id);

const log: Handler<'contacts.log'> = (input, ctx) => {
  requireActiveOutcome(ctx, input.outcome);
  const e = evaluate(ctx, input, true);
  // Made on the day of the call (today, or the day a late entry says): not due before it.
  const madeOn = dayIn(e.at);
  if (input.promise && promisedTooEarly(input.promise.date, madeOn)) throw ApiFailure.keyed('BAD_INPUT', 'promiseBeforeMadeOn', { date: madeOn });
  const r = ctx.store.repos;
  let remaining = e.violations;
  let overrideId: number | null = null;
  if (input.overrideId !== undefined) {
    const o = r.casework.override(input.overrideId);
    if (!o || o.case_id !== e.c.id) throw new ApiFailure('NOT_FOUND', `No override ${input.overrideId} for this case.`);
    if (o.used) throw new ApiFailure('CONFLICT', 'This override was used already: ask a manager for another.');
    if (o.expires_at <= ctx.now().toISOString()) throw new ApiFailure('CONFLICT', 'This override has expired: ask a manager for another.');
    remaining = remaining.filter((v) => v.rule !== o.rule);
    overrideId = o.id;
  } else if (remaining.length > 0) {
    // A manager's open override on this case for a rule that stops the attempt is used without being named.
    const open = r.casework.openOverrides(e.c.id, ctx.now().toISOString()).find((o) => remaining.some((v) => v.rule === o.rule));
    if (open) {
      remaining = remaining.filter((v) => v.rule !== open.rule);
      overrideId = open.id;
    }
  }
  if (remaining.length > 0) {
    // A refusal is evidence too: who tried what, when, and which rule stopped it.
    r.db.transaction(() => ctx.audit('contacts.refused', 'case', e.c.id, { channel: input.channel, party: input.party, rules: remaining.map((v) => v.rule) })).immediate();
    throw new ApiFailure('COMPLIANCE', remaining.map((v) => v.message).join(' '), { violations: remaining.map(withOverridable) });
  }
  const now = ctx.now().toISOString();
  // IMMEDIATE: it writes anyway, so it waits for a worker's short write instead of failing at once.
  const id = r.db.transaction(() => {
    const newId = r.casework.addAttempt({
      case_id: e.c.id,
      logged_at: now,
      started_at: e.at.toISOString(),
      collector_id: ctx.user!.id,
      entered_by: ctx.user!.id,
      channel: input.channel,
      party: input.party,
      contact_slot: input.party === 'contact' ? input.contactSlot! : null,
      relation: e.relation,
      number: input.channel === 'letter' || input.channel === 'field_visit' ? null : e.number,
      direction: input.direction,
      duration_sec: input.durationSec,
      outcome: input.outcome,
      recording_ref: input.recordingRef ?? null,
      note: input.note,
      next_follow_up_at: input.nextFollowUpAt ?? null,
      promise_amount_fen: input.promise?.amountFen ?? null,
      promise_date: input.promise?.date ?? null,
      promise_count: input.promise?.repeat?.count ?? null,
      promise_every_months: input.promise?.repeat ? input.promise.repeat.everyMonths : null,
      companions: JSON.stringify(e.companions),
      override_id: overrideId,
      corrects_id: null,
      late_reason: e.claim.late ? input.lateReason!.trim() : null,
    });
    if (input.nextFollowUpAt) r.casework.setFollowUp(e.c.id, input.nextFollowUpAt);
    if (input.promise) r.casework.setPromiseDate(e.c.id, input.promise.date);
    // Both times: when the attempt is said to have happened, and when it was entered.
    ctx.audit('contacts.log', 'case', e.c.id, {
      attemptId: newId,
      channel: input.channel,
      party: input.party,
      direction: input.direction,
      outcome: input.outcome,
      overrideId,
      claimedAt: e.at.toISOString(),
      enteredAt: now,
      ...(e.claim.late ? { lateMinutes: e.claim.lateMinutes, lateReason: input.lateReason!.trim() } : {}),
    });
    firstContactMove(ctx, e.c, newId, now);
    return newId;
  }).immediate();
  return toAttempt(r.casework.attempt(id)!, nameOf(ctx));
};

/**
 * The first attempt logged on a new case moves it to contact, through the stage machine and recorded like
 * any move (case history and audit), so Today and the stage filters follow the work.
 */
function firstContactMove(ctx: Ctx, c: WorkCase, attemptId: number, now: string): void {
  if (c.stage !== 'new' || !checkTransition('new', 'contact', ctx.user!.role, undefined).ok) return;
  const detail = { from: 'new', to: 'contact', reason: null, pauseReason: null, auto: 'first_attempt', attemptId };
  ctx.store.repos.casework.setStage(c.id, 'contact', 'open', null, ctx.user!.id, now, detail);
  ctx.audit('cases.move', 'case', c.id, detail);
}

const correct: Handler<'contacts.correct'> = (input, ctx) => {
  const r = ctx.store.repos;
  const original = r.casework.attempt(input.attemptId);
  if (!original) throw new ApiFailure('NOT_FOUND', `No contact log entry ${input.attemptId}.`);
  caseFor(ctx, original.case_id, `contact log entry ${input.attemptId}`);
  if (original.corrected_by_id !== null) throw new ApiFailure('CONFLICT', `Entry ${original.id} was corrected already (by ${original.corrected_by_id}): correct that one.`);
  const outcome = input.outcome ?? original.outcome;
  // A correction that keeps the original's outcome may keep a code disabled since; a new one must be in use.
  if (outcome !== original.outcome) requireActiveOutcome(ctx, outcome);
  const id = r.db.transaction(() => {
    const { id: _id, collector: _c, entered_by_name: _e, override_rule: _o, corrected_by_id: _b, ...copy } = original;
    // The attempt stays the original collector's; who corrected it is recorded as the entry's writer.
    const newId = r.casework.addAttempt({ ...copy, logged_at: ctx.now().toISOString(), entered_by: ctx.user!.id, outcome, note: input.note, override_id: null, corrects_id: original.id });
    ctx.audit('contacts.correct', 'case', original.case_id, { attemptId: newId, corrects: original.id, outcome: { from: original.outcome, to: outcome } });
    return newId;
  })();
  return toAttempt(r.casework.attempt(id)!, nameOf(ctx));
};

const list: Handler<'contacts.list'> = ({ caseId }, ctx) => {
  caseFor(ctx, caseId);
  return { attempts: ctx.store.repos.casework.attemptsOf(caseId).map((a) => toAttempt(a, nameOf(ctx))), outcomes: outcomeClasses(ctx).active };
};

const override: Handler<'compliance.override'> = (input, ctx) => {
  const c = caseFor(ctx, input.caseId);
  if (!OVERRIDABLE.includes(input.rule as Guardrail)) throw new ApiFailure('CONFLICT', `The rule ${input.rule} is never overridden.`);
  const r = ctx.store.repos;
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + input.validMinutes * 60_000).toISOString();
  const id = r.db.transaction(() => {
    const newId = r.casework.addOverride(c.id, input.rule, input.reason, ctx.user!.id, now.toISOString(), expiresAt);
    ctx.audit('compliance.override', 'case', c.id, { overrideId: newId, rule: input.rule, reason: input.reason, expiresAt });
    return newId;
  })();
  return { overrideId: id, caseId: c.id, rule: input.rule, expiresAt };
};

const limits: Handler<'compliance.limits'> = ({ lenderId }, ctx) => {
  const stored = ctx.store.repos.casework.lenderCompliance(lenderId);
  if (stored === null) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  return { ...DEFAULT_LIMITS, ...(JSON.parse(stored) as Partial<ComplianceLimits>) };
};

const setLimits: Handler<'compliance.setLimits'> = ({ lenderId, limits: patch }, ctx) => {
  const r = ctx.store.repos;
  const stored = r.casework.lenderCompliance(lenderId);
  if (stored === null) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  const before = JSON.parse(stored) as Partial<ComplianceLimits>;
  const next = { ...before, ...patch };
  r.db.transaction(() => {
    r.casework.setLenderCompliance(lenderId, JSON.stringify(next));
    ctx.audit('compliance.setLimits', 'lender', lenderId, { before, after: next });
  })();
  return { ...DEFAULT_LIMITS, ...next };
};

const report: Handler<'compliance.report'> = ({ from, to }, ctx) => {
  if (to < from) throw new ApiFailure('BAD_INPUT', 'The period ends before it starts.');
  const r = ctx.store.repos.casework;
  // The period's days in China Standard Time, as instants.
  const start = new Date(Date.parse(`${from}T00:00:00+08:00`)).toISOString();
  const end = new Date(Date.parse(`${to}T24:00:00+08:00`)).toISOString();
  const data = r.complianceReport(start, end, outcomeClasses(ctx).connected);
  type Row = { collector: string; attempts: number; connectedCalls: number; refused: Record<string, number>; overridden: Record<string, number>; capReachedDays: number; lateEntries: number; quietHourClaims: number };
  const rows = new Map<string, Row>();
  const row = (collector: string) => {
    let x = rows.get(collector);
    if (!x) rows.set(collector, (x = { collector, attempts: 0, connectedCalls: 0, refused: {}, overridden: {}, capReachedDays: 0, lateEntries: 0, quietHourClaims: 0 }));
    return x;
  };
  for (const a of data.attempts) Object.assign(row(a.collector), { attempts: a.attempts, connectedCalls: a.connected });
  for (const o of data.overrides) row(o.collector).overridden[o.rule] = o.n;
  for (const f of data.refusals) row(f.collector).refused[f.rule] = f.n;
  const limitOf = new Map<number, number>();
  for (const d of data.borrowerDays) {
    if (!limitOf.has(d.lender_id)) {
      const stored = r.lenderCompliance(d.lender_id);
      limitOf.set(d.lender_id, { ...DEFAULT_LIMITS, ...(JSON.parse(stored ?? '{}') as Partial<ComplianceLimits>) }.maxConnectedCallsPerDay);
    }
    if (d.n >= limitOf.get(d.lender_id)!) row(d.collector).capReachedDays++;
  }
  const flagged = timedFlags(ctx, start, end);
  for (const f of flagged) {
    if (f.kind === 'late_entry') row(f.collector).lateEntries++;
    else row(f.collector).quietHourClaims++;
  }
  return { from, to, rows: [...rows.values()].sort((a, b) => a.collector.localeCompare(b.collector)), flagged };
};

/** The period's late entries and quiet-hour claims, each judged in its lender's zone and quiet window. */
function timedFlags(ctx: Ctx, start: string, end: string) {
  const r = ctx.store.repos.casework;
  const window = lateWindowOf(ctx);
  const limitsBy = new Map<number, ComplianceLimits>();
  for (const id of r.lenderIds()) limitsBy.set(id, { ...DEFAULT_LIMITS, ...(JSON.parse(r.lenderCompliance(id) ?? '{}') as Partial<ComplianceLimits>) });
  // The store narrows by each lender's UTC offset at the period's start; the shared rule decides per entry.
  const zones = [...limitsBy].map(([id, l]) => [id, offsetMinutes(l.timeZone, new Date(start)), l.quietFrom, l.quietUntil] as [number, number, string, string]);
  const out = [];
  for (const a of r.timedAttempts(start, end, window, zones)) {
    const lateMinutes = lateMinutesOf(new Date(a.started_at), new Date(a.logged_at));
    const base = { collector: a.collector, enteredBy: a.entered_by_name, attemptId: a.id, caseId: a.case_id, caseNo: a.case_no, channel: a.channel, claimedAt: a.started_at, enteredAt: a.logged_at, lateMinutes, lateReason: a.late_reason };
    if (lateMinutes > window || a.late_reason !== null) out.push({ kind: 'late_entry' as const, ...base });
    const quiet = quietHourClaim({ channel: a.channel, direction: a.direction, startedAt: a.started_at, loggedAt: a.logged_at }, limitsBy.get(a.lender_id) ?? DEFAULT_LIMITS);
    if (quiet) out.push({ kind: quiet, ...base });
  }
  return out;
}

/** A zone's offset from UTC in minutes at `at` ("GMT+08:00" → 480). */
function offsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function scheduleOf(ctx: Ctx, lenderId: number): EscalationSchedule {
  const stored = ctx.store.repos.casework.lenderEscalation(lenderId);
  if (stored === null) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  return parseSchedule(stored);
}

const getEscalation: Handler<'escalation.get'> = ({ lenderId }, ctx) => scheduleOf(ctx, lenderId);

const setEscalation: Handler<'escalation.set'> = ({ lenderId, steps, basis }, ctx) => {
  const before = scheduleOf(ctx, lenderId);
  const after = basis ?? before.basis;
  const r = ctx.store.repos;
  r.db.transaction(() => {
    // The lender's escalation column holds JSON: the basis rides along with the steps (no migration).
    r.casework.setLenderEscalation(lenderId, storeSchedule(after, steps));
    ctx.audit('escalation.set', 'lender', lenderId, {
      before: before.isDefault ? 'default' : before.steps,
      after: steps.length ? steps : 'default',
      ...(after !== before.basis ? { basisBefore: before.basis, basis: after } : { basis: after }),
    });
  })();
  return scheduleOf(ctx, lenderId);
};

export const caseworkHandlers = {
  ...outcomeHandlers,
  'escalation.get': getEscalation,
  'escalation.set': setEscalation,
  'compliance.report': report,
  'compliance.limits': limits,
  'compliance.setLimits': setLimits,
  'cases.move': move,
  'contacts.check': check,
  'contacts.log': log,
  'contacts.correct': correct,
  'contacts.list': list,
  'compliance.override': override,
};
