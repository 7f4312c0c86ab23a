// The agency's outcome codes (结果代码): the ten defaults plus its own, each with a label in zh-CN and en
// and a class the guardrails count by. Built-in codes keep their class (rules name some of them, e.g.
// number_invalid opens the contact persons) and are never deleted, only disabled; a disabled code is
// refused for new entries but entries that used it stay readable.
import { CONNECTED_OUTCOMES, DEFAULT_OUTCOMES, FAILED_OUTCOMES, UNANSWERED_OUTCOMES } from './guardrails.js';

/**
 * connected: someone answered (counts against the daily cap of connected calls; ends a failed run);
 * unanswered: nobody answered (counts against the per-number cap, and as a failed attempt);
 * failed: failed without ringing out, e.g. a wrong number (a failed attempt, not unanswered);
 * other: counts toward nothing (a letter sent, a note).
 */
export const OUTCOME_CLASSES = ['connected', 'unanswered', 'failed', 'other'] as const;
export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

export interface OutcomeLabels {
  'zh-CN': string;
  en: string;
}

export interface OutcomeDef {
  code: string;
  labels: OutcomeLabels;
  class: OutcomeClass;
  active: boolean;
}

export interface Outcome extends OutcomeDef {
  builtIn: boolean;
}

/** Most codes an agency keeps (a select longer than this helps nobody). */
export const MAX_OUTCOMES = 40;

const DEFAULT_LABELS: Record<(typeof DEFAULT_OUTCOMES)[number], OutcomeLabels> = {
  connected: { 'zh-CN': '已接通', en: 'Connected' },
  no_answer: { 'zh-CN': '无人接听', en: 'No answer' },
  busy: { 'zh-CN': '占线', en: 'Busy' },
  wrong_number: { 'zh-CN': '号码错误', en: 'Wrong number' },
  number_invalid: { 'zh-CN': '空号/停机', en: 'Number invalid' },
  refused: { 'zh-CN': '拒绝还款', en: 'Refused to pay' },
  promised_to_pay: { 'zh-CN': '承诺还款', en: 'Promised to pay' },
  disputed: { 'zh-CN': '对债务有异议', en: 'Disputes the debt' },
  hardship_claimed: { 'zh-CN': '称有困难', en: 'Claims hardship' },
  third_party_refused: { 'zh-CN': '联系人拒绝联系', en: 'Contact refuses contact' },
};

function builtInClass(code: string): OutcomeClass {
  if (CONNECTED_OUTCOMES.includes(code)) return 'connected';
  if (UNANSWERED_OUTCOMES.includes(code)) return 'unanswered';
  if (FAILED_OUTCOMES.includes(code)) return 'failed';
  return 'other';
}

export const BUILT_IN_OUTCOMES: readonly Outcome[] = DEFAULT_OUTCOMES.map((code) => ({ code, labels: DEFAULT_LABELS[code], class: builtInClass(code), active: true, builtIn: true }));

export const isBuiltIn = (code: string): boolean => (DEFAULT_OUTCOMES as readonly string[]).includes(code);

/**
 * The agency's list from what is stored (undefined: nothing saved yet): every built-in code, in its
 * default order, with its fixed class and any labels or switch saved for it; then the agency's own codes.
 */
export function outcomeCatalog(stored: readonly OutcomeDef[] | undefined): Outcome[] {
  const saved = new Map((stored ?? []).map((o) => [o.code, o]));
  const builtIns = BUILT_IN_OUTCOMES.map((b) => {
    const s = saved.get(b.code);
    return s ? { ...b, labels: s.labels, active: s.active } : { ...b };
  });
  const own = (stored ?? []).filter((o) => !isBuiltIn(o.code)).map((o) => ({ ...o, builtIn: false }));
  return [...builtIns, ...own];
}

/** The codes of the given classes (for the guardrails' counts). */
export function codesOf(list: readonly OutcomeDef[], ...classes: OutcomeClass[]): string[] {
  return list.filter((o) => classes.includes(o.class)).map((o) => o.code);
}

/** What a collector may pick for a new entry. */
export const activeCodes = (list: readonly OutcomeDef[]): string[] => list.filter((o) => o.active).map((o) => o.code);

export interface OutcomeProblem {
  kind: 'exists' | 'missing' | 'invalid';
  message: string;
}

/**
 * Why a change to one code cannot be saved, or null. `existing` is the current catalog.
 * Rules: codes are unique; a built-in code keeps its class; labels tell codes apart; at least one code
 * stays active; at most MAX_OUTCOMES.
 */
export function checkOutcomeChange(existing: readonly Outcome[], next: OutcomeDef, create: boolean): OutcomeProblem | null {
  const current = existing.find((o) => o.code === next.code);
  const invalid = (message: string): OutcomeProblem => ({ kind: 'invalid', message });
  if (create && current) return { kind: 'exists', message: `The outcome code ${next.code} exists already: edit it instead.` };
  if (!create && !current) return { kind: 'missing', message: `No outcome code ${next.code}.` };
  if (create && existing.length >= MAX_OUTCOMES) return invalid(`An agency keeps at most ${MAX_OUTCOMES} outcome codes: disable one you no longer use.`);
  if (current?.builtIn && current.class !== next.class) return invalid(`The class of the built-in outcome ${next.code} is fixed (${current.class}): the guardrails depend on it.`);
  if (!next.active && existing.every((o) => o.code === next.code || !o.active)) return invalid('At least one outcome code must stay in use.');
  const clash = existing.find((o) => o.code !== next.code && (o.labels['zh-CN'] === next.labels['zh-CN'] || o.labels.en.toLowerCase() === next.labels.en.toLowerCase()));
  if (clash) return invalid(`Another outcome (${clash.code}) already has this label: collectors could not tell them apart.`);
  return null;
}
