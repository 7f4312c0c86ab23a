// Key slot file and lockout counters under attack (issue 17, finding 6): KDF parameters from the file are not
// trusted, a damaged slot file answers STORE_CORRUPT pointing at keyslots.json.bak, deleting or replacing
// lockout.json does not reset the delays or lose the failures silently, and recovery-key attempts have their
// own counter per host and user.
import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { makeStore, removeDir, Client, ADMIN_PASSWORD, type TestStore } from '../helpers/store.js';
import { storeFiles } from '../../db/paths.js';
import { forgetLockoutMemory } from '../../db/lockout-file.js';
import { MAX_DELAY_SECONDS } from '../../shared/domain/lockout.js';

let opened: TestStore[] = [];
afterEach(() => {
  for (const s of opened) {
    s.close();
    removeDir(s.dir);
  }
  opened = [];
});

let nowMs = Date.parse('2026-03-01T10:00:00Z');
const now = () => new Date(nowMs);

async function store(): Promise<TestStore & { files: ReturnType<typeof storeFiles>; anon: Client }> {
  const s = await makeStore({ now });
  opened.push(s);
  // A second user makes the app rewrite keyslots.json, so keyslots.json.bak exists as in any store in use.
  await s.admin.call('users.create', { username: 'zhang', displayName: '张', role: 'collector', password: 'zhang password 1' });
  await s.admin.call('auth.logout', {});
  return { ...s, files: storeFiles(s.dir), anon: new Client(s.backend) };
}

const slotJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { slots: { kind: string; username?: string; kdf: Record<string, unknown> }[]; lockoutId?: string };

describe('keyslots.json is validated, not trusted', () => {
  it('refuses KDF parameters it does not write (N = 2^26) with STORE_CORRUPT naming the .bak, before any scrypt', async () => {
    const s = await store();
    expect(existsSync(s.files.slots + '.bak')).toBe(true);
    const data = slotJson(s.files.slots);
    data.slots.find((x) => x.username === 'admin')!.kdf.N = 2 ** 26;
    writeFileSync(s.files.slots, JSON.stringify(data));
    const started = Date.now();
    const err = await s.anon.error('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(err.code).toBe('STORE_CORRUPT');
    expect(err.message).toMatch(/keyslots\.json\.bak/);
    expect(err.message).toMatch(/key derivation parameters/);
    expect(Date.now() - started).toBeLessThan(2000); // no 8 GB scrypt attempted
    // A weaker N is refused as well: a copied slot must not get cheaper to attack.
    data.slots.find((x) => x.username === 'admin')!.kdf.N = 2 ** 10;
    writeFileSync(s.files.slots, JSON.stringify(data));
    expect((await s.anon.error('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).code).toBe('STORE_CORRUPT');
    // Putting the .bak back, as the message says, opens the store again.
    writeFileSync(s.files.slots, readFileSync(s.files.slots + '.bak'));
    expect(await s.anon.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ token: expect.any(String) });
  });

  it.each([
    ['a truncated', (t: string) => t.slice(0, Math.floor(t.length / 2))],
    ['a tagless', (t: string) => t.replace(/"tag": "[^"]*",?/, '')],
    ['a non-JSON', () => '\u0000\u0001garbage'],
  ])('answers %s slot file with STORE_CORRUPT and the way back, never INTERNAL', async (_name, damage) => {
    const s = await store();
    writeFileSync(s.files.slots, damage(readFileSync(s.files.slots, 'utf8')));
    for (const [method, input] of [
      ['auth.login', { username: 'admin', password: ADMIN_PASSWORD }],
      ['auth.recover', { recoveryKey: s.recoveryKey, username: 'admin', newPassword: 'a new password 1' }],
    ] as const) {
      const err = await s.anon.error(method, input);
      expect(err.code).toBe('STORE_CORRUPT');
      expect(err.message).toContain(`${s.files.slots}.bak`);
      expect(err.message).not.toMatch(/\n\s+at /); // no stack trace
    }
  });
});

describe('lockout.json cannot be deleted away', () => {
  const failThrice = async (c: Client, username = 'admin') => {
    for (let i = 0; i < 3; i++) expect((await c.error('auth.login', { username, password: `wrong ${i}` })).code).toBe('WRONG_PASSWORD');
  };
  const auditActions = async (c: Client) => {
    const ok = await c.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    const { entries } = await c.as(ok.token).call('audit.list', { limit: 200 });
    return entries.map((e) => e.action);
  };
  const tamperActors = async (c: Client) => {
    const ok = await c.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    const { entries } = await c.as(ok.token).call('audit.list', { action: 'auth.lockoutTampered' });
    return entries.map((e) => [e.actorId, e.actor]);
  };

  it('deleted while the app runs: the delay holds (maximal), the failures still reach the audit log', async () => {
    const s = await store();
    await failThrice(s.anon);
    rmSync(s.files.lockout);
    const err = await s.anon.error('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(err).toMatchObject({ code: 'LOCKED_OUT', retryAfterSeconds: MAX_DELAY_SECONDS });
    // Other users wait too: a deleted counter file is tampering, not one user's bad luck.
    expect((await s.anon.error('auth.login', { username: 'zhang', password: 'zhang password 1' })).code).toBe('LOCKED_OUT');
    nowMs += MAX_DELAY_SECONDS * 1000 + 1000;
    const actions = await auditActions(s.anon);
    expect(actions.filter((a) => a === 'auth.failed')).toHaveLength(3);
    expect(actions).toContain('auth.lockoutTampered');
    // The store noticed it by itself: the entry names the system, not the file, as actor.
    expect(await tamperActors(s.anon)).toEqual([[null, 'system']]);
  });

  it('deleted, then the app restarted: still the maximal delay, and the tampering is audited', async () => {
    const s = await store();
    await failThrice(s.anon);
    s.close();
    rmSync(s.files.lockout);
    forgetLockoutMemory(s.files.lockout); // a new process knows only the files
    const again = await import('../../core/backend.js').then((m) => m.createBackend({ storeDir: s.dir, host: 'test', now, sweepEveryMs: 0 }));
    opened = opened.filter((x) => x !== s);
    opened.push({ ...s, backend: again, close: () => again.close() });
    const c = new Client(again);
    expect(await c.error('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ code: 'LOCKED_OUT', retryAfterSeconds: MAX_DELAY_SECONDS });
    nowMs += 60_000;
    // The file the app wrote when it noticed keeps the delay across another restart.
    forgetLockoutMemory(s.files.lockout);
    expect(await c.error('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ code: 'LOCKED_OUT', retryAfterSeconds: MAX_DELAY_SECONDS - 60 });
    nowMs += MAX_DELAY_SECONDS * 1000;
    expect(await auditActions(c)).toContain('auth.lockoutTampered');
  });

  it('replaced by an empty or foreign counter file: the same', async () => {
    const s = await store();
    await failThrice(s.anon);
    for (const fake of ['{}', JSON.stringify({ format: 'agencydesk-lockout/2', id: 'not-ours', records: {}, reset: null, events: [] })]) {
      writeFileSync(s.files.lockout, fake);
      forgetLockoutMemory(s.files.lockout);
      expect((await s.anon.error('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).code).toBe('LOCKED_OUT');
    }
  });

  it('an older store gets the marker at its next unlock; a stripped marker is audited', async () => {
    const s = await store();
    await auditActions(s.anon); // first login: the store records the marker
    await s.anon.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD }).then((r) => s.anon.as(r.token).call('auth.logout', {}));
    const data = slotJson(s.files.slots);
    const oldId = data.lockoutId;
    expect(oldId).toEqual(expect.any(String));
    delete data.lockoutId;
    writeFileSync(s.files.slots, JSON.stringify(data));
    rmSync(s.files.lockout);
    forgetLockoutMemory(s.files.lockout);
    // Without the marker the app cannot tell (see README): the login goes through, and is audited.
    const actions = await auditActions(s.anon);
    expect(actions).toContain('auth.lockoutTampered');
    expect(slotJson(s.files.slots).lockoutId).toEqual(expect.any(String));
    expect(slotJson(s.files.slots).lockoutId).not.toBe(oldId);
  });
});

describe('recovery-key attempts', () => {
  it('count per user (and host), not one counter for everybody', async () => {
    const s = await store();
    const wrong = 'AAAA-'.repeat(12) + 'AAAA';
    for (let i = 0; i < 3; i++) expect((await s.anon.error('auth.recover', { recoveryKey: wrong, username: 'zhang', newPassword: 'whatever pw 1' })).code).toBe('WRONG_PASSWORD');
    expect((await s.anon.error('auth.recover', { recoveryKey: s.recoveryKey, username: 'zhang', newPassword: 'whatever pw 1' })).code).toBe('LOCKED_OUT');
    // Someone guessing for zhang does not hold back the admin's recovery, nor anyone's login.
    const ok = await s.anon.call('auth.recover', { recoveryKey: s.recoveryKey, username: 'admin', newPassword: 'recovered pw 1' });
    expect(ok.token).toEqual(expect.any(String));
    const { entries } = await s.anon.as(ok.token).call('audit.list', { action: 'auth.failed' });
    expect(entries.map((e) => e.entityId)).toEqual(['#recovery@test:zhang', '#recovery@test:zhang', '#recovery@test:zhang']);
  });
});
