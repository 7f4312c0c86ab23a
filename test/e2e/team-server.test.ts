// The team server in real browsers: `agencydesk serve` (the built CLI) over TLS on 127.0.0.1, its self-signed
// certificate trusted by Chromium only through its SPKI hash (--ignore-certificate-errors-spki-list, not by
// ignoring certificate errors). A manager and two collectors, each in their own browser, at once: the
// manager assigns cases in the UI, both collectors' Today queues fill without a reload, both log a call,
// and the manager's case list shows who called.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { REPO_ROOT, assertBuilt } from './helpers/web-host.js';
import { makeStore, tempDir } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN_PASSWORD = 'admin password 1'; // makeStore's
const PASSWORD = 'Office-pass-2026';
const CLI = path.join(REPO_ROOT, 'bin/agencydesk.mjs');

let dir: string;
let server: ChildProcess;
let log = '';
let url: string;
let fingerprint: string;
const browsers: BrowserSession[] = [];

/** The current hour in Asia/Shanghai, to put the lender's quiet hours away from now (the journey logs calls now). */
const cstHour = () => new Date(Date.now() + 8 * 3_600_000).getUTCHours();
const hh = (h: number) => `${String(((h % 24) + 24) % 24).padStart(2, '0')}:00`;

beforeAll(async () => {
  assertBuilt();
  dir = tempDir('agencydesk-serve-');
  const s = await makeStore({ storeDir: dir });
  const team = await s.admin.call('teams.create', { name: 'A组' });
  await s.admin.call('users.create', { username: 'lisi', displayName: '李四', role: 'manager', teamId: null, password: PASSWORD });
  for (const [u, n] of [['zhangsan', '张三'], ['wangwu', '王五']] as const) await s.admin.call('users.create', { username: u, displayName: n, role: 'collector', teamId: team.id, password: PASSWORD });
  const lender = await s.admin.call('lenders.create', { code: 'PAYD', name: '平安i贷' });
  await s.admin.call('compliance.setLimits', { lenderId: lender.id, limits: { quietFrom: hh(cstHour() + 3), quietUntil: hh(cstHour() + 4) } });
  const file = path.join(dir, 'placement.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(6, 5, { caseNoPrefix: 'TS' })]));
  expect((await importFile(s.admin, lender.id, file)).state).toBe('done');
  rmSync(file);
  s.close();

  // Unlocked from the environment, as a service manager would; --json prints {url, fingerprint}.
  server = spawn(process.execPath, [CLI, 'serve', '--store', dir, '--listen', '127.0.0.1:0', '--json'], {
    cwd: REPO_ROOT,
    env: { ...process.env, AGENCYDESK_USER: 'admin', AGENCYDESK_PASSWORD: ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const first = await new Promise<{ url: string; fingerprint: string }>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { url: string; fingerprint: string });
    });
    server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${log}`)));
    setTimeout(() => reject(new Error(`serve printed nothing: ${log}`)), 60_000);
  });
  url = first.url;
  fingerprint = first.fingerprint;
  for (const until = Date.now() + 30_000; !log.includes('unlocked by admin'); ) {
    if (Date.now() > until) throw new Error(`the server did not unlock: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const cert = readFileSync(path.join(dir, 'tls', 'cert.pem'), 'utf8');
  const spki = createHash('sha256').update(createPublicKey(cert).export({ type: 'spki', format: 'der' })).digest('base64');
  for (let i = 0; i < 3; i++) browsers.push(await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, extraArgs: [`--ignore-certificate-errors-spki-list=${spki}`] }));
}, 180_000);

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => {});
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('team server (agencydesk serve + three Chromium browsers)', () => {
  it('a manager assigns, both collectors’ queues fill without a reload, both log calls, the manager sees them', async () => {
    const [mgrB, aB, bB] = browsers as [BrowserSession, BrowserSession, BrowserSession];
    const [mgr, a, b] = [mgrB, aB, bB].map((x) => uiSteps(x));
    try {
      // The collectors open their day first: nothing is theirs yet.
      for (const [browser, ui, who] of [[aB, a, 'zhangsan'], [bB, b, 'wangwu']] as const) {
        await browser.page.goto(url);
        await ui!.login(who, PASSWORD);
        await browser.page.getByTestId('page-today').waitFor({ timeout: 30_000 });
        await eventually(() => browser.page.getByTestId('today-count-new').textContent()).toBe('0');
      }
      // The page keeps no session a script could read: the session cookie is HttpOnly.
      expect(await aB.page.evaluate(() => document.cookie)).toBe('');

      // The manager gives three cases to each collector from the case list.
      await mgrB.page.goto(url);
      await mgr!.login('lisi', PASSWORD);
      await mgrB.page.getByTestId('page-home').waitFor({ timeout: 30_000 });
      await mgrB.page.getByTestId('nav-cases').click();
      const rows = mgr!.gridRows('cases-grid');
      await eventually(() => rows.count()).toBe(6);
      for (const [collector, picks] of [['zhangsan', [0, 1, 2]], ['wangwu', [3, 4, 5]]] as const) {
        for (const i of picks) await rows.nth(i).getByRole('checkbox').check();
        await mgrB.page.getByTestId('cases-give').click();
        await mgr!.pick('give-collector', `give-collector-${collector}`);
        await mgrB.page.getByTestId('give-dialog-submit').click();
        await mgrB.page.getByTestId('give-dialog').waitFor({ state: 'detached' });
        await eventually(async () => (await rows.locator('[data-field="collector"]').allTextContents()).filter((c) => c === collector).length).toBe(3);
      }

      // Both collectors' Today fill by themselves (no reload, no refresh click).
      for (const browser of [aB, bB]) await eventually(() => browser.page.getByTestId('today-count-new').textContent(), 20_000).toBe('3');
      await aB.screenshot('team-server-01-collector-today-zh');

      // Each logs a call on their first case (at the form's default time: now).
      for (const [browser, ui] of [[aB, a], [bB, b]] as const) {
        const first = ui!.gridRows('today-grid').first();
        await ui!.cell(first, 'caseNo').click();
        await ui!.settled('case-drawer');
        await browser.page.getByTestId('log-attempt').click();
        await ui!.settled('log-dialog');
        await ui!.pick('attempt-outcome', 'attempt-outcome-no_answer');
        await browser.page.getByTestId('log-dialog-submit').click();
        await browser.page.getByTestId('log-dialog').waitFor({ state: 'detached' });
        await eventually(() => browser.page.getByTestId('timeline-attempt').count()).toBe(1);
      }

      // The manager sees both calls: the case list filtered by last outcome "no answer".
      await mgr!.pick('cases-outcome', 'cases-outcome-no_answer');
      await eventually(async () => (await rows.locator('[data-field="collector"]').allTextContents()).sort()).toEqual(['wangwu', 'zhangsan']);
      await mgrB.screenshot('team-server-02-manager-sees-calls-zh');
      for (const x of browsers) expect(x.errors, x.errors.join("\n")).toEqual([]);
    } catch (e) {
      for (const [i, x] of browsers.entries()) await x.screenshot(`failure-team-server-${i}`).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- server output ---\n${log}`, { cause: e });
    }
  });

  it('an administrator sees who is connected (user, address) beside the server’s address and fingerprint, and ends a desk’s session', async () => {
    const [mgrB, , bB] = browsers as [BrowserSession, BrowserSession, BrowserSession];
    const admin = uiSteps(mgrB);
    try {
      await admin.logout();
      await admin.login('admin', ADMIN_PASSWORD);
      await mgrB.page.getByTestId('nav-system').click();
      await mgrB.page.getByTestId('sessions-panel').waitFor({ timeout: 30_000 });
      const info = mgrB.page.getByTestId('server-info');
      await eventually(() => info.textContent()).toContain(fingerprint);
      expect(await info.textContent()).toContain(url);
      // Both collectors' browsers, from this machine's address; the administrator's own row cannot be ended.
      for (const who of ['zhangsan', 'wangwu']) await eventually(() => mgrB.page.getByTestId(`session-${who}`).textContent()).toContain('127.0.0.1');
      expect(await mgrB.page.getByTestId('session-end-admin').count()).toBe(0);
      await mgrB.screenshot('team-server-03-sessions-zh');
      await mgrB.page.getByTestId('session-end-wangwu').click();
      await mgrB.page.getByTestId('session-wangwu').waitFor({ state: 'detached' });
      // wangwu's page learns at its next call (the live poll, every 4 s) and asks for a login; zhangsan's does not.
      await bB.page.getByTestId('login-screen').waitFor({ timeout: 20_000 });
      expect(await browsers[1]!.page.getByTestId('login-screen').count()).toBe(0);
    } catch (e) {
      for (const [i, x] of browsers.entries()) await x.screenshot(`failure-team-server-sessions-${i}`).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- server output ---\n${log}`, { cause: e });
    }
  });
});
