// The escalation schedule (催收节奏) by days overdue. Default from DOMAIN.md: day 1–3 SMS reminder, day 7
// phone, day 30 field visit and legal notice, day 60+ legal referral review. Per-lender schedules come
// with casework; the work queue already uses it to say what is due next and what is behind.
import { stageRank } from './stages.js';

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

export interface StepStatus {
  step: EscalationStep;
  /** Due now and the case has not reached its stage yet. */
  behind: boolean;
  /** Days until the step is due (0 when due). */
  inDays: number;
}

/**
 * What the schedule asks of a case today: the latest due step it has not reached (behind), else the
 * next step ahead. null for paused or finished cases, unknown days, or nothing left to do.
 */
export function nextStep(daysOverdue: number | null, stage: string, schedule: readonly EscalationStep[] = DEFAULT_ESCALATION): StepStatus | null {
  const rank = stageRank(stage);
  if (daysOverdue === null || rank < 0) return null;
  let due: EscalationStep | null = null;
  for (const s of schedule) if (s.fromDay <= daysOverdue && stageRank(s.stage) > rank) due = s;
  if (due) return { step: due, behind: true, inDays: 0 };
  const ahead = schedule.find((s) => s.fromDay > daysOverdue && stageRank(s.stage) > rank);
  return ahead ? { step: ahead, behind: false, inDays: ahead.fromDay - daysOverdue } : null;
}

/** Days overdue today: the count in the placement file plus the days since it was placed. */
export function daysOverdueOn(today: string, placementDate: string, daysAtPlacement: number | null): number | null {
  if (daysAtPlacement === null) return null;
  const ms = Date.parse(`${today}T00:00:00Z`) - Date.parse(`${placementDate}T00:00:00Z`);
  return daysAtPlacement + Math.max(0, Math.round(ms / 86_400_000));
}
