// Failed-login counters, kept beside the store (it cannot be read before unlock) so delays survive a restart.
import { readJsonFile, writeFileAtomic } from './atomic-file.js';

export interface LockoutRecord {
  failures: number;
  lastFailureAt: number; // epoch ms
  /** Times of failures not yet copied into the audit log (written there at the next unlock). */
  pending: string[];
}
export type LockoutState = Record<string, LockoutRecord>;

const MAX_PENDING = 200;

export function readLockouts(file: string): LockoutState {
  try {
    return readJsonFile<LockoutState>(file) ?? {};
  } catch {
    return {}; // a corrupt counter file must not lock everybody out forever
  }
}

export function recordFailure(file: string, key: string, nowMs: number): LockoutRecord {
  const state = readLockouts(file);
  const prev = state[key] ?? { failures: 0, lastFailureAt: 0, pending: [] };
  const next = { failures: prev.failures + 1, lastFailureAt: nowMs, pending: [...prev.pending, new Date(nowMs).toISOString()].slice(-MAX_PENDING) };
  writeFileAtomic(file, JSON.stringify({ ...state, [key]: next }));
  return next;
}

/** Clears one key's counter and returns every pending failure (all keys) for the audit log. */
export function clearAndDrain(file: string, key: string): { key: string; at: string }[] {
  const state = readLockouts(file);
  const drained = Object.entries(state).flatMap(([k, r]) => r.pending.map((at) => ({ key: k, at })));
  const next: LockoutState = {};
  for (const [k, r] of Object.entries(state)) if (k !== key) next[k] = { ...r, pending: [] };
  writeFileAtomic(file, JSON.stringify(next));
  return drained.sort((a, b) => a.at.localeCompare(b.at));
}
