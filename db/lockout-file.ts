// Failed-login counters, kept beside the store (it cannot be read before unlock) so delays survive a restart.
//
// Deleting or replacing the file must not wipe them. keyslots.json names this file's id (`lockoutId`, set at
// setup or at the first unlock of an older store): while it does, a lockout.json that is missing, unreadable
// or carries another id counts as tampering — every login and recovery waits the maximal delay from the moment
// it was noticed (a fresh file records that moment, so a restart does not end it), and the event reaches the
// audit log at the next unlock. The running process also keeps its own copy of the counters and takes the
// larger of the two, so editing the file while the app runs changes nothing.
// Not covered: someone who can write the folder can edit the counters inside a well-formed file, or strip the
// marker from keyslots.json too (the store notices the changed marker at the next unlock and audits it). Such a
// person can also copy keyslots.json and guess offline, at scrypt's cost: the delays are against guessing through
// the app.
import { existsSync, readFileSync } from 'node:fs';
import { MAX_DELAY_SECONDS, retryAfterSeconds } from '../shared/domain/lockout.js';
import { writeFileAtomic } from './atomic-file.js';
import { readSlotFile } from './keyslots.js';

export interface LockoutRecord {
  failures: number;
  lastFailureAt: number; // epoch ms
  /** Times of failures not yet copied into the audit log (written there at the next unlock). */
  pending: string[];
}
export type LockoutState = Record<string, LockoutRecord>;

const FORMAT = 'agencydesk-lockout/2';
interface LockoutData {
  format: typeof FORMAT;
  id: string | null;
  records: LockoutState;
  /** When tampering was noticed: everyone waits the maximal delay from then. */
  reset: { at: number; reason: string } | null;
  /** Tampering events not yet in the audit log. */
  events: { at: string; reason: string }[];
}
export interface LockoutFiles {
  lockout: string;
  slots: string;
}

const MAX_PENDING = 200;
const memory = new Map<string, LockoutData>();

const empty = (id: string | null): LockoutData => ({ format: FORMAT, id, records: {}, reset: null, events: [] });

function isRecord(v: unknown): v is LockoutRecord {
  const r = v as LockoutRecord;
  return typeof r === 'object' && r !== null && Number.isFinite(r.failures) && Number.isFinite(r.lastFailureAt) && Array.isArray(r.pending);
}

/** The file's content, 'damaged' when it cannot be trusted to be ours, null when absent. Reads the older format (a bare map of records). */
function readDisk(file: string): LockoutData | 'damaged' | null {
  if (!existsSync(file)) return null;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'damaged';
    const d = (raw.format === FORMAT ? raw : { ...empty(null), records: raw }) as unknown as LockoutData;
    if (typeof d.records !== 'object' || d.records === null || !Object.values(d.records).every(isRecord)) return 'damaged';
    return { format: FORMAT, id: typeof d.id === 'string' ? d.id : null, records: d.records, reset: d.reset ?? null, events: Array.isArray(d.events) ? d.events : [] };
  } catch {
    return 'damaged';
  }
}

function expectedId(files: LockoutFiles): string | null {
  try {
    return readSlotFile(files.slots)?.lockoutId ?? null;
  } catch {
    return null; // a damaged slot file refuses the login by itself
  }
}

/** Larger counters and later times win: neither a deleted file nor a restart makes anything smaller. Both copies
 *  hold the same history (one process per store), so the longer pending list is the fuller one. */
function merge(a: LockoutData, b: LockoutData): LockoutData {
  const records: LockoutState = { ...a.records };
  for (const [k, r] of Object.entries(b.records)) {
    const o = records[k];
    records[k] = o
      ? { failures: Math.max(o.failures, r.failures), lastFailureAt: Math.max(o.lastFailureAt, r.lastFailureAt), pending: o.pending.length >= r.pending.length ? o.pending : r.pending }
      : r;
  }
  const reset = !a.reset ? b.reset : !b.reset ? a.reset : a.reset.at >= b.reset.at ? a.reset : b.reset;
  const seen = new Set(a.events.map((e) => e.at + e.reason));
  return { format: FORMAT, id: a.id ?? b.id, records, reset, events: [...a.events, ...b.events.filter((e) => !seen.has(e.at + e.reason))] };
}

function save(files: LockoutFiles, data: LockoutData): void {
  writeFileAtomic(files.lockout, JSON.stringify(data));
  memory.set(files.lockout, data);
}

/** The counters as they stand: the file, checked against keyslots.json's marker, merged with this process's copy. */
function load(files: LockoutFiles, nowMs: number): LockoutData {
  const want = expectedId(files);
  const disk = readDisk(files.lockout);
  const mem = memory.get(files.lockout);
  let data: LockoutData;
  if (want !== null && (disk === null || disk === 'damaged' || disk.id !== want)) {
    const reason = disk === null ? 'lockout.json was missing' : disk === 'damaged' ? 'lockout.json was damaged' : 'lockout.json was replaced by another one';
    const kept = disk !== null && disk !== 'damaged' ? disk : empty(null);
    data = { ...kept, id: want, reset: { at: nowMs, reason }, events: [...kept.events, { at: new Date(nowMs).toISOString(), reason }] };
    if (mem) data = merge(data, { ...mem, id: want });
    save(files, data);
    return data;
  }
  data = disk === null || disk === 'damaged' ? empty(want) : disk;
  if (mem) data = merge(data, mem);
  memory.set(files.lockout, data);
  return data;
}

/** Seconds before `key` may try again (0 = now). */
export function lockoutWait(files: LockoutFiles, key: string, nowMs: number): number {
  const data = load(files, nowMs);
  const rec = data.records[key];
  const own = rec ? retryAfterSeconds(rec.failures, rec.lastFailureAt, nowMs) : 0;
  const reset = data.reset ? Math.max(0, Math.ceil((data.reset.at + MAX_DELAY_SECONDS * 1000 - nowMs) / 1000)) : 0;
  return Math.max(own, reset);
}

export function recordFailure(files: LockoutFiles, key: string, nowMs: number): LockoutRecord {
  const data = load(files, nowMs);
  const prev = data.records[key] ?? { failures: 0, lastFailureAt: 0, pending: [] };
  const next = { failures: prev.failures + 1, lastFailureAt: nowMs, pending: [...prev.pending, new Date(nowMs).toISOString()].slice(-MAX_PENDING) };
  save(files, { ...data, records: { ...data.records, [key]: next } });
  return next;
}

export interface Drained {
  failures: { key: string; at: string }[];
  /** Tampering noticed since the last unlock (lockout.json missing, damaged or replaced). */
  events: { at: string; reason: string }[];
}

/** Clears one key's counter and returns every pending failure (all keys) and tampering event for the audit log. */
export function clearAndDrain(files: LockoutFiles, key: string, nowMs: number): Drained {
  const data = load(files, nowMs);
  const failures = Object.entries(data.records).flatMap(([k, r]) => r.pending.map((at) => ({ key: k, at })));
  const records: LockoutState = {};
  for (const [k, r] of Object.entries(data.records)) if (k !== key) records[k] = { ...r, pending: [] };
  // The tamper delay is not lifted by one success: it runs its course (the marker is checked again each time).
  memory.set(files.lockout, { ...data, records, events: [] }); // drained entries must not come back from memory
  save(files, { ...data, records, events: [] });
  return { failures: failures.sort((a, b) => a.at.localeCompare(b.at)), events: data.events };
}

/** Gives lockout.json the id keyslots.json is about to name (before the slot file is written). */
export function adoptLockoutId(files: LockoutFiles, id: string, nowMs: number): void {
  const data = load(files, nowMs);
  save(files, { ...data, id });
}

/** Forgets this process's copy (tests that simulate a restart in one process). */
export function forgetLockoutMemory(file: string): void {
  memory.delete(file);
}
