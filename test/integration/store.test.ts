// The encrypted store: no plaintext on disk, wrong passwords, recovery, schema guard, one opener at a time.
import { describe, it, expect, afterEach } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { createBackend } from '../../core/backend.js';
import { storeFiles } from '../../db/paths.js';
import { LATEST_SCHEMA } from '../../db/migrations/index.js';
import { ADMIN_PASSWORD, Client, login, makeStore, masterKeyOf, rawOpen, removeDir, tempDir, type TestStore } from '../helpers/store.js';

const open: TestStore[] = [];
async function store(opts = {}) {
  const s = await makeStore(opts);
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) {
    try {
      s.close();
    } catch {
      /* closed by the test */
    }
    removeDir(s.dir);
  }
});

const SECRET_NAME = '欧阳明月';
const SECRET_ID = '11010519900307123X';

describe('encryption at rest', () => {
  it('writes no plaintext: a known name and ID number are nowhere in the store files', async () => {
    const s = await store();
    await s.admin.call('teams.create', { name: `team ${SECRET_ID}` });
    await s.admin.call('users.create', { username: 'oyang', displayName: SECRET_NAME, role: 'collector', teamId: null, password: 'collector pw 1' });
    // The data is really there when read through the API…
    const { users } = await s.admin.call('users.list', {});
    expect(users.map((u) => u.displayName)).toContain(SECRET_NAME);
    // …and in no file of the store folder, WAL included, in UTF-8 or UTF-16.
    const needles = [SECRET_NAME, SECRET_ID, '华信催收'].flatMap((t) => [Buffer.from(t, 'utf8'), Buffer.from(t, 'utf16le')]);
    const files = readdirSync(s.dir).map((f) => path.join(s.dir, f));
    expect(files.some((f) => f.endsWith('agency.db'))).toBe(true);
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const n of needles) expect(bytes.includes(n), `${path.basename(f)} contains ${n.toString()}`).toBe(false);
    }
    expect(readFileSync(storeFiles(s.dir).db).subarray(0, 16).toString('latin1')).not.toContain('SQLite format 3');
  });

  it('cannot be read by the plain sqlite3 shell or without the key', async () => {
    const s = await store();
    s.close();
    const db = storeFiles(s.dir).db;
    let shellError = '';
    try {
      execFileSync('sqlite3', [db, 'SELECT count(*) FROM users;'], { stdio: 'pipe' });
    } catch (e) {
      shellError = String((e as { stderr: Buffer }).stderr);
    }
    expect(shellError).toMatch(/not a database|encrypted/i);
    const noKey = new Database(db);
    expect(() => noKey.prepare('SELECT count(*) FROM users').get()).toThrow(/not a database/i);
    noKey.close();
  });

  it('opens with SQLCipher 4 settings and the raw key given as a PRAGMA, as SQLCipher tools do', async () => {
    const s = await store();
    const hex = masterKeyOf(s.dir, s.recoveryKey).toString('hex');
    s.close();
    const db = new Database(storeFiles(s.dir).db);
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
    db.pragma(`key = "x'${hex}'"`);
    expect(db.prepare('SELECT username FROM users').pluck().all()).toEqual(['admin']);
    db.close();
  });
});

describe('passwords, lockouts and recovery', () => {
  it('refuses a wrong password, then delays further attempts, and the delay survives a restart', async () => {
    let nowMs = Date.parse('2026-03-01T10:00:00Z');
    const now = () => new Date(nowMs);
    const s = await store({ now });
    await s.admin.call('auth.logout', {});
    const anon = new Client(s.backend);
    for (let i = 1; i <= 3; i++) {
      const err = await anon.error('auth.login', { username: 'admin', password: `wrong ${i}` });
      expect(err.code).toBe('WRONG_PASSWORD');
    }
    // The third failure set a 5 s delay: the right password is refused until it passes.
    const locked = await anon.error('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(locked.code).toBe('LOCKED_OUT');
    expect(locked.retryAfterSeconds).toBe(5);

    s.close();
    const again = createBackend({ storeDir: s.dir, host: 'test', now, sweepEveryMs: 0 });
    try {
      const c = new Client(again);
      expect((await c.error('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).code).toBe('LOCKED_OUT');
      nowMs += 6_000;
      // A fourth failure doubles the wait.
      expect((await c.error('auth.login', { username: 'admin', password: 'still wrong' })).retryAfterSeconds).toBe(10);
      nowMs += 11_000;
      const ok = await c.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
      // The failures are now in the audit log, with the time each happened.
      const admin = c.as(ok.token);
      const { entries } = await admin.call('audit.list', { action: 'auth.failed' });
      expect(entries).toHaveLength(4);
      // Nobody was logged in: the entries name no one as actor, the username tried as what they are about.
      expect(entries.map((e) => [e.actorId, e.actor, e.entityId])).toEqual(Array(4).fill([null, 'anonymous', 'admin']));
      // Success resets the counter.
      await admin.call('auth.logout', {});
      expect((await c.error('auth.login', { username: 'admin', password: 'wrong again' })).code).toBe('WRONG_PASSWORD');
    } finally {
      again.close();
    }
  });

  it('answers an unknown username exactly like a wrong password', async () => {
    const s = await store();
    const err = await new Client(s.backend).error('auth.login', { username: 'nobody', password: 'whatever pw' });
    expect(err).toEqual({ code: 'WRONG_PASSWORD', message: 'Wrong username or password.' });
  });

  it('opens with the recovery key and sets a new password; a wrong recovery key is refused', async () => {
    const s = await store();
    await s.admin.call('teams.create', { name: 'kept' });
    await s.admin.call('auth.logout', {});
    const anon = new Client(s.backend);
    const bad = await anon.error('auth.recover', { recoveryKey: 'AAAA-'.repeat(12) + 'AAAA', username: 'admin', newPassword: 'brand new pass' });
    expect(bad.code).toBe('WRONG_PASSWORD');
    const typed = s.recoveryKey.toLowerCase().replace(/-/g, ' ');
    const r = await anon.call('auth.recover', { recoveryKey: typed, username: 'admin', newPassword: 'brand new pass' });
    expect((await anon.as(r.token).call('teams.list', {})).teams.map((t) => t.name)).toEqual(['kept']);
    await anon.as(r.token).call('auth.logout', {});
    expect((await anon.error('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).code).toBe('WRONG_PASSWORD');
    await login(s.backend, 'admin', 'brand new pass');
  });

  it('changing a password rewrites only that slot and keeps the data', async () => {
    const s = await store();
    await s.admin.call('users.create', { username: 'li', displayName: '李四', role: 'manager', teamId: null, password: 'manager pw 12' });
    const before = JSON.parse(readFileSync(storeFiles(s.dir).slots, 'utf8'));
    const err = await s.admin.error('auth.changePassword', { currentPassword: 'not it at all', newPassword: 'new admin pw 1' });
    expect(err.code).toBe('WRONG_PASSWORD');
    await s.admin.call('auth.changePassword', { currentPassword: ADMIN_PASSWORD, newPassword: 'new admin pw 1' });
    const after = JSON.parse(readFileSync(storeFiles(s.dir).slots, 'utf8'));
    const byName = (f: { slots: { username?: string; kind: string; id: string }[] }, n: string) => f.slots.find((x) => (x.username ?? x.kind) === n);
    expect(byName(after, 'li')).toEqual(byName(before, 'li'));
    expect(byName(after, 'recovery')).toEqual(byName(before, 'recovery'));
    expect(byName(after, 'admin')!.id).not.toBe(byName(before, 'admin')!.id);
    await s.admin.call('auth.logout', {});
    const again = await login(s.backend, 'admin', 'new admin pw 1');
    expect((await again.call('users.list', {})).users.map((u) => u.username)).toEqual(['admin', 'li']);
  });

  it('disabling a user removes their slot and ends their sessions', async () => {
    const s = await store();
    const u = await s.admin.call('users.create', { username: 'wang', displayName: '王五', role: 'collector', teamId: null, password: 'collector pw 1' });
    const wang = await login(s.backend, 'wang', 'collector pw 1');
    await s.admin.call('users.disable', { id: u.id });
    expect((await wang.error('auth.me', {})).code).toBe('UNAUTHENTICATED');
    const slots = JSON.parse(readFileSync(storeFiles(s.dir).slots, 'utf8')) as { slots: { username?: string }[] };
    expect(slots.slots.some((x) => x.username === 'wang')).toBe(false);
    expect((await new Client(s.backend).error('auth.login', { username: 'wang', password: 'collector pw 1' })).code).toBe('WRONG_PASSWORD');
    // Re-enabled with a new password, they get a new slot.
    await s.admin.call('users.enable', { id: u.id, password: 'another pw 12' });
    await login(s.backend, 'wang', 'another pw 12');
  });

  it('keeps at least one active administrator', async () => {
    const s = await store();
    const me = await s.admin.call('auth.me', {});
    expect((await s.admin.error('users.update', { id: me.user.id, role: 'manager' })).code).toBe('CONFLICT');
    expect((await s.admin.error('users.disable', { id: me.user.id })).code).toBe('CONFLICT');
  });
});

describe('schema and openers', () => {
  it('refuses a store written by a newer version, with a clear message', async () => {
    const s = await store();
    const key = masterKeyOf(s.dir, s.recoveryKey);
    s.close();
    const db = rawOpen(s.dir, s.recoveryKey);
    db.pragma('user_version = 99');
    db.close();
    key.fill(0);
    const b = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0 });
    try {
      const err = await new Client(b).error('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
      expect(err.code).toBe('STORE_TOO_NEW');
      expect(err.message).toContain(`newer AgencyDesk (schema 99; this version knows up to ${LATEST_SCHEMA})`);
    } finally {
      b.close();
    }
  });

  it('refuses a second opener of the same store, in this process and in another', async () => {
    const s = await store();
    expect(() => createBackend({ storeDir: s.dir, host: 'test' })).toThrow(/in use by another AgencyDesk/);
    const cli = path.resolve('dist/cli/main.mjs');
    expect(existsSync(cli), 'run `npm run build` first').toBe(true);
    const r = await run(process.execPath, [cli, 'check', '--store', s.dir], { AGENCYDESK_PASSWORD: ADMIN_PASSWORD });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/STORE_BUSY: The store is in use by another AgencyDesk \(test@[^,]+, pid \d+/);
  });

  it('takes over the lock left by a killed process', async () => {
    const dir = tempDir();
    try {
      // A process that takes the lock and is then killed with SIGKILL, leaving the lock file behind.
      const child = spawn(process.execPath, ['--import', 'tsx', '-e', `
        const { acquireStoreLock } = await import('./db/store-lock.ts');
        acquireStoreLock(${JSON.stringify(storeFiles(dir).lock)}, 'victim');
        console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve()));
      expect(() => createBackend({ storeDir: dir, host: 'test' })).toThrow(/victim/);
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      expect(existsSync(storeFiles(dir).lock)).toBe(true);
      const b = createBackend({ storeDir: dir, host: 'test', sweepEveryMs: 0 });
      b.close();
      expect(existsSync(storeFiles(dir).lock)).toBe(false);
    } finally {
      removeDir(dir);
    }
  });

  it('reports a missing key slot file instead of starting over', async () => {
    const s = await store();
    s.close();
    writeFileSync(storeFiles(s.dir).slots + '.moved', readFileSync(storeFiles(s.dir).slots));
    execFileSync('rm', [storeFiles(s.dir).slots]);
    const b = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0 });
    try {
      const c = new Client(b);
      expect((await c.error('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).code).toBe('STORE_CORRUPT');
      expect((await c.error('system.setup', { agencyName: 'x', admin: { username: 'admin', displayName: 'a', password: 'long enough pw' } })).code).toBe('ALREADY_INITIALIZED');
    } finally {
      b.close();
    }
  });
});

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
