// Stopping "Serve this store to the office" (issue 16 audit): only this computer's own window starts and stops
// the listener — a desk connected through it is a team-server client and is told so (a stop sent through the
// listener waited for its own connection to close, was cut after the grace, and left the store open with no one
// logged in). And once serving stops with nobody logged in on this computer, the store locks at once, not at
// the next idle sweep.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import type { Backend } from '../../core/backend.js';
import { createServing, type Serving } from '../../server/serving.js';
import { pinnedAgent, pinnedRequest } from '../../remote/pinned-https.js';
import { ADMIN_PASSWORD, Client, login, makeStore, removeDir, tempDir, type TestStore } from '../helpers/store.js';

let s: TestStore;
let serving: Serving;
let agent: https.Agent | null = null;

beforeEach(async () => {
  let backend: Backend | null = null;
  const storeDir = tempDir();
  serving = createServing({ backend: () => backend!, storeDir, staticDir: path.resolve('dist/renderer'), graceMs: 2_000, log: () => {} });
  // The idle sweeper off (sweepEveryMs 0): what locks the store here is the stop itself.
  s = await makeStore({ storeDir, host: 'desktop', serving, sweepEveryMs: 0 });
  backend = s.backend;
});

afterEach(() => {
  agent?.destroy();
  agent = null;
  serving.closeNow();
  s.close();
  removeDir(s.dir);
});

type Env = { ok: boolean; value?: any; error?: { code: string; message: string } };
async function remote(origin: string, method: string, input: unknown, bearer?: string): Promise<Env> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-AgencyDesk-Auth': 'bearer' };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const res = await pinnedRequest(agent!, `${origin}/api/call`, { method: 'POST', headers, body: JSON.stringify({ method, input }) });
  return JSON.parse(res.body.toString()) as Env;
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });

const unlocked = async (backend: Backend) => ((await backend.dispatch('system.status', {})) as { value: { unlocked: boolean } }).value.unlocked;

describe('stopping serving from the desktop app', () => {
  it('a desk’s administrator, through the listener, is told serving is not theirs to start or stop', async () => {
    const st = await s.admin.call('serve.start', { host: '127.0.0.1', port: 0 });
    const origin = st.urls[0]!;
    agent = pinnedAgent(st.fingerprint!);
    const desk = (await remote(origin, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })).value.token as string;
    // As on a team server or a desk in office mode: the panel says serving is started from the desktop app.
    expect((await remote(origin, 'serve.status', {}, desk)).value).toMatchObject({ available: false, serving: false });
    const t0 = Date.now();
    const stop = await remote(origin, 'serve.stop', {}, desk);
    expect(stop.error?.code).toBe('FORBIDDEN');
    expect(Date.now() - t0).toBeLessThan(1_500); // answered, not held until the grace cut its own connection
    expect((await remote(origin, 'serve.start', { host: '127.0.0.1', port: 0 }, desk)).error?.code).toBe('FORBIDDEN');
    // Still serving, the desk still working; this computer's window still sees and stops it.
    expect(await portOpen(st.listen!.port)).toBe(true);
    expect((await remote(origin, 'users.list', {}, desk)).ok).toBe(true);
    expect(await s.admin.call('serve.status', {})).toMatchObject({ available: true, serving: true, connected: 1 });
    expect((await s.admin.call('serve.stop', {})).serving).toBe(false);
  }, 30_000);

  it('locks the store at once when serving stops and nobody is logged in on this computer', async () => {
    const st = await s.admin.call('serve.start', { host: '127.0.0.1', port: 0 });
    agent = pinnedAgent(st.fingerprint!);
    const desk = (await remote(st.urls[0]!, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })).value.token as string;
    expect(desk).toBeTruthy();
    // This computer's user logs out: the store stays open for the desks while it serves.
    await s.admin.call('auth.logout', {});
    expect(await unlocked(s.backend)).toBe(true);
    // Serving stops (the listener closes, the desks' sessions end): no one is left, so the key goes now.
    await serving.stop();
    expect(await portOpen(st.listen!.port)).toBe(false);
    expect(await unlocked(s.backend)).toBe(false);
    expect((await s.backend.dispatch('users.list', {}, { session: desk })).ok).toBe(false);
    // Logging in opens it again as usual.
    s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
    expect(await unlocked(s.backend)).toBe(true);
  }, 30_000);

  it('keeps the store open when this computer’s user is still logged in, and when another local session is', async () => {
    const collectorPw = 'collector password 1';
    await s.admin.call('users.create', { username: 'li', displayName: '李', role: 'collector', teamId: null, password: collectorPw });
    const li: Client = await login(s.backend, 'li', collectorPw);
    await s.admin.call('serve.start', { host: '127.0.0.1', port: 0 });
    await s.admin.call('serve.stop', {});
    expect(await unlocked(s.backend)).toBe(true);
    await s.admin.call('serve.start', { host: '127.0.0.1', port: 0 });
    await s.admin.call('auth.logout', {});
    await serving.stop();
    expect(await unlocked(s.backend)).toBe(true);
    expect((await li.call('cases.list', { limit: 1 })).rows).toEqual([]);
  }, 30_000);
});
