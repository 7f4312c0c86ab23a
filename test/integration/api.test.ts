// The one API: validation on every method, permissions per role, and no drift between registry and core.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { contract, METHOD_NAMES, type MethodName } from '../../shared/contract/registry.js';
import { ROLES, can, type Role } from '../../shared/domain/roles.js';
import { handlers } from '../../core/handlers.js';
import { Client, login, makeStore, removeDir, type TestStore } from '../helpers/store.js';

let s: TestStore;
const as: Partial<Record<Role, Client>> = {};

beforeAll(async () => {
  s = await makeStore();
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    await s.admin.call('users.create', { username: `u-${role}`, displayName: role, role, teamId: null, password: `password of ${role}` });
    as[role] = await login(s.backend, `u-${role}`, `password of ${role}`);
  }
  as.admin = s.admin;
});
afterAll(() => {
  s.close();
  removeDir(s.dir);
});

describe('the registry', () => {
  it('core implements exactly the registered methods', () => {
    expect(Object.keys(handlers).sort()).toEqual([...METHOD_NAMES]);
  });

  it('every input schema is a strict object (unknown fields are refused, not ignored)', () => {
    for (const m of METHOD_NAMES) {
      expect(contract[m].input.safeParse({ unexpectedField: 1 }).success, m).toBe(false);
    }
  });
});

describe('validation', () => {
  it.each(METHOD_NAMES)('%s rejects malformed input with BAD_INPUT', async (m) => {
    for (const bad of [42, 'text', [], { unexpectedField: true }]) {
      const err = await s.admin.error(m, bad);
      expect(err.code, `${m} given ${JSON.stringify(bad)}`).toBe('BAD_INPUT');
      expect(err.message).toMatch(/^Invalid input/);
    }
  });

  it('names the field that is wrong', async () => {
    const err = await s.admin.error('users.create', { username: 'ok-name', displayName: 'x', role: 'boss', teamId: null, password: 'long enough pw' });
    expect(err.issues?.[0]?.path).toBe('role');
  });

  it('refuses unknown methods', async () => {
    expect((await s.admin.error('cases.deleteEverything', {})).code).toBe('UNKNOWN_METHOD');
  });
});

describe('permissions', () => {
  const guarded = METHOD_NAMES.filter((m) => contract[m].access !== 'public');

  it.each(guarded)('%s needs a session', async (m) => {
    const err = await new Client(s.backend).error(m, sampleInput(m));
    expect(err.code).toBe('UNAUTHENTICATED');
  });

  it('each role is refused every method its permissions do not cover', async () => {
    let refusals = 0;
    for (const role of ROLES) {
      for (const m of guarded) {
        const access = contract[m].access;
        if (access === 'session' || access === 'public' || can(role, access)) continue;
        const err = await as[role]!.error(m, sampleInput(m));
        expect(err.code, `${role} calling ${m}`).toBe('FORBIDDEN');
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThan(20);
  });

  it('a collector cannot create users, read the audit log or change settings', async () => {
    const c = as.collector!;
    expect((await c.error('users.create', { username: 'evil', displayName: 'e', role: 'admin', teamId: null, password: 'long enough pw' })).code).toBe('FORBIDDEN');
    expect((await c.error('audit.list', {})).code).toBe('FORBIDDEN');
    expect((await c.error('settings.update', { idleLockMinutes: 999 })).code).toBe('FORBIDDEN');
    expect((await s.admin.call('users.list', {})).users.some((u) => u.username === 'evil')).toBe(false);
  });

  it('a manager reads users but cannot change them; an auditor reads the audit log', async () => {
    expect((await as.manager!.call('users.list', {})).users.length).toBe(4);
    expect((await as.manager!.error('teams.create', { name: 'x' })).code).toBe('FORBIDDEN');
    expect((await as.auditor!.call('audit.verify', {})).ok).toBe(true);
  });

  it('never returns secrets: no hashes, keys or passwords in user records', async () => {
    const { users } = await s.admin.call('users.list', {});
    for (const u of users) expect(Object.keys(u).sort()).toEqual(['createdAt', 'displayName', 'id', 'role', 'status', 'teamId', 'teamName', 'username']);
  });
});

describe('sessions', () => {
  it('expire after the idle lock time and lock the store when none is left', async () => {
    let nowMs = Date.now();
    const t = await makeStore({ now: () => new Date(nowMs) });
    try {
      await t.admin.call('settings.update', { idleLockMinutes: 5 });
      nowMs += 4 * 60_000;
      await t.admin.call('auth.me', {}); // activity keeps it alive
      nowMs += 5 * 60_000 + 1000;
      expect((await t.admin.error('auth.me', {})).code).toBe('SESSION_EXPIRED');
      const status = await new Client(t.backend).call('system.status', {});
      expect(status).toMatchObject({ initialized: true, unlocked: false, agencyName: null });
    } finally {
      t.close();
      removeDir(t.dir);
    }
  });
});

/** A valid input for each method, so that only the permission can refuse it. */
function sampleInput(m: MethodName): unknown {
  const samples: Partial<Record<MethodName, unknown>> = {
    'users.create': { username: 'sample', displayName: 'S', role: 'collector', teamId: null, password: 'long enough pw' },
    'users.update': { id: 1, displayName: 'x' },
    'users.disable': { id: 1 },
    'users.enable': { id: 1, password: 'long enough pw' },
    'users.resetPassword': { id: 1, password: 'long enough pw' },
    'teams.create': { name: 'sample' },
    'teams.rename': { id: 1, name: 'sample' },
    'settings.update': { idleLockMinutes: 10 },
    'auth.changePassword': { currentPassword: 'x', newPassword: 'long enough pw' },
    'lenders.create': { code: 'L1', name: 'Lender' },
    'lenders.update': { id: 1, name: 'Lender' },
    'templates.list': { lenderId: 1 },
    'import.preview': { lenderId: 1, file: { path: '/nonexistent.csv' } },
    'import.start': { lenderId: 1, file: { path: '/nonexistent.csv' } },
    'import.status': { jobId: 'x' },
    'import.cancel': { jobId: 'x' },
    'batches.rejections': { batchId: 1 },
  };
  return samples[m] ?? {};
}
