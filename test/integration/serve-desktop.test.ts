// "Serve this store to the office" from the desktop app: a backend made as the desktop's (host 'desktop',
// the serving object electron/backend-host.ts gives it) opens the team server's listener over ITSELF; a desk
// connects over real TLS with the pinned fingerprint, logs in as a collector and works while the desktop's
// own user goes on; a desk in office mode saves a report package from it; stopping closes the port and ends
// the desks' sessions. Admins only, audited; the remembered choice serves again at the next admin login.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import https from 'node:https';
import net from 'node:net';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Backend } from '../../core/backend.js';
import { createServing, serverUrls, withAutoServe, type Serving } from '../../server/serving.js';
import { pinnedAgent, pinnedRequest } from '../../remote/pinned-https.js';
import { createOfficeForwarder, type OfficeForwarder } from '../../electron/office-server.js';
import { createSavePackageHandler } from '../../electron/save-package.js';
import { verifyPackage } from '../../core/reports/verify.js';
import { Client, ADMIN_PASSWORD, login, makeStore, removeDir, tempDir, type TestStore } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { importFile } from '../helpers/import.js';

const COLLECTOR_PW = 'collector password 1';
let s: TestStore;
let serving: Serving;
let collector: Client;
let saveDir: string;
let exportId = 0;
let liCases: number[] = [];
let lenderId = 0;
let batchId = 0;
let csvPath = '';

beforeAll(async () => {
  let backend: Backend | null = null;
  // As electron/backend-host.ts wires it: the serving object gets the backend late, the backend gets it.
  const storeDir = tempDir();
  serving = createServing({ backend: () => backend!, storeDir, staticDir: path.resolve('dist/renderer'), graceMs: 2_000, log: () => {} });
  s = await makeStore({ storeDir, host: 'desktop', serving });
  backend = s.backend;
  saveDir = tempDir('agencydesk-serve-save-');
  const team = await s.admin.call('teams.create', { name: 'A组' });
  await s.admin.call('users.create', { username: 'li', displayName: '李', role: 'collector', teamId: team.id, password: COLLECTOR_PW });
  const lender = await s.admin.call('lenders.create', { code: 'DESK', name: '桌面贷' });
  const file = path.join(saveDir, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(4)]));
  lenderId = lender.id;
  csvPath = file;
  expect((await importFile(s.admin, lender.id, file)).state).toBe('done');
  const cases = (await s.admin.call('cases.list', { limit: 10 })).rows;
  const li = (await s.admin.call('users.list', {})).users.find((u) => u.username === 'li')!;
  liCases = cases.slice(0, 2).map((c) => c.id);
  await s.admin.call('assign.manual', { caseIds: liCases, collectorId: li.id });
  batchId = (await s.admin.call('batches.list', { lenderId: lender.id })).batches[0]!.id;
  exportId = (await s.admin.call('reports.export', { lenderId: lender.id, batchId, formats: ['csv'] })).exportId;
  collector = await login(s.backend, 'li', COLLECTOR_PW);
}, 120_000);

afterAll(async () => {
  serving?.closeNow();
  s?.close();
  if (s) removeDir(s.dir);
  if (saveDir) removeDir(saveDir);
});

type Env = { ok: boolean; value?: any; error?: { code: string; message: string } };
async function remote(origin: string, agent: https.Agent, method: string, input: unknown, bearer?: string): Promise<{ status: number; env: Env }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-AgencyDesk-Auth': 'bearer' };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const res = await pinnedRequest(agent, `${origin}/api/call`, { method: 'POST', headers, body: JSON.stringify({ method, input }) });
  return { status: res.status, env: JSON.parse(res.body.toString()) as Env };
}

const portClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });

describe('serving the store from the desktop app', () => {
  it('is for administrators only, and not offered on hosts without the listener', async () => {
    expect((await collector.error('serve.start', { host: '127.0.0.1', port: 0 })).code).toBe('FORBIDDEN');
    expect((await collector.error('serve.status', {})).code).toBe('FORBIDDEN');
    expect((await new Client(s.backend).error('serve.stop', {})).code).toBe('UNAUTHENTICATED');
    expect(await s.admin.call('serve.status', {})).toMatchObject({ available: true, serving: false, urls: [], fingerprint: null, connected: 0 });
    // Another host (the web host, a team server, a test backend) has no listener to open.
    const other = await makeStore({ host: 'test' });
    try {
      expect(await other.admin.call('serve.status', {})).toMatchObject({ available: false, serving: false });
      expect((await other.admin.error('serve.start', { host: '127.0.0.1', port: 0 })).code).toBe('FORBIDDEN');
    } finally {
      other.close();
      removeDir(other.dir);
    }
  });

  it('serves over TLS with the pinned certificate: a desk logs in as a collector and works, so does this computer; stop closes the port', async () => {
    const st = await s.admin.call('serve.start', { host: '127.0.0.1', port: 0 });
    expect(st).toMatchObject({ available: true, serving: true, startedBy: 'admin', listen: { host: '127.0.0.1' } });
    const port = st.listen!.port;
    expect(port).toBeGreaterThan(0);
    expect(st.urls).toEqual([`https://127.0.0.1:${port}`]);
    // The fingerprint is the one openssl computes for the certificate kept in the store folder (as `agencydesk serve` prints it).
    expect(st.certPath).toBe(path.join(s.dir, 'tls', 'cert.pem'));
    const openssl = execFileSync('openssl', ['x509', '-in', st.certPath!, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    expect(openssl.trim().split('=')[1]).toBe(st.fingerprint);
    expect((await s.admin.error('serve.start', { host: '127.0.0.1', port: 0 })).code).toBe('CONFLICT');

    const origin = st.urls[0]!;
    const agent = pinnedAgent(st.fingerprint!);
    try {
      // The server is already unlocked: the administrator who started it is logged in on this computer.
      const loginR = await remote(origin, agent, 'auth.login', { username: 'li', password: COLLECTOR_PW });
      expect(loginR.env.ok).toBe(true);
      const token = loginR.env.value.token as string;
      const mine = await remote(origin, agent, 'cases.list', { limit: 10 }, token);
      expect(mine.env.ok).toBe(true);
      expect((mine.env.value.rows as { id: number }[]).map((r) => r.id).sort()).toEqual([...liCases].sort());
      // A collector over the network is still a collector.
      expect((await remote(origin, agent, 'serve.stop', {}, token)).env.error?.code).toBe('FORBIDDEN');
      // A desk is a team-server client: it uploads, it cannot make this computer read its own files — neither on
      // the request thread (import.preview) nor in the offload worker (repayments.preview is a heavy call).
      const adminToken = (await remote(origin, agent, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })).env.value.token as string;
      for (const [method, input] of [
        ['import.preview', { lenderId, file: { path: csvPath } }],
        ['repayments.preview', { lenderId, file: { path: csvPath } }],
      ] as const) {
        const r = await remote(origin, agent, method, input, adminToken);
        expect(r.env.error?.code, method).toBe('FORBIDDEN');
        expect(r.env.error?.message, method).toMatch(/upload/i);
      }
      // Nor write report packages into a folder of this computer it names (it downloads them instead).
      const outDir = path.join(saveDir, 'out-from-desk');
      const exp = await remote(origin, agent, 'reports.export', { lenderId, batchId, formats: ['csv'], outDir }, adminToken);
      expect(exp.env.error?.code).toBe('FORBIDDEN');
      expect(existsSync(outDir)).toBe(false);
      const sched = await remote(origin, agent, 'reportSchedules.save', { lenderId, name: 'desk', every: 'daily', formats: ['csv'], outDir }, adminToken);
      expect(sched.env.error?.code).toBe('FORBIDDEN');
      // The same call from this computer's own window still reads the file it names.
      expect((await s.backend.dispatch('import.preview', { lenderId, file: { path: csvPath } }, { session: s.admin.token })).ok).toBe(true);
      await remote(origin, agent, 'auth.logout', {}, adminToken);
      // This computer's own user keeps working on the same backend meanwhile.
      expect((await s.admin.call('cases.list', { limit: 10 })).rows.length).toBe(4);
      const status = await s.admin.call('serve.status', {});
      expect(status.connected).toBe(1);
      const who = await s.admin.call('sessions.list', {});
      expect(who.server).toEqual({ url: origin, fingerprint: st.fingerprint });
      expect(who.sessions.find((x) => x.username === 'li' && x.from !== '')?.from).toMatch(/127\.0\.0\.1/);

      // The desktop's user logs out: the desks keep working (the store stays open while it serves).
      await s.admin.call('auth.logout', {});
      expect((await remote(origin, agent, 'cases.list', { limit: 10 }, token)).env.ok).toBe(true);
      s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);

      const stopped = await s.admin.call('serve.stop', {});
      expect(stopped).toMatchObject({ serving: false, urls: [], fingerprint: null, connected: 0 });
      expect(await portClosed(port)).toBe(true);
      // The desk's session ended with the listener; this computer's own did not.
      expect((await s.backend.dispatch('cases.list', { limit: 1 }, { session: token })).ok).toBe(false);
      expect((await s.admin.call('sessions.list', {})).server).toBeNull();
      expect((await collector.call('cases.list', { limit: 10 })).rows.length).toBe(2);

      const audit = (await s.admin.call('audit.list', { limit: 50 })).entries.filter((e) => e.action.startsWith('serve.'));
      expect(audit.map((e) => e.action).sort()).toEqual(['serve.start', 'serve.stop']);
      expect(audit.find((e) => e.action === 'serve.start')!.detail).toMatchObject({ listen: `127.0.0.1:${port}`, fingerprint: st.fingerprint });
      expect(audit.find((e) => e.action === 'serve.stop')!.detail).toMatchObject({ sessionsEnded: 1 });
    } finally {
      agent.destroy();
    }
  }, 60_000);

  it('says plainly when the port is taken, and serves nothing', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const e = await s.admin.error('serve.start', { host: '127.0.0.1', port });
      expect(e.code).toBe('CONFLICT');
      expect(e.message).toContain(String(port));
      expect((await s.admin.call('serve.status', {})).serving).toBe(false);
      expect((await s.admin.error('serve.start', { host: 'not-an-address', port: 8443 })).code).toBe('BAD_INPUT');
    } finally {
      blocker.close();
    }
  });

  it('a desk in office mode saves a report package from it, over the pinned connection, where the user chose', async () => {
    const st = await s.admin.call('serve.start', { host: '127.0.0.1', port: 0 });
    const forwarder: OfficeForwarder = createOfficeForwarder({ url: st.urls[0]!, fingerprint: st.fingerprint! });
    try {
      const mgr = await forwarder.forward({ method: 'auth.login', input: { username: 'admin', password: ADMIN_PASSWORD } });
      expect(mgr.ok).toBe(true);
      const token = (mgr as { value: { token: string } }).value.token;
      const titles: string[] = [];
      const save = (choose: string | null) =>
        createSavePackageHandler({
          isTrustedSender: () => true,
          callBackend: () => Promise.reject(new Error('a desk in office mode has no local backend')),
          showSaveDialog: async (o) => {
            titles.push(o.title);
            return choose ? { canceled: false, filePath: choose } : { canceled: true };
          },
          copyFile: () => Promise.reject(new Error('not local')),
          zipFolder: () => Promise.reject(new Error('not local')),
          downloadsDir: () => saveDir,
          office: () => forwarder,
        });
      const sender = { frameUrl: 'app://agencydesk/index.html', webContentsId: 1 };
      const dest = path.join(saveDir, 'chosen.zip');
      const r = await save(dest)(sender, { exportId, session: token });
      expect(r).toEqual({ ok: true, value: { saved: true, path: dest } });
      // The server's name for it (Content-Disposition), the bytes a valid signed package.
      expect(titles[0]).toMatch(/\.zip$/);
      expect(readFileSync(dest).subarray(0, 2).toString()).toBe('PK');
      const v = await verifyPackage(dest);
      expect(v.failures).toEqual([]);
      expect(v.valid).toBe(true);
      expect(v.files.map((f) => f.name)).toContain('status-report.csv');
      expect((await s.admin.call('audit.list', { action: 'reports.download', limit: 10 })).entries.map((e) => e.detail.exportId)).toContain(exportId);
      expect(readdirSync(saveDir).filter((f) => f.endsWith('.part'))).toEqual([]);
      // Cancelled: nothing written. Without a session or the permission: the server's refusal, nothing written.
      expect(await save(null)(sender, { exportId, session: token })).toEqual({ ok: true, value: { saved: false, path: null } });
      const li = await forwarder.forward({ method: 'auth.login', input: { username: 'li', password: COLLECTOR_PW } });
      const other = path.join(saveDir, 'refused.zip');
      expect(await save(other)(sender, { exportId, session: (li as { value: { token: string } }).value.token })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await save(other)(sender, { exportId: 999_999, session: token })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(existsSync(other)).toBe(false);
      expect(titles.length).toBe(2);
    } finally {
      forwarder.close();
      await s.admin.call('serve.stop', {});
    }
  }, 60_000);

  it('serves again at the next administrator login when that was chosen; stopping by hand forgets it', async () => {
    const st = await s.admin.call('serve.start', { host: '127.0.0.1', port: 0, autoStart: true });
    expect(st.autoStart).toBe(true);
    // The app closes (the backend process cuts the listener); the choice stays for the next start.
    serving.closeNow();
    expect((await s.admin.call('serve.status', {})).serving).toBe(false);
    const desktop = withAutoServe((m, i, meta) => s.backend.dispatch(m, i, meta), serving);
    // A collector logging in on this computer serves nothing.
    expect((await desktop('auth.login', { username: 'li', password: COLLECTOR_PW })).ok).toBe(true);
    expect(serving.state()).toBeNull();
    const adminLogin = await desktop('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(adminLogin.ok).toBe(true);
    const again = serving.state();
    expect(again?.startedBy).toBe('admin');
    expect(await portClosed(again!.listen.port)).toBe(false);
    const stopped = await s.admin.call('serve.stop', {});
    expect(stopped).toMatchObject({ serving: false, autoStart: false });
    expect(await portClosed(again!.listen.port)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(s.dir, 'serve.json'), 'utf8'))).toMatchObject({ autoStart: false });
  }, 60_000);

  it('gives every LAN address when listening on all of them', () => {
    const urls = serverUrls('0.0.0.0', 8443);
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).toMatch(/^https:\/\/\d+\.\d+\.\d+\.\d+:8443$/);
    expect(serverUrls('::1', 9000)).toEqual(['https://[::1]:9000']);
  });
});
