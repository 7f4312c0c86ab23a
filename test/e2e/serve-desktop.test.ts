// "Serve this store to the office" in a real browser (zh-CN, 1366×768). On the `npm run web` host the panel
// only says that serving is started from the desktop app. The desktop's panel itself is driven against a
// backend made as the desktop's (host 'desktop' with the serving object electron/backend-host.ts gives it),
// reached through the loopback web app instead of Electron's IPC (no Electron binary here): the admin starts
// serving, a desk connects over the pinned TLS connection and shows up, the admin stops and the port closes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createBackend, type Backend } from '../../core/backend.js';
import { createServing, type Serving } from '../../server/serving.js';
import { createWebApp } from '../../web/app.js';
import { pinnedAgent, pinnedRequest } from '../../remote/pinned-https.js';
import { startWebHost, REPO_ROOT, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { setupAgency, type Person } from './helpers/seed.js';
import { removeDir, tempDir } from '../helpers/store.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const VIEW = { width: 1366, height: 768 };

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

describe('serve this store to the office (Chromium)', () => {
  let web: WebHost | undefined;
  let browser: BrowserSession | undefined;
  let backend: Backend | undefined;
  let serving: Serving | undefined;
  let loopback: Server | undefined;
  let storeDir = '';

  beforeAll(() => mkdirSync(SCREENSHOT_DIR, { recursive: true }));
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    serving?.closeNow();
    loopback?.close();
    backend?.close();
    if (storeDir) removeDir(storeDir);
  });

  it('on the web host: says it is started from the desktop app', async () => {
    web = await startWebHost();
    await setupAgency(web, '华信催收服务有限公司', ADMIN);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: VIEW, timezoneId: 'Asia/Shanghai' });
    const page = browser.page;
    await page.goto(web.url);
    await uiSteps(browser).login(ADMIN.username, ADMIN.password);
    await page.getByTestId('nav-system').click();
    await page.getByTestId('serve-unavailable').waitFor();
    expect(await page.getByTestId('serve-unavailable').textContent()).toContain('桌面应用');
    expect(await page.getByTestId('serve-start').count()).toBe(0);
    await browser.close();
    browser = undefined;
    await web.stop();
    web = undefined;
  }, 120_000);

  it('on the desktop backend: start, a desk connects over pinned TLS, stop closes the port', async () => {
    storeDir = tempDir('agencydesk-e2e-serve-');
    serving = createServing({ backend: () => backend!, storeDir, staticDir: path.join(REPO_ROOT, 'dist/renderer'), log: () => {} });
    backend = createBackend({ storeDir, host: 'desktop', serving, sweepEveryMs: 0 });
    const b = backend;
    const setup = await b.dispatch('system.setup', { agencyName: '华信催收服务有限公司', admin: ADMIN });
    expect(setup.ok).toBe(true);
    const adminToken = (setup as { value: { session: { token: string } } }).value.session.token;
    expect((await b.dispatch('users.create', { username: 'li', displayName: '李娜', role: 'collector', password: 'Collector-pass-1' }, { session: adminToken })).ok).toBe(true);
    await b.dispatch('auth.logout', {}, { session: adminToken });

    const token = randomBytes(32).toString('base64url');
    const server = createServer();
    loopback = server;
    const app = createWebApp({ backend: b, token, staticDir: path.join(REPO_ROOT, 'dist/renderer'), port: () => (server.address() as AddressInfo).port });
    server.on('request', (req, res) => void app(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;

    browser = await launchBrowser({ locale: 'zh-CN', viewport: VIEW, timezoneId: 'Asia/Shanghai' });
    const page = browser.page;
    const ui = uiSteps(browser);
    await page.goto(`http://127.0.0.1:${port}/#token=${token}`);
    await ui.login(ADMIN.username, ADMIN.password);
    await page.getByTestId('nav-system').click();
    await page.getByTestId('serve-start').waitFor();
    expect(await page.getByTestId('serve-host').inputValue()).toBe('0.0.0.0');
    expect(await page.getByTestId('serve-port').inputValue()).toBe('8443');
    await page.getByTestId('serve-panel').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await ui.shot('serve-00-form-zh');
    const officePort = await freePort();
    await page.getByTestId('serve-host').fill('127.0.0.1');
    await page.getByTestId('serve-port').fill(String(officePort));
    await page.getByTestId('serve-start').click();
    await page.getByTestId('serve-running').waitFor({ timeout: 30_000 });
    const url = `https://127.0.0.1:${officePort}`;
    expect(await page.getByTestId('serve-url').allTextContents()).toEqual([url]);
    const fingerprint = (await page.getByTestId('serve-fingerprint').textContent())!.trim();
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    // A desk: pins the fingerprint the panel shows, logs in as a collector, works.
    const agent = pinnedAgent(fingerprint);
    try {
      const call = async (method: string, input: unknown, bearer?: string) => {
        const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-AgencyDesk-Auth': 'bearer', ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) };
        const r = await pinnedRequest(agent, `${url}/api/call`, { method: 'POST', headers, body: JSON.stringify({ method, input }) });
        return JSON.parse(r.body.toString()) as { ok: boolean; value?: any };
      };
      const li = await call('auth.login', { username: 'li', password: 'Collector-pass-1' });
      expect(li.ok).toBe(true);
      expect((await call('cases.list', { limit: 5 }, li.value.token as string)).ok).toBe(true);

      // The panel follows along: the desk is counted and listed under "who is connected".
      await page.getByTestId('nav-home').click();
      await page.getByTestId('nav-system').click();
      await eventually(() => page.getByTestId('serve-connected').textContent()).toContain('1 台');
      await page.getByTestId('session-li').waitFor();
      await ui.shot('serve-01-serving-zh');
      // The README's picture: the window as the admin sees it at 1366×768, the panel in view.
      await page.getByTestId('serve-panel').evaluate((el) => {
        (el as HTMLElement).style.scrollMarginTop = '80px'; // below the app bar
        el.scrollIntoView({ block: 'start' });
      });
      await page.screenshot({ path: path.join(REPO_ROOT, 'docs/screenshots/08-serve-to-office-zh.png') });

      page.once('dialog', (d) => void d.accept());
      await page.getByTestId('serve-stop').click();
      await page.getByTestId('serve-start').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('serve-port').inputValue()).toBe(String(officePort));
      const closed = await new Promise<string>((resolve) => {
        const sock = net.connect({ host: '127.0.0.1', port: officePort });
        sock.once('connect', () => (sock.destroy(), resolve('open')));
        sock.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(closed).toBe('ECONNREFUSED');
      expect(browser.errors).toEqual([]);
    } finally {
      agent.destroy();
    }
  }, 180_000);
});
