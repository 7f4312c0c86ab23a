// The escalation schedule (催收节奏) by days overdue or by days since placement (per lender). Default from
// DOMAIN.md: day 1–3 SMS reminder, day 7 phone, day 30 field visit and legal notice, day 60+ legal referral
// review. The work queue and the case view use it to say what is due next and what is behind.
import { stageRank } from './stages.js';
import { daysOverdueOn } from '../placement/aging.js';

export const ESCALATION_ACTIONS = ['sms_reminder', 'phone_call', 'letter', 'field_visit_notice', 'legal_review'] as const;

export const ESCALATION_STAGES = ['reminder', 'contact', 'negotiation', 'field_visit', 'legal_referral'] as const;

export interface EscalationStep {
  fromDay: number;
  action: (typeof ESCALATION_ACTIONS)[number];
  /** The stage a case should have reached once this step is due. */
  stage: (typeof ESCALATION_STAGES)[number];
}

export const DEFAULT_ESCALATION: readonly EscalationStep[] = Object.freeze([
  { fromDay: 1, action: 'sms_reminder', stage: 'reminder' },
  { fromDay: 7, action: 'phone_call', stage: 'contact' },
  { fromDay: 30, action: 'field_visit_notice', stage: 'field_visit' },
  { fromDay: 60, action: 'legal_review', stage: 'legal_referral' },
]);

/**
 * What a step's day counts: days overdue (the loan's age: a case placed at M3+ is at once "behind" on every
 * early step) or days since the agency received the case (a fresh start for late placements).
 */
export const ESCALATION_BASES = ['days_overdue', 'days_since_placement'] as const;
export type EscalationBasis = (typeof ESCALATION_BASES)[number];

export interface EscalationSchedule {
  basis: EscalationBasis;
  steps: EscalationStep[];
  /** No steps stored: the default steps apply. */
  isDefault: boolean;
}

/**
 * A lender's stored schedule (lenders.escalation): a plain step list (older stores, basis days overdue) or
 * `{basis, steps}`. An empty step list means the default steps, on the stored basis.
 */
export function parseSchedule(stored: string | null | undefined): EscalationSchedule {
  const raw: unknown = stored ? JSON.parse(stored) : [];
  const obj = Array.isArray(raw) ? { steps: raw } : ((raw ?? {}) as { basis?: unknown; steps?: unknown });
  const basis: EscalationBasis = obj.basis === 'days_since_placement' ? 'days_since_placement' : 'days_overdue';
  const steps = Array.isArray(obj.steps) ? (obj.steps as EscalationStep[]) : [];
  return steps.length ? { basis, steps, isDefault: false } : { basis, steps: [...DEFAULT_ESCALATION], isDefault: true };
}

/** What lenders.escalation stores for a schedule (the plain list when the basis is the default one). */
export function storeSchedule(basis: EscalationBasis, steps: readonly EscalationStep[]): string {
  return basis === 'days_overdue' ? JSON.stringify(steps) : JSON.stringify({ basis, steps });
}

/** The day number a schedule's steps compare with. */
export function scheduleDay(basis: EscalationBasis, days: { daysOverdue: number | null; daysSincePlacement: number }): number | null {
  return basis === 'days_since_placement' ? days.daysSincePlacement : days.daysOverdue;
}

export interface StepStatus {
  step: EscalationStep;
  /** Due now and the case has not reached its stage yet. */
  behind: boolean;
  /** Days until the step is due (0 when due). */
  inDays: number;
}

/**
 * What the schedule asks of a case today: the latest due step it has not reached (behind), else the
 * next step ahead. `day` is the schedule's day count (scheduleDay). null for paused or finished cases,
 * unknown days, or nothing left to do.
 */
export function nextStep(day: number | null, stage: string, schedule: readonly EscalationStep[] = DEFAULT_ESCALATION): StepStatus | null {
  const rank = stageRank(stage);
  if (day === null || rank < 0) return null;
  let due: EscalationStep | null = null;
  for (const s of schedule) if (s.fromDay <= day && stageRank(s.stage) > rank) due = s;
  if (due) return { step: due, behind: true, inDays: 0 };
  const ahead = schedule.find((s) => s.fromDay > day && stageRank(s.stage) > rank);
  return ahead ? { step: ahead, behind: false, inDays: ahead.fromDay - day } : null;
}

/** Days overdue on a day: kept here for older callers; the rule lives in placement/aging.ts. */
export { daysOverdueOn };

/** The step a case's schedule asks for, in the contract's shape (queue.today, cases.get). */
export function caseStep(
  schedule: Pick<EscalationSchedule, 'basis' | 'steps'>,
  aging: { daysOverdue: number | null; daysSincePlacement: number },
  stage: string,
): { action: string; fromDay: number; behind: boolean; inDays: number; basis: EscalationBasis } | null {
  const s = nextStep(scheduleDay(schedule.basis, aging), stage, schedule.steps);
  return s && { action: s.step.action, fromDay: s.step.fromDay, behind: s.behind, inDays: s.inDays, basis: schedule.basis };
}
