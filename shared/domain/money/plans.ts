// Negotiated plans (协商方案): who may approve a waiver, and how a plan's installments stand against the
// payments made since it started. A plan is "broken" the day after an installment's grace period ends
// with less paid (in total, since the start) than everything due up to that installment.
import type { Installment } from './installments.js';

export const PLAN_KINDS = ['extension', 'installments', 'waiver'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export const PLAN_STATUSES = ['proposed', 'awaiting_lender', 'active', 'completed', 'broken', 'rejected'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** A lender's limits on what the agency grants by itself. Above them the lender's approval is recorded. */
export interface ApprovalLimits {
  /** Largest waiver a manager approves alone, fen. */
  managerMaxWaiverFen: number;
  /** Largest waiver a manager approves alone, as parts per million of what is owed (30 % = 300,000). */
  managerMaxWaiverPpm: number;
  /** Days after an installment's due date before it counts as missed. */
  graceDays: number;
}

export const DEFAULT_APPROVAL: ApprovalLimits = Object.freeze({ managerMaxWaiverFen: 500_000, managerMaxWaiverPpm: 300_000, graceDays: 3 });

/** Who must approve a plan waiving `waiverFen` of `owedFen`: a manager, or the lender (recorded by a manager). */
export function approverFor(waiverFen: number, owedFen: number, limits: ApprovalLimits): 'manager' | 'lender' {
  if (waiverFen <= 0) return 'manager';
  if (waiverFen > limits.managerMaxWaiverFen) return 'lender';
  // waiver / owed > ppm / 1e6, in integers
  if (waiverFen * 1_000_000 > limits.managerMaxWaiverPpm * owedFen) return 'lender';
  return 'manager';
}

export type InstallmentState = 'paid' | 'part_paid' | 'upcoming' | 'due' | 'missed';

export interface InstallmentProgress extends Installment {
  /** What of this installment the payments so far cover. */
  paidFen: number;
  state: InstallmentState;
}

export interface PlanProgress {
  installments: InstallmentProgress[];
  paidFen: number;
  totalFen: number;
  /** Completed when everything is paid; broken from the day after the first missed grace period. */
  outcome: 'running' | 'completed' | 'broken';
  /** The day the plan broke (the day after the grace of the first missed installment). */
  brokenOn: string | null;
  /** The next installment not fully paid. */
  next: InstallmentProgress | null;
}

const DAY = 86_400_000;
export const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/**
 * Installments against payments (each `{date, fen}`, made on or after the plan's start), as of `today`.
 * Payments fill installments in order; an installment is missed when, after its due date plus the grace
 * days, the payments made by then do not cover it and everything before it.
 */
export function planProgress(schedule: readonly Installment[], payments: readonly { date: string; fen: number }[], today: string, graceDays: number): PlanProgress {
  const sorted = [...payments].sort((a, b) => a.date.localeCompare(b.date));
  const paidBy = (date: string) => sorted.reduce((s, p) => (p.date <= date ? s + p.fen : s), 0);
  const paidFen = paidBy(today);
  const totalFen = schedule.reduce((s, i) => s + i.amountFen, 0);
  let dueBefore = 0;
  let brokenOn: string | null = null;
  const installments = schedule.map((i): InstallmentProgress => {
    const covered = Math.max(0, Math.min(i.amountFen, paidFen - dueBefore));
    const graceEnd = addDays(i.dueDate, graceDays);
    let state: InstallmentState;
    if (covered >= i.amountFen) state = 'paid';
    else if (today > graceEnd && paidBy(graceEnd) < dueBefore + i.amountFen) state = 'missed';
    else if (today >= i.dueDate) state = 'due';
    else state = covered > 0 ? 'part_paid' : 'upcoming';
    // An installment covered only after its grace period ended still broke the plan on that day.
    if (brokenOn === null && today > graceEnd && paidBy(graceEnd) < dueBefore + i.amountFen) brokenOn = addDays(graceEnd, 1);
    dueBefore += i.amountFen;
    return { ...i, paidFen: covered, state };
  });
  const outcome = brokenOn !== null ? 'broken' : paidFen >= totalFen ? 'completed' : 'running';
  return { installments, paidFen, totalFen, outcome, brokenOn, next: installments.find((i) => i.paidFen < i.amountFen) ?? null };
}

export type PromiseState = 'pending' | 'kept' | 'partly_kept' | 'broken';

/**
 * A promise to pay `amountFen` by `date`, made on `madeOn`: kept when the payments from `madeOn` to `date`
 * reach the amount; otherwise, once `date` has passed, partly kept (something paid) or broken.
 */
export function promiseState(promise: { madeOn: string; date: string; amountFen: number }, payments: readonly { date: string; fen: number }[], today: string): { state: PromiseState; paidFen: number } {
  const paidFen = payments.reduce((s, p) => (p.date >= promise.madeOn && p.date <= promise.date ? s + p.fen : s), 0);
  if (paidFen >= promise.amountFen) return { state: 'kept', paidFen };
  if (today <= promise.date) return { state: 'pending', paidFen };
  return { state: paidFen > 0 ? 'partly_kept' : 'broken', paidFen };
}
