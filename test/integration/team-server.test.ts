// The team server over real TLS on 127.0.0.1, its certificate pinned by fingerprint: sessions in cookies or
// bearer tokens, Origin and CSRF checks, plain HTTP refused, wrong pins refused, collector isolation over
// the network, sessions ending on reset/disable/lifetime, and logins under attack.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend, type Backend } from '../../core/backend.js';
import { createTeamServer, SESSION_COOKIE, type TeamServer } from '../../server/app.js';
import { loadTlsIdentity } from '../../server/tls.js';
import { LoginGuard } from '../../server/login-guard.js';
import { pinnedAgent, pinnedRequest, PinError } from '../../remote/pinned-https.js';
import { createOfficeForwarder, probeFingerprint } from '../../electron/office-server.js';
import { ADMIN_PASSWORD, makeStore, removeDir, tempDir } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { importFile } from '../helpers/import.js';

let dir: string;
let backend: Backend;
let server: TeamServer;
let origin: string;
let fingerprint: string;
let agent: https.Agent;

const COLLECTOR_PW = 'collector password 1';

beforeAll(async () => {
  dir = tempDir();
  // A store with an admin, two collectors and a few cases, made as a desktop would, then served.
  const s = await makeStore({ storeDir: dir });
  const team = await s.admin.call('teams.create', { name: 'A组' });
  for (const u of ['li', 'wang']) await s.admin.call('users.create', { username: u, displayName: u, role: 'collector', teamId: team.id, password: COLLECTOR_PW });
  await s.admin.call('users.create', { username: 'mgr', displayName: 'mgr', role: 'manager', teamId: null, password: COLLECTOR_PW });
  const lender = await s.admin.call('lenders.create', { code: 'PAYD', name: '平安i贷' });
  const file = path.join(dir, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(6)]));
  const job = await importFile(s.admin, lender.id, file);
  expect(job.state).toBe('done');
  const cases = (await s.admin.call('cases.list', { limit: 10 })).rows;
  const users = (await s.admin.call('users.list', {})).users;
  const li = users.find((u) => u.username === 'li')!;
  const wang = users.find((u) => u.username === 'wang')!;
  await s.admin.call('assign.manual', { caseIds: cases.slice(0, 3).map((c) => c.id), collectorId: li.id });
  await s.admin.call('assign.manual', { caseIds: cases.slice(3).map((c) => c.id), collectorId: wang.id });
  s.close();

  backend = createBackend({ storeDir: dir, host: 'server', sweepEveryMs: 0 });
  const tls = await loadTlsIdentity(dir);
  fingerprint = tls.fingerprint;
  server = await createTeamServer({ backend, tls, staticDir: path.resolve('dist/renderer'), loginGuard: new LoginGuard({ maxKdf: 2, maxQueue: 32, now: Date.now }) });
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  origin = `https://127.0.0.1:${new URL(address).port}`;
  agent = pinnedAgent(fingerprint);
}, 120_000);

afterAll(async () => {
  agent?.destroy();
  await server?.app.close();
  backend?.close();
  removeDir(dir);
});

type Env = { ok: boolean; value?: any; error?: { code: string; message: string; retryAfterSeconds?: number } };
async function call(method: string, input: unknown, opts: { bearer?: string; cookie?: string; csrf?: string; origin?: string | null; bearerLogin?: boolean } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
  if (opts.bearerLogin) headers['X-AgencyDesk-Auth'] = 'bearer';
  if (opts.cookie) headers.Cookie = `${SESSION_COOKIE}=${opts.cookie}`;
  if (opts.origin !== null) headers.Origin = opts.origin ?? origin;
  const res = await pinnedRequest(agent, `${origin}/api/call`, { method: 'POST', headers, body: JSON.stringify({ method, input, ...(opts.csrf ? { session: opts.csrf } : {}) }) });
  return { status: res.status, headers: res.headers, env: JSON.parse(res.body.toString()) as Env };
}
const bearerLogin = async (username: string, password: string) => {
  const r = await call('auth.login', { username, password }, { bearerLogin: true, origin: null });
  if (!r.env.ok) throw new Error(JSON.stringify(r.env.error));
  return r.env.value.token as string;
};
/** A browser login: the session in a cookie, a CSRF token in the body. */
async function browserLogin(username: string, password: string) {
  const r = await call('auth.login', { username, password });
  expect(r.env.ok).toBe(true);
  const setCookie = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  const line = setCookie.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
  return { line, cookie: line.split(';')[0]!.split('=')[1]!, csrf: r.env.value.token as string };
}

describe('team server', () => {
  it('starts locked: a collector cannot log in until an administrator unlocks it', async () => {
    const r = await call('auth.login', { username: 'li', password: COLLECTOR_PW }, { bearerLogin: true, origin: null });
    expect(r.status).toBe(403);
    expect(r.env.error!.code).toBe('FORBIDDEN');
    expect(r.env.error!.message).toMatch(/locked/);
    await server.unlockWith('admin', ADMIN_PASSWORD);
    expect(server.unlocked).toBe(true);
    expect(await bearerLogin('li', COLLECTOR_PW)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('prints the fingerprint openssl computes for the certificate', () => {
    const out = execFileSync('openssl', ['x509', '-in', path.join(dir, 'tls', 'cert.pem'), '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    expect(out.trim().split('=')[1]).toBe(fingerprint);
  });

  it('answers 401 without a session, 403 from another Origin', async () => {
    const none = await call('cases.list', {}, { origin: null });
    expect(none.status).toBe(401);
    const token = await bearerLogin('admin', ADMIN_PASSWORD);
    const evil = await call('cases.list', {}, { bearer: token, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect((await call('cases.list', {}, { bearer: token, origin: null })).env.ok).toBe(true);
  });

  it('refuses plain HTTP on its port', async () => {
    const port = new URL(origin).port;
    const outcome = await new Promise<string>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/call', method: 'POST' }, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      req.end('{}');
    });
    expect(outcome).not.toMatch(/^status 200/);
    expect(outcome).toMatch(/^error|^status 400/);
  });

  it('the client refuses a server whose certificate does not match the pin, before sending anything', async () => {
    const wrong = pinnedAgent('AB'.repeat(32));
    let received = 0;
    const hook = () => void received++;
    server.app.server.on('request', hook);
    try {
      await expect(pinnedRequest(wrong, `${origin}/api/call`, { method: 'POST', body: JSON.stringify({ method: 'system.status', input: {} }) })).rejects.toBeInstanceOf(PinError);
    } finally {
      server.app.server.off('request', hook);
      wrong.destroy();
    }
    expect(received).toBe(0);
  });

  it('keeps a browser session in an HttpOnly, Secure, SameSite=Strict cookie and wants its CSRF token', async () => {
    const b = await browserLogin('li', COLLECTOR_PW);
    expect(b.line).toMatch(/HttpOnly/i);
    expect(b.line).toMatch(/Secure/i);
    expect(b.line).toMatch(/SameSite=Strict/i);
    // What the page holds is not the session: it alone opens nothing.
    expect(b.csrf).not.toBe(b.cookie);
    expect((await call('cases.list', {}, { bearer: b.csrf, origin: null })).status).toBe(401);
    // The cookie without the CSRF token (a forged form or fetch) is refused; with it the call works.
    expect((await call('cases.list', {}, { cookie: b.cookie })).status).toBe(403);
    expect((await call('cases.list', {}, { cookie: b.cookie, csrf: 'x'.repeat(43) })).status).toBe(403);
    const ok = await call('cases.list', {}, { cookie: b.cookie, csrf: b.csrf });
    expect(ok.env.ok).toBe(true);
    // A public method (the page asks system.status without a session) is answered with the cookie present.
    const status = await call('system.status', {}, { cookie: b.cookie });
    expect(status.status).toBe(200);
    expect(status.env.ok).toBe(true);
  });

  it('a collector cannot read another collector’s case over the network', async () => {
    const li = await bearerLogin('li', COLLECTOR_PW);
    const wang = await bearerLogin('wang', COLLECTOR_PW);
    const liCases = (await call('cases.list', {}, { bearer: li, origin: null })).env.value.rows as { id: number }[];
    const wangCases = (await call('cases.list', {}, { bearer: wang, origin: null })).env.value.rows as { id: number }[];
    expect(liCases).toHaveLength(3);
    expect(wangCases).toHaveLength(3);
    const r = await call('cases.get', { id: wangCases[0]!.id }, { bearer: li, origin: null });
    expect(r.env.ok).toBe(false);
    expect(r.env.error!.code).toBe('NOT_FOUND');
    const forbidden = await call('users.create', { username: 'x1', displayName: 'x', role: 'admin', teamId: null, password: 'some password 9' }, { bearer: li, origin: null });
    expect(forbidden.env.error!.code).toBe('FORBIDDEN');
  });

  it('ends sessions when the password is reset or the user disabled, and admins see and end sessions', async () => {
    const admin = await bearerLogin('admin', ADMIN_PASSWORD);
    const li = await bearerLogin('li', COLLECTOR_PW);
    const users = (await call('users.list', {}, { bearer: admin, origin: null })).env.value.users as { id: number; username: string }[];
    const liId = users.find((u) => u.username === 'li')!.id;
    const listed = (await call('sessions.list', {}, { bearer: admin, origin: null })).env.value.sessions as { userId: number; from: string; id: string }[];
    expect(listed.some((s) => s.userId === liId && s.from === '127.0.0.1')).toBe(true);
    await call('users.resetPassword', { id: liId, password: 'a new password 2' }, { bearer: admin, origin: null });
    expect((await call('cases.list', {}, { bearer: li, origin: null })).status).toBe(401);
    // An admin ends a session by its id.
    const li2 = await bearerLogin('li', 'a new password 2');
    const s2 = ((await call('sessions.list', {}, { bearer: admin, origin: null })).env.value.sessions as { userId: number; id: string }[]).find((s) => s.userId === liId)!;
    expect((await call('sessions.end', { id: s2.id }, { bearer: admin, origin: null })).env.value).toEqual({ ended: true });
    expect((await call('cases.list', {}, { bearer: li2, origin: null })).status).toBe(401);
    // Disabled: the session ends at once.
    const li3 = await bearerLogin('li', 'a new password 2');
    await call('users.disable', { id: liId }, { bearer: admin, origin: null });
    expect((await call('cases.list', {}, { bearer: li3, origin: null })).status).toBe(401);
    await call('users.enable', { id: liId, password: COLLECTOR_PW }, { bearer: admin, origin: null });
  });

  it('admins see each session’s user, address, since and last call over the network; a collector sees none and ends none', async () => {
    const admin = await bearerLogin('admin', ADMIN_PASSWORD);
    const wang = await bearerLogin('wang', COLLECTOR_PW);
    type Listed = { id: string; username: string; from: string; since: string; lastCall: string; current: boolean };
    const listed = async () => (await call('sessions.list', {}, { bearer: admin, origin: null })).env.value.sessions as Listed[];
    const before = (await listed()).filter((s) => s.username === 'wang');
    const mine = before.at(-1)!;
    expect(mine.from).toBe('127.0.0.1');
    expect(Date.parse(mine.since)).toBeGreaterThan(Date.now() - 60_000);
    expect((await listed()).find((s) => s.current)?.username).toBe('admin');
    await new Promise((r) => setTimeout(r, 20));
    await call('cases.list', {}, { bearer: wang, origin: null });
    const wangNow = (await listed()).filter((s) => s.username === 'wang');
    // The most recent call moves "last call", not "since".
    const moved = wangNow.find((s) => Date.parse(s.lastCall) > Date.parse(s.since))!;
    expect(moved).toBeTruthy();
    expect((await call('sessions.list', {}, { bearer: wang, origin: null })).env.error?.code).toBe('FORBIDDEN');
    expect((await call('sessions.end', { id: moved.id }, { bearer: wang, origin: null })).env.error?.code).toBe('FORBIDDEN');
    expect((await call('sessions.end', { id: moved.id }, { bearer: admin, origin: null })).env.value).toEqual({ ended: true });
    expect((await call('cases.list', {}, { bearer: wang, origin: null })).status).toBe(401);
    const audit = (await call('audit.list', { action: 'sessions.end', limit: 5 }, { bearer: admin, origin: null })).env.value.entries as { detail: { from?: string } }[];
    expect(audit[0]?.detail.from).toBe('127.0.0.1');
  });

  it('a password changed at one desk ends the user’s sessions at the other desks, not the one that changed it', async () => {
    const here = await bearerLogin('wang', COLLECTOR_PW);
    const there = await browserLogin('wang', COLLECTOR_PW);
    expect((await call('auth.changePassword', { currentPassword: COLLECTOR_PW, newPassword: 'wang changed pw 3' }, { bearer: here, origin: null })).env.ok).toBe(true);
    expect((await call('cases.list', {}, { cookie: there.cookie, csrf: there.csrf })).status).toBe(401);
    expect((await call('cases.list', {}, { bearer: here, origin: null })).env.ok).toBe(true);
    expect((await call('auth.changePassword', { currentPassword: 'wang changed pw 3', newPassword: COLLECTOR_PW }, { bearer: here, origin: null })).env.ok).toBe(true);
  });

  it('ends a session after its maximum lifetime, however active', async () => {
    const token = await bearerLogin('wang', COLLECTOR_PW);
    const saved = backend.sessions.maxLifetimeMs;
    backend.sessions.maxLifetimeMs = 1;
    await new Promise((r) => setTimeout(r, 5));
    try {
      const r = await call('cases.list', {}, { bearer: token, origin: null });
      expect(r.status).toBe(401);
      expect(r.env.error!.code).toBe('SESSION_EXPIRED');
    } finally {
      backend.sessions.maxLifetimeMs = saved;
    }
    // The store stays open for everyone else: the server holds it.
    expect(await bearerLogin('wang', COLLECTOR_PW)).toBeTruthy();
  });

  it('the desktop app’s forwarder (main process) works against the server: login, calls, uploads; a wrong pin gets nothing', async () => {
    expect(await probeFingerprint(origin)).toBe(fingerprint);
    const f = createOfficeForwarder({ url: origin, fingerprint });
    try {
      const login = await f.forward({ method: 'auth.login', input: { username: 'admin', password: ADMIN_PASSWORD } });
      expect(login.ok).toBe(true);
      const token = (login as { value: { token: string } }).value.token;
      const list = await f.forward({ method: 'cases.list', input: {}, session: token });
      expect(list).toMatchObject({ ok: true, value: { total: 6 } });
      // A file the user picked travels to the server, and the import previews it there.
      const file = path.join(dir, 'again.csv');
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(2, 99, { caseNoPrefix: 'UP' })]));
      const up = await f.upload(file, token);
      expect(up.ok).toBe(true);
      const lenders = (await f.forward({ method: 'lenders.list', input: {}, session: token })) as { ok: true; value: { lenders: { id: number }[] } };
      const preview = await f.forward({ method: 'import.preview', input: { lenderId: lenders.value.lenders[0]!.id, file: { uploadId: (up as { value: { uploadId: string } }).value.uploadId, name: 'again.csv' } }, session: token });
      expect(preview.ok).toBe(true);
      expect(JSON.stringify((preview as { value: unknown }).value)).toContain('UP');
    } finally {
      f.close();
    }
    const wrong = createOfficeForwarder({ url: origin, fingerprint: '00'.repeat(32) });
    try {
      const r = await wrong.forward({ method: 'system.status', input: {} });
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect((r as { error: { message: string } }).error.message).toMatch(/does not match the fingerprint/);
    } finally {
      wrong.close();
    }
    // A server that went away: "unavailable, retrying" (BUSY), never a crash or a fake success.
    const gone = createOfficeForwarder({ url: 'https://127.0.0.1:1', fingerprint });
    try {
      expect(await gone.forward({ method: 'system.status', input: {} })).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    } finally {
      gone.close();
    }
  });
  it('counts concurrent wrong logins before the KDF: 40 at once for one user run one scrypt and lock out', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => call('auth.login', { username: 'mgr', password: 'wrong password 0' }, { bearerLogin: true, origin: null })));
    const codes = results.map((r) => r.env.error?.code);
    expect(codes.filter((c) => c === 'WRONG_PASSWORD').length).toBe(1);
    expect(codes.filter((c) => c === 'LOCKED_OUT').length).toBe(39);
    // Concurrent attempts counted against the address until it was locked: it now waits, whatever the
    // username or password.
    expect(server.guard.failuresFrom('127.0.0.1')).toBeGreaterThanOrEqual(6);
    const next = await call('auth.login', { username: 'wang', password: COLLECTOR_PW }, { bearerLogin: true, origin: null });
    expect(next.status).toBe(429);
    expect(next.env.error!.code).toBe('LOCKED_OUT');
    expect(Number(next.headers['retry-after'])).toBeGreaterThan(0);
    // Every refusal is in the audit log, counted per address, username and reason (not one entry per attempt).
    await server.flushRefusals();
    const login = await backend.dispatch('auth.login', { username: 'admin', password: ADMIN_PASSWORD }, { client: 'console' });
    const token = (login as { value: { token: string } }).value.token;
    const listed = await backend.dispatch('audit.list', { action: 'auth.refused', limit: 50 }, { session: token });
    const entries = (listed as { value: { entries: { entityId: string | null; detail: Record<string, unknown> }[] } }).value.entries;
    const attempts = (username: string, reason: string) =>
      entries.filter((e) => e.entityId === username && e.detail.reason === reason && e.detail.address === '127.0.0.1').reduce((n, e) => n + Number(e.detail.attempts), 0);
    expect(attempts('mgr', 'concurrent') + attempts('mgr', 'address-delay')).toBe(39);
    expect(attempts('wang', 'address-delay')).toBe(1);
    await backend.dispatch('auth.logout', {}, { session: token });
  });
});
