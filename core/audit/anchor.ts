// Keeps audit-anchor.json (db/audit-anchor.ts) in step with the store: compared at every unlock, advanced after
// every call that committed audit entries, and before the store closes.
//
// Cost, measured on the 2-core CI machine under load: an fsync'd atomic write (file + folder) ~14 ms, a plain
// write + rename ~1.5 ms. So each call that appended entries writes the anchor without fsync (that survives a
// crash or kill -9 of the process: the page cache outlives it), and the fsync'd write runs when the last one is
// older than DURABLE_EVERY_MS and at lock/close. A power cut can then lose up to that much of the anchor's
// progress: less protection, never a false alarm (the store's own commit was fsynced before).
import { ApiFailure } from '../../shared/contract/failure.js';
import { ANCHOR_SINCE_KEY as SINCE_KEY, RETIRED_SECRET_KEY, readAnchor, macValid, writeAnchor } from '../../db/audit-anchor.js';
import type { StoreHandle } from '../store-handle.js';
import type { AnchorCheck } from '../../shared/contract/audit.js';
import { anchorKey } from './anchor-key.js';
import { compareOutside, outsideDirs, rememberFolder, worstOutside, writeOutside, type OutsideAnchor } from './anchor-outside.js';
import { SYSTEM_ACTOR } from './actor.js';

export const DURABLE_EVERY_MS = 5_000;

interface State {
  hostLabel: string;
  /**
   * The comparison at open was MAC-checked (this backend held the anchor key). Until then nothing is written: the
   * first call after the key arrives (an admin/manager logs in) compares again, verified, and catches up.
   */
  verified: boolean;
  storeId: string;
  since: { seq: number; at: string };
  seq: number;
  /** The anchor disagrees with the store: it stays as evidence, not advanced, until an admin accepts. */
  frozen: boolean;
  durableAt: number;
  /** The last write was not fsync'd (or was MAC'd with a key since replaced). */
  dirty: boolean;
  key?: Buffer;
}
const states = new WeakMap<StoreHandle, State>();

/**
 * How the anchor stands against the open store's chain (reads only): audit-anchor.json first; when it agrees (or
 * the store was never anchored), the copies outside the store folder (core/audit/anchor-outside.ts) — one ahead of
 * the store means the whole folder, anchor file included, was put back.
 */
export function compareAnchor(store: StoreHandle, opts: { outsideMaxAgeMs?: number } = {}): AnchorCheck {
  const c = compareInside(store);
  if (c.status === 'keyTampered') return c;
  const key = anchorKey(store);
  let outside: OutsideAnchor[];
  try {
    // Copies written before this store's anchoring began (a restore, an accepted finding) are retired.
    outside = compareOutside(store, c.ok || c.status === 'unverified' ? c.since : null, key, opts.outsideMaxAgeMs ?? 0);
  } finally {
    key?.fill(0);
  }
  const worst = worstOutside(outside);
  if (!worst || !(c.ok || c.status === 'unverified' || c.status === 'none')) return { ...c, outside };
  return { ...c, status: worst.status, ok: false, verified: key !== null, anchoredSeq: worst.seq, anchoredAt: worst.at, message: worst.message, outside };
}

/** audit-anchor.json against the store's chain. */
function compareInside(store: StoreHandle): AnchorCheck {
  const r = store.repos;
  const head = r.audit.head();
  const base = { verified: false, anchoredSeq: null, anchoredAt: null, headSeq: head.seq, since: null };
  // The anchor key derives from the privileged key: once a swapped one was found, no anchor file proves anything.
  const tampered = store.privilegedTampered();
  if (tampered) {
    const a = readAnchor(store.files.dir).anchor;
    return { ...base, ...(a ? { anchoredSeq: a.seq, anchoredAt: a.at, since: a.since } : {}), status: 'keyTampered', ok: false, message: `${tampered} The audit anchor cannot be verified, and the audit log may have been rewritten.` };
  }
  const { anchor, damaged } = readAnchor(store.files.dir);
  if (damaged) return { ...base, status: 'damaged', ok: false, message: `audit-anchor.json cannot be read (${damaged}).` };
  if (!anchor) {
    return r.meta.get(SINCE_KEY) !== null
      ? { ...base, status: 'missing', ok: false, message: 'audit-anchor.json is missing, but this store was anchored before: it was deleted, or the store was put back without it.' }
      : { ...base, status: 'none', ok: false, message: 'This store has no audit anchor yet: it is written at the next unlock by a session that can derive its key.' };
  }
  const found = { ...base, anchoredSeq: anchor.seq, anchoredAt: anchor.at, since: anchor.since };
  if (anchor.storeId !== r.meta.get('store_id')) return { ...found, status: 'otherStore', ok: false, message: 'audit-anchor.json belongs to another store.' };
  const key = anchorKey(store);
  const forged = key !== null && !macValid(anchor, key);
  key?.fill(0);
  if (forged) return { ...found, verified: true, status: 'forged', ok: false, message: 'audit-anchor.json does not carry a valid MAC: it was edited, or written without the anchor key.' };
  const verified = key !== null;
  if (anchor.seq > head.seq) {
    return {
      ...found,
      verified,
      status: 'behind',
      ok: false,
      message: `The store was rolled back: its audit log ends at entry ${head.seq}, but entry ${anchor.seq} had been committed by ${anchor.at}. Entries ${head.seq + 1}–${anchor.seq}, and the changes they recorded, are missing.`,
    };
  }
  if (r.audit.hashAt(anchor.seq) !== anchor.hash) {
    // A store found behind at an unlock has written new entries since, over the anchored numbers: say what was found then.
    const seen = r.audit.list({ limit: 1, action: 'audit.anchorMismatch' })[0];
    if (seen && seen.detail.anchoredSeq === anchor.seq && seen.detail.anchoredAt === anchor.at && seen.detail.status === 'behind') {
      return { ...found, verified, status: 'behind', ok: false, message: `${String(seen.detail.message)} (found at the unlock of ${seen.at}, audit entry ${seen.seq})` };
    }
    return { ...found, verified, status: 'mismatch', ok: false, message: `Audit entry ${anchor.seq} is not the one anchored on ${anchor.at}: the audit log was rewritten.` };
  }
  if (!verified) {
    // Anyone holding the master key can write a file that agrees with a chain they rebuilt: never "ok" unverified.
    return { ...found, status: 'unverified', ok: false, message: `The store's audit log reaches entry ${anchor.seq} with the hash audit-anchor.json names (${anchor.at}), but this session cannot check the file's MAC (only administrators' and managers' logins and the recovery key can): not verified.` };
  }
  return { ...found, verified, status: 'ok', ok: true, message: `Anchored at entry ${anchor.seq} (${anchor.at}), since entry ${anchor.since.seq} (${anchor.since.at}).` };
}

function write(store: StoreHandle, st: State, key: Buffer, durable: boolean): void {
  const head = store.repos.audit.head();
  const now = Date.now();
  const body = { v: 1 as const, storeId: st.storeId, seq: head.seq, hash: head.hash, since: st.since, at: new Date(now).toISOString() };
  writeAnchor(store.files.dir, key, body, durable);
  // The copy in the host's app data folder (a desktop's) follows at each durable write: at most 5 s behind.
  if (durable && store.anchorDir) writeOutside([store.anchorDir], st.storeId, key, body, { make: true });
  st.seq = head.seq;
  st.dirty = !durable;
  if (durable) st.durableAt = now;
}

/**
 * After the store opens: compare. A store never anchored gets its first anchor. A disagreement is not a reason
 * to refuse the store (the agency's whole book is in it, and restoring a backup or investigating needs it open):
 * it is logged for the host's operator, recorded in the audit log, shown to admins, and the anchor is left
 * as it is — so `check` keeps failing — until an admin accepts the store as it is (audit.acceptAnchor).
 */
export function anchorOnOpen(store: StoreHandle, hostLabel: string): AnchorCheck | null {
  try {
    return onOpen(store, hostLabel);
  } catch (e) {
    // Never a reason to refuse the unlock; `check` still compares.
    console.error('[agencydesk] audit anchor not compared at open:', e instanceof Error ? e.message : String(e));
    return null;
  }
}

function onOpen(store: StoreHandle, hostLabel: string): AnchorCheck {
  const r = store.repos;
  // Dev builds of this version kept an interim MAC secret in the store, readable with any user's master key.
  if (r.meta.get(RETIRED_SECRET_KEY) !== null) r.meta.delete(RETIRED_SECRET_KEY);
  const key = anchorKey(store);
  const storeId = r.meta.get('store_id') ?? '';
  const c = compareAnchor(store);
  const since = c.since ?? { seq: 0, at: '' };
  states.set(store, { hostLabel, verified: key !== null, storeId, since, seq: c.anchoredSeq ?? 0, frozen: key === null || !c.ok, durableAt: 0, dirty: false });
  if (c.status === 'none') {
    if (!key) return c;
    const head = r.audit.head();
    const first = { seq: head.seq, at: new Date().toISOString() };
    r.meta.set(SINCE_KEY, JSON.stringify(first));
    const st: State = { hostLabel, verified: true, storeId, since: first, seq: 0, frozen: false, durableAt: 0, dirty: false };
    states.set(store, st);
    write(store, st, key, true);
    key.fill(0);
    return compareAnchor(store);
  }
  key?.fill(0);
  // Unverified and agreeing: nothing to report, nothing written (the next verified compare decides).
  if (c.ok || c.status === 'unverified') return c;
  const how = c.verified ? '' : ' (not verified: this session cannot check the anchor\'s MAC)';
  console.error(`[agencydesk] AUDIT ANCHOR WARNING (${c.status})${how}: ${c.message} An administrator should compare with the last backup; \`agencydesk check\` fails until an admin accepts the store as it is.`);
  // One entry per distinct finding, not one per login.
  const last = r.audit.list({ limit: 1, action: 'audit.anchorMismatch' })[0];
  const detail = { status: c.status, verified: c.verified, anchoredSeq: c.anchoredSeq, anchoredAt: c.anchoredAt, headSeq: c.headSeq, message: c.message };
  if (!last || last.detail.status !== c.status || last.detail.anchoredSeq !== c.anchoredSeq || last.detail.anchoredAt !== c.anchoredAt || last.detail.verified !== c.verified) {
    r.db.transaction(() =>
      r.audit.append({ at: new Date().toISOString(), actorId: null, actor: SYSTEM_ACTOR, host: hostLabel, action: 'audit.anchorMismatch', entity: 'store', entityId: storeId, detail }),
    )();
  }
  return c;
}

/** After a call (and on the sweeper's tick): anchor entries committed since the last write, by any connection. */
export function advanceAnchor(store: StoreHandle, opts: { durable?: boolean } = {}): void {
  let st = states.get(store);
  if (!st || !store.isOpen()) return;
  try {
    const key = anchorKey(store);
    if (!key) return;
    if (!st.verified) {
      // The anchor key arrived after the store opened (an admin/manager logged in after a collector, or made the
      // privileged key at this login): compare again, MAC-checked, as at an open; entries appended meanwhile are
      // anchored below — as far as the chain itself vouches for them.
      onOpen(store, st.hostLabel);
      st = states.get(store)!;
    }
    if (st.frozen) {
      key.fill(0);
      return;
    }
    const head = store.repos.audit.head();
    const due = Date.now() - st.durableAt >= DURABLE_EVERY_MS;
    // The key changed under an open store (e.g. once it comes from the privileged key, a session that now holds it): re-MAC now.
    const rotated = st.key !== undefined && !st.key.equals(key);
    st.key?.fill(0);
    st.key = key;
    if (head.seq > st.seq || rotated) write(store, st, key, opts.durable === true || due || rotated);
    else if (st.dirty && (opts.durable || due)) write(store, st, key, true);
  } catch (e) {
    // The change itself is committed; a failed anchor write only narrows what is anchored. Never fail the call.
    console.error('[agencydesk] audit anchor not written:', e instanceof Error ? e.message : String(e));
  }
}

/** An admin accepts the store as it is: a fresh anchor at today's head; the finding stays in the audit log. */
export function acceptAnchor(store: StoreHandle, record: (previous: AnchorCheck) => void): AnchorCheck {
  const key = anchorKey(store);
  if (!key) throw new ApiFailure('FORBIDDEN', 'This session cannot derive the audit anchor key: log in as an administrator.');
  const r = store.repos;
  const previous = compareAnchor(store);
  r.db.transaction(() => record(previous))();
  const head = r.audit.head();
  const since = { seq: head.seq, at: new Date().toISOString() };
  r.meta.set(SINCE_KEY, JSON.stringify(since));
  const st: State = { hostLabel: states.get(store)?.hostLabel ?? '', verified: true, storeId: r.meta.get('store_id') ?? '', since, seq: 0, frozen: false, durableAt: 0, dirty: false };
  states.set(store, st);
  write(store, st, key, true);
  // The copies beside backups are brought to today's head too (any out of reach are retired by the new `since`).
  const copy = readAnchor(store.files.dir).anchor;
  if (copy) writeOutside(outsideDirs(store).filter((d) => d !== store.anchorDir), st.storeId, key, copy);
  st.key = key;
  return compareAnchor(store);
}

/**
 * After a backup was written into `dir` (core/services/backup.ts): the folder is remembered in the store, the
 * anchor brought up to date (durably) and copied beside the backup — same body, same MAC — and into the other
 * backup folders the store knows (when reachable). Only from a session
 * that holds the anchor key and an anchor that agrees with the store (a frozen one stays where it is).
 */
export function anchorBackupFolder(store: StoreHandle, dir: string): boolean {
  try {
    rememberFolder(store, dir);
    advanceAnchor(store, { durable: true });
    const st = states.get(store);
    const key = anchorKey(store);
    if (!key) return false;
    try {
      const a = readAnchor(store.files.dir).anchor;
      if (!st || st.frozen || !st.verified || !a || !macValid(a, key)) return false;
      const { mac: _mac, ...body } = a;
      // Beside this backup, and in every other backup folder the store knows that is reachable (the scheduled one).
      const others = outsideDirs(store).filter((d) => d !== dir && d !== store.anchorDir);
      return writeOutside([dir, ...others], st.storeId, key, body).includes(dir);
    } finally {
      key.fill(0);
    }
  } catch (e) {
    // The backup itself is written and verified: a missing copy only narrows what is detected.
    console.error('[agencydesk] audit anchor not copied beside the backup:', e instanceof Error ? e.message : String(e));
    return false;
  }
}
