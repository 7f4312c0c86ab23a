// Issue 16: the team server starts locked and "an admin unlocks it (password or recovery key) … or from a browser
// on the LAN (admin accounts only)". Over real TLS: until then a collector is refused; an administrator's
// browser login unlocks it for everyone, and it stays open after that administrator logs out; the recovery key
// unlocks it too (resetting that administrator's password); a collector's recovery sets that password and says
// the server is still locked.
import { describe, it, expect, afterEach } from 'vitest';
import path from 'node:path';
import type https from 'node:https';
import { createBackend, type Backend } from '../../core/backend.js';
import { createTeamServer, SESSION_COOKIE, type TeamServer } from '../../server/app.js';
import { loadTlsIdentity } from '../../server/tls.js';
import { pinnedAgent, pinnedRequest } from '../../remote/pinned-https.js';
import { ADMIN_PASSWORD, makeStore, removeDir } from '../helpers/store.js';

const PW = 'collector password 1';
type Env = { ok: boolean; value?: any; error?: { code: string; message: string; key?: string } };
let running: { backend: Backend; server: TeamServer; agent: https.Agent; dir: string } | null = null;

afterEach(async () => {
  if (!running) return;
  running.agent.destroy();
  await running.server.app.close();
  running.backend.close();
  removeDir(running.dir);
  running = null;
});

/** A store with an admin and a collector, served locked (nobody unlocked it at the console). */
async function lockedServer() {
  const s = await makeStore();
  await s.admin.call('users.create', { username: 'li', displayName: '李', role: 'collector', teamId: null, password: PW });
  const recoveryKey = s.recoveryKey;
  s.close();
  const backend = createBackend({ storeDir: s.dir, host: 'server', sweepEveryMs: 0 });
  const tls = await loadTlsIdentity(s.dir);
  const server = await createTeamServer({ backend, tls, staticDir: path.resolve('dist/renderer') });
  const origin = `https://127.0.0.1:${new URL(await server.app.listen({ host: '127.0.0.1', port: 0 })).port}`;
  const agent = pinnedAgent(tls.fingerprint);
  running = { backend, server, agent, dir: s.dir };
  /** A call as a page of this server (Origin, cookie + CSRF token) or as a script (bearer). */
  const call = async (method: string, input: unknown, auth: { bearer?: string; cookie?: string; csrf?: string; bearerLogin?: boolean } = {}) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Origin: origin };
    if (auth.bearer) headers.Authorization = `Bearer ${auth.bearer}`;
    if (auth.bearerLogin) headers['X-AgencyDesk-Auth'] = 'bearer';
    if (auth.cookie) headers.Cookie = `${SESSION_COOKIE}=${auth.cookie}`;
    const res = await pinnedRequest(agent, `${origin}/api/call`, { method: 'POST', headers, body: JSON.stringify({ method, input, ...(auth.csrf ? { session: auth.csrf } : {}) }) });
    return { status: res.status, headers: res.headers, env: JSON.parse(res.body.toString()) as Env };
  };
  return { server, call, recoveryKey };
}

describe('a locked team server', () => {
  it('is unlocked by an administrator logging in from a browser, and stays open after that administrator logs out', async () => {
    const { server, call } = await lockedServer();
    expect(server.unlocked).toBe(false);
    expect((await call('system.status', {})).env.value.unlocked).toBe(false);
    const refused = await call('auth.login', { username: 'li', password: PW });
    expect(refused.status).toBe(403);
    expect(refused.env.error?.message).toMatch(/locked/);
    // Keyed, so the login page says the server is locked in its own language (not "account disabled").
    expect(refused.env.error?.key).toBe('serverLocked');

    const login = await call('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(login.env.ok).toBe(true);
    expect(server.unlocked).toBe(true);
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]!.split('=')[1]!;
    expect((await call('auth.logout', {}, { cookie, csrf: login.env.value.token as string })).env.ok).toBe(true);
    // Nobody is logged in now, yet the server stays unlocked for the desks.
    expect((await call('system.status', {})).env.value.unlocked).toBe(true);
    const li = await call('auth.login', { username: 'li', password: PW }, { bearerLogin: true });
    expect(li.env.ok).toBe(true);
    expect((await call('cases.list', {}, { bearer: li.env.value.token as string })).env.ok).toBe(true);
  }, 60_000);

  it('is unlocked with the recovery key (the administrator sets a new password), not by a collector’s recovery', async () => {
    const { server, call, recoveryKey } = await lockedServer();
    // A collector's recovery sets the new password (the key holder may), but does not unlock the server: it says both.
    const asCollector = await call('auth.recover', { recoveryKey, username: 'li', newPassword: 'li new password 2' }, { bearerLogin: true });
    expect(asCollector.status).toBe(403);
    expect(asCollector.env.error).toMatchObject({ key: 'serverLockedRecovered', params: { username: 'li' } });
    expect(asCollector.env.error?.message).toMatch(/new password of li is set, but the server is locked/);
    expect(server.unlocked).toBe(false);
    const recovered = await call('auth.recover', { recoveryKey, username: 'admin', newPassword: 'admin new password 2' }, { bearerLogin: true });
    expect(recovered.env.ok).toBe(true);
    expect(server.unlocked).toBe(true);
    expect((await call('auth.login', { username: 'admin', password: 'admin new password 2' }, { bearerLogin: true })).env.ok).toBe(true);
    expect((await call('auth.login', { username: 'li', password: 'li new password 2' }, { bearerLogin: true })).env.ok).toBe(true);
    expect((await call('auth.login', { username: 'li', password: PW }, { bearerLogin: true })).env.error?.code).toBe('WRONG_PASSWORD');
  }, 60_000);
});
