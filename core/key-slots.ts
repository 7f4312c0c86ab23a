// Keeping keyslots.json in step with the users (format 2, db/keyslots.ts): a format-1 slot becomes format 2 at its
// owner's login; the privileged key (the signing key's lock) is sealed into the slots of users who may sign
// reports and the recovery slot, and taken out of the others; disabling a user, an admin's password reset or
// taking the signing right away marks the master key as due for a change; the change itself (rekey).
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { can } from '../shared/domain/roles.js';
import type { Role } from '../shared/domain/roles.js';
import { ApiFailure } from '../shared/contract/failure.js';
import { formatRecoveryKey } from '../shared/domain/recovery-key.js';
import type { User } from '../shared/contract/models.js';
import {
  isV2,
  makeRecoverySlot,
  resealSlot,
  sealSlotFile,
  tagSlot,
  upgradeSlot,
  withPasswordSlot,
  withRecoverySlot,
  type Opened,
  type Slot,
} from '../db/keyslots.js';
import { PRIVILEGED_CHECK, SLOTS_VERSION } from './store-handle.js';
import { runningRekey, startRekey } from './rekey-job.js';
import { erasureRunning } from './privacy/erase.js';
import { requireFreeSpace } from './disk-space.js';
import { lockPlainSigningKeys } from './reports/keys.js';
import type { Ctx } from './context.js';

const REKEY_DUE = 'rekey_due';
const GENERATION = 'key_generation';
const LAST_REKEY = 'last_rekey_at';

/** Who holds the privileged key: whoever may sign report packages (admins, managers). */
export const mayHoldPrivileged = (role: Role): boolean => can(role, 'reports.export');

/** The privileged key to seal into a new slot for a user of this role (null: none, or this backend lacks it). */
export function privilegedFor(ctx: Ctx, role: Role): Buffer | null {
  return mayHoldPrivileged(role) ? ctx.store.privilegedSecret() : null;
}

/**
 * After a slot opened the store: a format-1 slot becomes format 2 (with the KEK just derived), the store gets its
 * privileged key if it has none and this user may hold it (plain signing keys are locked under it), and the
 * privileged key is sealed into every slot that should have it.
 */
export function afterUnlock(ctx: Ctx, slot: Slot, opened: Opened, user: User | null): void {
  try {
    const store = ctx.store;
    const r = store.repos;
    if (opened.privilegedTampered) reportTampered(ctx, slot, opened.privilegedTampered, user);
    if (!r.meta.get(PRIVILEGED_CHECK) && (slot.kind === 'recovery' || (user && mayHoldPrivileged(user.role)))) {
      r.db.transaction(() => {
        store.createPrivileged();
        const sub = store.privilegedKey('signing')!;
        const n = lockPlainSigningKeys(ctx, sub);
        sub.fill(0);
        ctx.audit('keys.signingLocked', 'store', null, { signingKeys: n }, user);
      })();
    }
    if (opened.legacy) {
      const p = slot.kind === 'recovery' || (user && mayHoldPrivileged(user.role)) ? store.privilegedSecret() : null;
      const upgraded = upgradeSlot(store.slots().storeId, slot, opened.kek, { masterKey: store.masterKey, privileged: p });
      const current = store.slots();
      store.saveSlots(upgraded.kind === 'recovery' ? withRecoverySlot(current, upgraded) : withPasswordSlot(current, upgraded));
    } else if (!opened.privilegedTampered) confirmPrivileged(ctx, slot, opened, user);
  } finally {
    opened.kek.fill(0);
  }
  syncPrivileged(ctx);
}

/**
 * Tag-on-first-use: the owner of a slot that should hold the privileged key, and has no tag yet (granted by
 * someone else at a role change, or made before tags), confirms the key this backend holds — one that its own
 * slot, or an earlier unlock, vouched for. A slot tagged for another key is left alone (reported at its unlock).
 */
function confirmPrivileged(ctx: Ctx, slot: Slot, opened: Opened, user: User | null): void {
  const store = ctx.store;
  const p = store.privilegedSecret();
  if (!p || store.privilegedTampered() || !(slot.kind === 'recovery' || (user && mayHoldPrivileged(user.role)))) return;
  const file = store.slots();
  const current = file.slots.find((s) => s.id === slot.id);
  if (!current || !isV2(current) || current.ptag !== undefined) return;
  const tagged = tagSlot(file.storeId, current, opened.kek, p);
  if (tagged) store.saveSlots({ ...file, slots: file.slots.map((s) => (s.id === slot.id ? tagged : s)) });
}

/** A slot's privileged key was swapped or its tag removed: never used; said loudly, recorded, and `check` fails. */
function reportTampered(ctx: Ctx, slot: Slot, reason: string, user: User | null): void {
  const who = slot.kind === 'recovery' ? 'the recovery key' : `${slot.username}'s password`;
  const message = `The privileged key (the signing lock and the audit anchor's key) from the slot of ${who} was refused: ${reason}. Someone who held the master key (any user's password opens it) tried to swap it; report signing and audit anchoring stay off until an administrator restores keyslots.json and the store from a backup made before.`;
  ctx.store.notePrivilegedTampered(message);
  console.error(`[agencydesk] PRIVILEGED KEY TAMPERED: ${message}`);
  const r = ctx.store.repos;
  r.db.transaction(() =>
    ctx.audit('keys.privilegedTampered', 'store', null, { slot: slot.kind, username: slot.kind === 'password' ? slot.username : null, reason }, user),
  )();
}

/** Seals the privileged key (when this backend holds it) into the slots that should have it; removes it from the rest. */
export function syncPrivileged(ctx: Ctx): void {
  const store = ctx.store;
  const p = store.privilegedSecret();
  const file = store.slots();
  const users = new Map(store.repos.users.list().map((u) => [u.username, u]));
  let changed = false;
  const slots = file.slots.map((s) => {
    if (!isV2(s)) return s;
    const u = s.kind === 'password' ? users.get(s.username) : null;
    const want = s.kind === 'recovery' || (!!u && u.status === 'active' && mayHoldPrivileged(u.role));
    if (!want && s.privileged) {
      changed = true;
      return resealSlot(file.storeId, s, null, 'remove');
    }
    if (want && !s.privileged && p) {
      changed = true;
      return resealSlot(file.storeId, s, null, p);
    }
    return s;
  });
  if (changed) store.saveSlots({ ...file, slots });
}

/** Why the master key should change: said in words by the UI (the user's name, what happened). */
export interface RekeyReason {
  username: string;
  why: 'disabled' | 'reset' | 'demoted';
  from?: string;
  to?: string;
}
export interface RekeyDue {
  since: string;
  reasons: RekeyReason[];
}

/** Disabling a user, an admin's reset of a password, or taking the signing right away: the master key should change. */
export function markRekeyDue(ctx: Ctx, reason: RekeyReason): void {
  const meta = ctx.store.repos.meta;
  const before = rekeyDue(ctx);
  const next: RekeyDue = { since: before?.since ?? ctx.now().toISOString(), reasons: [...(before?.reasons ?? []), reason].slice(-50) };
  meta.set(REKEY_DUE, JSON.stringify(next));
}

export function rekeyDue(ctx: Ctx): RekeyDue | null {
  const raw = ctx.store.repos.meta.get(REKEY_DUE);
  if (!raw) return null;
  const due = JSON.parse(raw) as { since: string; reasons: unknown[] };
  // Only structured reasons (a development build of this version stored sentences: they are dropped, not shown raw).
  return { since: due.since, reasons: due.reasons.filter((r): r is RekeyReason => typeof r === 'object' && r !== null && 'why' in r) };
}

export function keyGeneration(ctx: Ctx): { generation: number; lastRekeyAt: string | null } {
  const m = ctx.store.repos.meta;
  return { generation: Number(m.get(GENERATION) ?? 0), lastRekeyAt: m.get(LAST_REKEY) || null };
}

/**
 * Starts a new random master key (a background job, core/rekey-job.ts): the store re-encrypted under it
 * (kill-safe, db/rekey.ts) and the master key sealed into every remaining slot. Slots of users who are gone or
 * disabled, and format-1 slots (their users have not logged in since the upgrade: they need a password reset),
 * are dropped. A format-1 recovery slot cannot be resealed either: a new recovery key is made and returned in the
 * job's result (shown once, to this admin). Returns the job's id at once.
 */
/** agency.db and its WAL, in bytes (what a rekey's copy holds at most). */
function storeBytes(db: string): number {
  let n = 0;
  for (const f of [db, `${db}-wal`]) {
    try {
      n += statSync(f).size;
    } catch {
      /* no WAL */
    }
  }
  return n;
}

export function rekeyNow(ctx: Ctx, opts: { newRecoveryKey: boolean }): string {
  const store = ctx.store;
  if (ctx.jobs.runningCount > 0) throw new ApiFailure('BUSY', 'An import is running: the key can be changed when it ends.', { retryAfterSeconds: 30 });
  // A finished import's worker still writes its search rows with its own connection: the switch would fail at the end.
  if (ctx.jobs.workersAlive > 0) throw new ApiFailure('BUSY', 'An import is finishing (its search index): the key can be changed in a moment.', { retryAfterSeconds: 5 });
  if (runningRekey(store)) throw new ApiFailure('BUSY', 'The master key is already being changed.', { retryAfterSeconds: 10 });
  if (erasureRunning(store.repos.db)) throw new ApiFailure('BUSY', 'An erasure is running: the key can be changed when it ends.', { retryAfterSeconds: 30 });
  // The job writes a whole copy of the store, and PRAGMA rekey a rollback journal about as big beside it.
  requireFreeSpace(store.files.dir, 2 * storeBytes(store.files.db));
  const file = store.slots();
  const users = new Map(store.repos.users.list().map((u) => [u.username, u]));
  const p = store.privilegedSecret();
  const newKey = randomBytes(32);
  const dropped: { username: string; reason: string }[] = [];
  let recoveryKey: Buffer | null = null;
  const slots: Slot[] = [];
  for (const s of file.slots) {
    if (s.kind === 'recovery') {
      if (!isV2(s) || opts.newRecoveryKey) continue; // replaced below
      slots.push(resealSlot(file.storeId, s, newKey, p ?? 'keep'));
      continue;
    }
    const u = users.get(s.username);
    if (!u || u.status !== 'active') {
      dropped.push({ username: s.username, reason: u ? 'disabled' : 'no such user' });
      continue;
    }
    if (!isV2(s)) {
      dropped.push({ username: s.username, reason: 'not logged in since the key slot upgrade: reset this password' });
      continue;
    }
    slots.push(resealSlot(file.storeId, s, newKey, mayHoldPrivileged(u.role) ? (p ?? 'keep') : 'remove'));
  }
  if (!slots.some((s) => s.kind === 'recovery')) {
    recoveryKey = randomBytes(32);
    slots.push(makeRecoverySlot(file.storeId, newKey, recoveryKey, p));
  }
  if (ctx.user && !slots.some((s) => s.kind === 'password' && s.username === ctx.user!.username)) {
    newKey.fill(0);
    recoveryKey?.fill(0);
    throw new ApiFailure('CONFLICT', 'Your own key slot could not be kept: log out and in again, then change the key.');
  }
  const generation = keyGeneration(ctx).generation + 1;
  const at = ctx.now().toISOString();
  // The slot-file version the store will have seen: past both the current file's and the store's record.
  const version = Math.max((file.version ?? 0) + 1, Number(store.repos.meta.get(SLOTS_VERSION) ?? 0) + 1);
  const sealed = sealSlotFile({ ...file, slots, generation }, version, newKey);
  const meta = { [GENERATION]: String(generation), [LAST_REKEY]: at, [REKEY_DUE]: '', [SLOTS_VERSION]: String(version) };
  return startRekey(store, {
    newKey,
    slots: sealed,
    meta,
    startedBy: ctx.user?.id ?? 0,
    finished: (seconds) => {
      const shown = recoveryKey ? formatRecoveryKey(recoveryKey) : null;
      const newRecoveryKey = recoveryKey !== null;
      recoveryKey?.fill(0);
      try {
        const r = store.repos;
        r.db.transaction(() => ctx.audit('keys.rekey', 'store', null, { generation, seconds, dropped, newRecoveryKey, slots: slots.length })).immediate();
      } catch (e) {
        // The key did change (and the result must reach the admin: it may hold the new recovery key).
        console.error('[agencydesk] the master key changed, but its audit entry failed:', (e as Error).message);
      }
      return { generation, dropped, recoveryKey: shown };
    },
    failed: () => recoveryKey?.fill(0),
  });
}
