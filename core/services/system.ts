import { randomBytes, randomUUID } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { lockPrivateKey, makeKeyPair } from '../reports/keys.js';
import { PRIVILEGED_CHECK, SLOTS_VERSION, privilegedCheckOf, privilegedSubkey } from '../store-handle.js';
import { signingLockRepo } from '../../db/repos/signing-lock.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import { formatRecoveryKey } from '../../shared/domain/recovery-key.js';
import { APP_VERSION } from '../../shared/version.js';
import { openEncrypted, integrityCheck } from '../../db/open.js';
import { collectorCasesDrift } from '../../db/repos/collector-cases.js';
import { repos } from '../../db/repos/index.js';
import { checkAuditRefs } from '../../db/repos/audit-refs.js';
import { compareAnchor } from '../audit/anchor.js';
import { LATEST_SCHEMA, schemaVersion } from '../../db/migrations/index.js';
import { makePasswordSlot, makeRecoverySlot, newSlotFile, sealSlotFile, writeSlotFile } from '../../db/keyslots.js';
import { fsyncDir } from '../../db/atomic-file.js';
import { adoptLockoutId } from '../../db/lockout-file.js';
import { DEFAULT_IDLE_LOCK_MINUTES, type Handler } from '../context.js';
import { describeUser, startSession } from './session-info.js';
import { DEFAULT_LATE_WINDOW_MINUTES, LATE_WINDOW_SETTING } from '../../shared/domain/casework/call-times.js';
import { answerDaysOf } from './complaints.js';

import { termEndWarnDays } from './home.js';
const status: Handler<'system.status'> = (_input, ctx) => {
  const open = ctx.store.isOpen();
  return {
    initialized: ctx.store.isInitialized(),
    unlocked: open,
    // The agency name lives inside the encrypted store: unknown until someone unlocks it.
    agencyName: open ? ctx.store.repos.meta.get('agency_name') : null,
    appVersion: APP_VERSION,
    schemaVersion: open ? schemaVersion(ctx.store.repos.db) : null,
    testClock: ctx.testClock ? { startedAt: ctx.testClock.startedAt, now: ctx.now().toISOString() } : null,
  };
};

const setup: Handler<'system.setup'> = async (input, ctx) => {
  if (ctx.store.isInitialized()) throw new ApiFailure('ALREADY_INITIALIZED', 'This store is already set up: log in instead.');
  const { files } = ctx.store;
  const masterKey = randomBytes(32);
  const recoveryKey = randomBytes(32);
  // The privileged key: the signing key's lock, sealed only into the admin's and the recovery slot.
  const privileged = randomBytes(32);
  const storeId = randomUUID();
  const now = ctx.now().toISOString();

  // Build the store under a temporary name: a crash mid-setup leaves no half-made store behind.
  for (const suffix of ['', '-wal', '-shm']) rmSync(files.setupDb + suffix, { force: true });
  const db = openEncrypted(files.setupDb, masterKey, { create: true, nativeBinding: ctx.store.nativeBinding });
  try {
    const r = repos(db);
    db.transaction(() => {
      r.meta.set('store_id', storeId);
      r.meta.set('agency_name', input.agencyName);
      r.meta.set('created_at', now);
      r.meta.set('created_by_version', APP_VERSION);
      r.meta.setSetting('idleLockMinutes', DEFAULT_IDLE_LOCK_MINUTES);
      r.meta.set(SLOTS_VERSION, '1');
      r.meta.set(PRIVILEGED_CHECK, privilegedCheckOf(privileged));
      const adminId = r.users.create({ username: input.admin.username, displayName: input.admin.displayName, role: 'admin', teamId: null }, now);
      // The agency's report signing key, made with the store; its private half never leaves it and is kept
      // encrypted under the privileged key's signing subkey (a collector's password does not reach it).
      const key = makeKeyPair();
      r.reports.addKey(key.publicPem, Buffer.alloc(0), key.fingerprint, now, adminId);
      const sub = privilegedSubkey(privileged, storeId, 'signing');
      const lock = signingLockRepo(db);
      lock.lock(lock.byFingerprint(key.fingerprint)!.id, lockPrivateKey(key.privateDer, key.fingerprint, sub));
      sub.fill(0);
      key.privateDer.fill(0);
      r.audit.append({
        at: now,
        actorId: adminId,
        actor: input.admin.username,
        host: ctx.hostLabel,
        action: 'system.setup',
        entity: 'store',
        entityId: storeId,
        detail: { agencyName: input.agencyName, appVersion: APP_VERSION, signingKey: key.fingerprint, ...(ctx.testClock ? { testClock: ctx.testClock } : {}) },
      });
    })();
  } finally {
    db.close();
  }
  // keyslots.json names lockout.json's id from the start: a deleted lockout file then counts as tampering.
  const lockoutId = randomUUID();
  adoptLockoutId(files, lockoutId, ctx.now().getTime());
  const slots = newSlotFile(
    storeId,
    [await makePasswordSlot(storeId, masterKey, input.admin.username, input.admin.password, privileged), makeRecoverySlot(storeId, masterKey, recoveryKey, privileged)],
    lockoutId,
  );
  writeSlotFile(files.slots, sealSlotFile(slots, 1, masterKey));
  renameSync(files.setupDb, files.db);
  fsyncDir(path.dirname(files.db));

  const r = ctx.store.unlock(masterKey, privileged);
  const admin = r.users.byUsername(input.admin.username)!;
  const formatted = formatRecoveryKey(recoveryKey);
  recoveryKey.fill(0);
  return { recoveryKey: formatted, session: startSession(ctx, admin) };
};

const check: Handler<'system.check'> = (_input, ctx) => {
  const r = ctx.store.repos;
  const integrity = integrityCheck(r.db);
  // Each collector's cases (migration 025) must be the copy of who holds what: Today and the lists read it.
  const drift = collectorCasesDrift(r.db);
  if (drift > 0) integrity.push(`collector_cases: ${drift} rows differ from case_assignments and cases`);
  const audit = r.audit.verify();
  const anchor = compareAnchor(ctx.store);
  const refs = checkAuditRefs(r.db);
  r.db.transaction(() =>
    ctx.audit('system.check', 'store', null, { integrityOk: integrity.length === 1 && integrity[0] === 'ok', auditOk: audit.ok, anchor: anchor.status, refsOk: refs.ok }),
  )();
  return {
    integrity,
    integrityOk: integrity.length === 1 && integrity[0] === 'ok',
    schemaVersion: schemaVersion(r.db),
    latestSchemaVersion: LATEST_SCHEMA,
    audit,
    anchor,
    refs,
  };
};

const settingsGet: Handler<'settings.get'> = (_input, ctx) => ({
  idleLockMinutes: describeUser(ctx, ctx.user!).idleLockMinutes,
  agencyHotline: ctx.store.repos.meta.getSetting<string>('agencyHotline') ?? '',
  paymentAccount: ctx.store.repos.meta.getSetting<string>('paymentAccount') ?? '',
  attemptLateWindowMinutes: ctx.store.repos.meta.getSetting<number>(LATE_WINDOW_SETTING) ?? DEFAULT_LATE_WINDOW_MINUTES,
  termEndWarnDays: termEndWarnDays(ctx),
  complaintAnswerDays: answerDaysOf(ctx),
});

const settingsUpdate: Handler<'settings.update'> = (input, ctx) => {
  const r = ctx.store.repos;
  r.db.transaction(() => {
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      const before = r.meta.getSetting(key);
      r.meta.setSetting(key, value);
      ctx.audit('settings.update', 'setting', key, { before, after: value });
    }
  })();
  ctx.onSettingsChanged();
  return settingsGet({}, ctx);
};

export const systemHandlers = {
  'system.status': status,
  'system.setup': setup,
  'system.check': check,
  'settings.get': settingsGet,
  'settings.update': settingsUpdate,
};
