import { ApiFailure } from '../../shared/contract/failure.js';
import { randomUUID } from 'node:crypto';
import { lockoutDelaySeconds } from '../../shared/domain/lockout.js';
import { parseRecoveryKey } from '../../shared/domain/recovery-key.js';
import type { User } from '../../shared/contract/models.js';
import {
  dummyPasswordAttempt,
  findPasswordSlot,
  findRecoverySlot,
  makePasswordSlot,
  unlockPasswordSlot,
  unlockRecoverySlot,
  withPasswordSlot,
  type Opened,
} from '../../db/keyslots.js';
import { afterUnlock, privilegedFor } from '../key-slots.js';
import { carriedCheck, heldCheck } from '../slot-tag.js';
import { adoptLockoutId, clearAndDrain, lockoutWait, recordFailure, type Drained } from '../../db/lockout-file.js';
import type { Ctx, Handler } from '../context.js';
import { describeUser, startSession } from './session-info.js';
import { backfillOutstanding } from '../money/ledger.js';

/** Recovery-key attempts count per host and username: one person's wrong guesses do not hold back everybody's
 *  recovery (the key is 256 random bits: more counters do not make guessing it any less hopeless). */
const recoveryCounter = (ctx: Ctx, username: string) => `#recovery@${ctx.host}:${username}`;

export function refuseIfLockedOut(ctx: Ctx, key: string): void {
  const wait = lockoutWait(ctx.store.files, key, ctx.now().getTime());
  if (wait > 0) {
    throw new ApiFailure('LOCKED_OUT', `Too many failed attempts. Try again in ${wait} s.`, { retryAfterSeconds: wait });
  }
}

export function failed(ctx: Ctx, key: string, message: string): never {
  const rec = recordFailure(ctx.store.files, key, ctx.now().getTime());
  const wait = lockoutDelaySeconds(rec.failures);
  if (ctx.sessions.size === 0) ctx.store.lockStore();
  throw new ApiFailure('WRONG_PASSWORD', wait > 0 ? `${message} Next attempt allowed in ${wait} s.` : message, wait > 0 ? { retryAfterSeconds: wait } : {});
}

/** After a key unwraps: the user must exist and be active; earlier failures go into the audit log. */
function admit(ctx: Ctx, username: string, lockoutKey: string, action: string, detail: Record<string, unknown> = {}): User {
  const r = ctx.store.repos;
  const user = r.users.byUsername(username);
  if (!user || user.status !== 'active') {
    if (ctx.sessions.size === 0) ctx.store.lockStore();
    throw new ApiFailure('FORBIDDEN', 'This account is disabled. Ask an administrator.');
  }
  const drained = clearAndDrain(ctx.store.files, lockoutKey, ctx.now().getTime());
  r.db.transaction(() => {
    auditDrained(ctx, drained);
    checkLockoutMarker(ctx);
    // Times written under a test clock are not real: the login says so, with the real time.
    const clock = ctx.testClock ? { testClock: { ...ctx.testClock, realNow: new Date().toISOString() } } : {};
    ctx.audit(action, 'user', user.id, { ...detail, ...clock }, user);
  })();
  return user;
}

/** Failures (and tampering with lockout.json) noticed while the store was locked, into the audit log. */
export function auditDrained(ctx: Ctx, drained: Drained): void {
  for (const f of drained.failures) ctx.audit('auth.failed', 'user', f.key, { attemptedAt: f.at }, null);
  for (const e of drained.events) ctx.audit('auth.lockoutTampered', 'store', 'lockout.json', { noticedAt: e.at, reason: e.reason }, null);
}

/** keyslots.json names lockout.json's id; the store remembers it, so a stripped or swapped marker is audited. */
function checkLockoutMarker(ctx: Ctx): void {
  const r = ctx.store.repos;
  let slots = ctx.store.slots();
  if (!slots.lockoutId) {
    // An older store (or a slot file restored from before the marker): give lockout.json an id, then name it.
    const id = randomUUID();
    adoptLockoutId(ctx.store.files, id, ctx.now().getTime());
    slots = ctx.store.saveSlots({ ...slots, lockoutId: id });
  }
  const known = r.meta.get('lockout_id');
  if (known !== null && known !== slots.lockoutId) {
    ctx.audit('auth.lockoutTampered', 'store', 'keyslots.json', { reason: 'the lockout marker in keyslots.json changed (removed, or an older slot file put back)' }, null);
  }
  if (known !== slots.lockoutId) r.meta.set('lockout_id', slots.lockoutId!);
}

const login: Handler<'auth.login'> = async ({ username, password }, ctx) => {
  ctx.store.requireInitialized();
  refuseIfLockedOut(ctx, username);
  const slots = ctx.store.slots();
  const slot = findPasswordSlot(slots, username);
  let opened: Opened | null = null;
  if (slot) opened = await unlockPasswordSlot(slots.storeId, slot, password);
  else await dummyPasswordAttempt(password); // same cost: no hint whether the username exists
  if (!opened || !slot) failed(ctx, username, 'Wrong username or password.');
  ctx.store.unlock(opened.masterKey, opened.privileged);
  let user: User;
  try {
    user = admit(ctx, username, username, 'auth.login');
  } catch (e) {
    opened.kek.fill(0);
    throw e;
  }
  // A format-1 slot becomes format 2; the signing lock reaches the slots that should hold it (core/key-slots.ts).
  afterUnlock(ctx, slot, opened, user);
  // A store migrated to 012 with payments in it stores each case's outstanding once, here at the unlock
  // (on a team server: at its start, before the desks connect) rather than inside somebody's case list.
  backfillOutstanding(ctx);
  return startSession(ctx, user);
};

const recover: Handler<'auth.recover'> = async ({ recoveryKey, username, newPassword }, ctx) => {
  ctx.store.requireInitialized();
  refuseIfLockedOut(ctx, recoveryCounter(ctx, username));
  const slots = ctx.store.slots();
  const slot = findRecoverySlot(slots);
  const bytes = parseRecoveryKey(recoveryKey);
  const opened = slot && bytes ? unlockRecoverySlot(slots.storeId, slot, bytes) : null;
  if (!opened || !slot) failed(ctx, recoveryCounter(ctx, username), 'That recovery key does not open this store.');
  ctx.store.unlock(opened.masterKey, opened.privileged);
  const target = ctx.store.repos.users.byUsername(username);
  if (!target) {
    opened.kek.fill(0);
    if (ctx.sessions.size === 0) ctx.store.lockStore();
    throw new ApiFailure('NOT_FOUND', `No user named ${username}.`);
  }
  let user: User;
  try {
    user = admit(ctx, username, recoveryCounter(ctx, username), 'auth.recover', { passwordReset: true });
  } catch (e) {
    opened.kek.fill(0);
    throw e;
  }
  afterUnlock(ctx, slot, opened, null);
  const newSlot = await makePasswordSlot(slots.storeId, ctx.store.masterKey, username, newPassword, privilegedFor(ctx, user.role), heldCheck(ctx));
  ctx.store.saveSlots(withPasswordSlot(ctx.store.slots(), newSlot));
  const drained = clearAndDrain(ctx.store.files, username, ctx.now().getTime());
  ctx.store.repos.db.transaction(() => auditDrained(ctx, drained))();
  return startSession(ctx, user);
};

const logout: Handler<'auth.logout'> = (_input, ctx) => {
  ctx.audit('auth.logout', 'user', ctx.user!.id);
  ctx.sessions.delete(ctx.session!);
  if (ctx.sessions.size === 0) ctx.store.lockStore();
  return {};
};

const me: Handler<'auth.me'> = (_input, ctx) => describeUser(ctx, ctx.user!);

const changePassword: Handler<'auth.changePassword'> = async ({ currentPassword, newPassword }, ctx) => {
  const user = ctx.user!;
  refuseIfLockedOut(ctx, user.username);
  const slots = ctx.store.slots();
  const slot = findPasswordSlot(slots, user.username);
  const opened = slot ? await unlockPasswordSlot(slots.storeId, slot, currentPassword) : null;
  if (!opened || !slot) failed(ctx, user.username, 'Your current password is wrong.');
  // Tagged for the privileged key whatever the role: from the key this backend holds, or carried over from the old
  // slot's tag (core/slot-tag.ts), so a later promotion is checked at this user's login.
  const tagCheck = carriedCheck(ctx, slots.storeId, slot, opened.kek);
  for (const b of [opened.masterKey, opened.kek, opened.privileged]) b?.fill(0);
  const newSlot = await makePasswordSlot(slots.storeId, ctx.store.masterKey, user.username, newPassword, privilegedFor(ctx, user.role), tagCheck);
  ctx.store.saveSlots(withPasswordSlot(ctx.store.slots(), newSlot));
  ctx.store.repos.db.transaction(() => ctx.audit('auth.changePassword', 'user', user.id))();
  // Other sessions of this user (another desk, a stolen cookie) end with the old password; this one goes on.
  ctx.sessions.deleteUser(user.id, ctx.session!);
  return {};
};

export const authHandlers = {
  'auth.login': login,
  'auth.recover': recover,
  'auth.logout': logout,
  'auth.me': me,
  'auth.changePassword': changePassword,
};
