// Case stages and the state machine between them: which moves exist, who may make each, and which need
// a reason. core refuses anything else, whatever the host.
import type { Role } from '../roles.js';

export const ACTIVE_STAGES = ['new', 'reminder', 'contact', 'negotiation', 'field_visit', 'legal_referral'] as const;
export const FINAL_STAGES = ['settled', 'closed', 'written_off', 'returned'] as const;
export const STAGES = [...ACTIVE_STAGES, 'paused', ...FINAL_STAGES] as const;
export type Stage = (typeof STAGES)[number];

/** Why collection pauses (DOMAIN.md: hardship, dispute or death stop collection). */
export const PAUSE_REASONS = ['hardship', 'dispute', 'death'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** How far along the escalation path a stage is (-1 for paused and final stages). */
export function stageRank(stage: string): number {
  return (ACTIVE_STAGES as readonly string[]).indexOf(stage);
}

export function isFinal(stage: string): boolean {
  return (FINAL_STAGES as readonly string[]).includes(stage);
}

const WORKERS: readonly Role[] = ['collector', 'manager', 'admin'];
const MANAGERS: readonly Role[] = ['manager', 'admin'];

interface Rule {
  from: readonly Stage[];
  to: Stage;
  roles: readonly Role[];
  /** A written reason is required (kept in the case history). */
  reason: boolean;
}

const WORKING: readonly Stage[] = ['reminder', 'contact', 'negotiation', 'field_visit'];

/** Every allowed move. Anything not listed is refused. */
export const TRANSITIONS: readonly Rule[] = [
  { from: ['new'], to: 'reminder', roles: WORKERS, reason: false },
  { from: ['new', 'reminder', 'negotiation', 'field_visit'], to: 'contact', roles: WORKERS, reason: false },
  { from: ['new', 'reminder', 'contact', 'field_visit'], to: 'negotiation', roles: WORKERS, reason: false },
  { from: ['contact', 'negotiation'], to: 'field_visit', roles: WORKERS, reason: true },
  // Legal referral is a manager's decision, on the record.
  { from: WORKING, to: 'legal_referral', roles: MANAGERS, reason: true },
  { from: [...ACTIVE_STAGES], to: 'paused', roles: WORKERS, reason: true },
  // Only a manager resumes a paused case, to a working stage of their choice.
  ...WORKING.map((to) => ({ from: ['paused'] as const, to, roles: MANAGERS, reason: true })),
  { from: [...ACTIVE_STAGES, 'paused'], to: 'settled', roles: MANAGERS, reason: true },
  { from: [...ACTIVE_STAGES, 'paused'], to: 'closed', roles: MANAGERS, reason: true },
  { from: [...ACTIVE_STAGES, 'paused'], to: 'written_off', roles: MANAGERS, reason: true },
  { from: [...ACTIVE_STAGES, 'paused'], to: 'returned', roles: MANAGERS, reason: true },
];

export type TransitionCheck = { ok: true; reasonRequired: boolean } | { ok: false; code: 'NO_SUCH_MOVE' | 'ROLE' | 'REASON_REQUIRED'; message: string };

/** Whether `role` may move a case from `from` to `to` (with or without a reason). */
export function checkTransition(from: string, to: string, role: Role, reason: string | undefined): TransitionCheck {
  const rule = TRANSITIONS.find((r) => r.to === to && (r.from as readonly string[]).includes(from));
  if (!rule) return { ok: false, code: 'NO_SUCH_MOVE', message: `A case cannot move from ${from} to ${to}.` };
  if (!rule.roles.includes(role)) return { ok: false, code: 'ROLE', message: `Only ${rule.roles.join(' or ')} may move a case from ${from} to ${to}.` };
  if (rule.reason && !reason?.trim()) return { ok: false, code: 'REASON_REQUIRED', message: `Moving a case to ${to} needs a reason.` };
  return { ok: true, reasonRequired: rule.reason };
}

/** The stages a role may move a case to from `from` (for the UI's choices). */
export function nextStages(from: string, role: Role): Stage[] {
  return TRANSITIONS.filter((r) => (r.from as readonly string[]).includes(from) && r.roles.includes(role)).map((r) => r.to);
}
