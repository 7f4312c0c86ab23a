import { ApiFailure } from '../../shared/contract/failure.js';
import { lockoutDelaySeconds, retryAfterSeconds } from '../../shared/domain/lockout.js';
import { parseRecoveryKey } from '../../shared/domain/recovery-key.js';
import type { User } from '../../shared/contract/models.js';
import {
  dummyPasswordAttempt,
  findPasswordSlot,
  findRecoverySlot,
  makePasswordSlot,
  openPasswordSlot,
  openRecoverySlot,
  withPasswordSlot,
  writeSlotFile,
} from '../../db/keyslots.js';
import { clearAndDrain, readLockouts, recordFailure } from '../../db/lockout-file.js';
import type { Ctx, Handler } from '../context.js';
import { describeUser, startSession } from './session-info.js';

const RECOVERY_KEY = '#recovery';

function refuseIfLockedOut(ctx: Ctx, key: string): void {
  const rec = readLockouts(ctx.store.files.lockout)[key];
  if (!rec) return;
  const wait = retryAfterSeconds(rec.failures, rec.lastFailureAt, ctx.now().getTime());
  if (wait > 0) {
    throw new ApiFailure('LOCKED_OUT', `Too many failed attempts. Try again in ${wait} s.`, { retryAfterSeconds: wait });
  }
}

function failed(ctx: Ctx, key: string, message: string): never {
  const rec = recordFailure(ctx.store.files.lockout, key, ctx.now().getTime());
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
  const drained = clearAndDrain(ctx.store.files.lockout, lockoutKey);
  r.db.transaction(() => {
    for (const f of drained) ctx.audit('auth.failed', 'user', f.key, { attemptedAt: f.at }, null);
    // Times written under a test clock are not real: the login says so, with the real time.
    const clock = ctx.testClock ? { testClock: { ...ctx.testClock, realNow: new Date().toISOString() } } : {};
    ctx.audit(action, 'user', user.id, { ...detail, ...clock }, user);
  })();
  return user;
}

const login: Handler<'auth.login'> = async ({ username, password }, ctx) => {
  ctx.store.requireInitialized();
  refuseIfLockedOut(ctx, username);
  const slots = ctx.store.slots();
  const slot = findPasswordSlot(slots, username);
  let key: Buffer | null = null;
  if (slot) key = await openPasswordSlot(slots.storeId, slot, password);
  else await dummyPasswordAttempt(password); // same cost: no hint whether the username exists
  if (!key) failed(ctx, username, 'Wrong username or password.');
  ctx.store.unlock(key);
  return startSession(ctx, admit(ctx, username, username, 'auth.login'));
};

const recover: Handler<'auth.recover'> = async ({ recoveryKey, username, newPassword }, ctx) => {
  ctx.store.requireInitialized();
  refuseIfLockedOut(ctx, RECOVERY_KEY);
  const slots = ctx.store.slots();
  const slot = findRecoverySlot(slots);
  const bytes = parseRecoveryKey(recoveryKey);
  const key = slot && bytes ? openRecoverySlot(slots.storeId, slot, bytes) : null;
  if (!key) failed(ctx, RECOVERY_KEY, 'That recovery key does not open this store.');
  ctx.store.unlock(key);
  if (!ctx.store.repos.users.byUsername(username)) {
    if (ctx.sessions.size === 0) ctx.store.lockStore();
    throw new ApiFailure('NOT_FOUND', `No user named ${username}.`);
  }
  const newSlot = await makePasswordSlot(slots.storeId, ctx.store.masterKey, username, newPassword);
  const user = admit(ctx, username, RECOVERY_KEY, 'auth.recover', { passwordReset: true });
  writeSlotFile(ctx.store.files.slots, withPasswordSlot(ctx.store.slots(), newSlot));
  clearAndDrain(ctx.store.files.lockout, username);
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
  const key = slot ? await openPasswordSlot(slots.storeId, slot, currentPassword) : null;
  if (!key) failed(ctx, user.username, 'Your current password is wrong.');
  key.fill(0);
  const newSlot = await makePasswordSlot(slots.storeId, ctx.store.masterKey, user.username, newPassword);
  writeSlotFile(ctx.store.files.slots, withPasswordSlot(ctx.store.slots(), newSlot));
  ctx.store.repos.db.transaction(() => ctx.audit('auth.changePassword', 'user', user.id))();
  return {};
};

export const authHandlers = {
  'auth.login': login,
  'auth.recover': recover,
  'auth.logout': logout,
  'auth.me': me,
  'auth.changePassword': changePassword,
};
