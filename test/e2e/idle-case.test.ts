// The idle lock keeps the collector where they were, down to the case whose drawer was open: after
// unlocking with their password, that same case opens again (issue 18: "the idle lock keeps place").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { daytimeInstant } from './helpers/casework.js';
import { importCsv, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const COLLECTOR: Person = { username: 'lisi', displayName: '李四', password: 'Collector-pass-2' };
const ROWS = makeRows(3, 32, { caseNoPrefix: 'IL' });

let host: WebHost;
let browser: BrowserSession;

describe('idle lock with a case open (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost({ env: { AGENCYDESK_TEST_CLOCK: new Date(daytimeInstant()).toISOString() } });
    const admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    await callApi(host, 'settings.update', { idleLockMinutes: 1 }, admin);
    const lisi = await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: null }, admin);
    const lender = await callApi(host, 'lenders.create', { code: 'IDLE', name: '闲置测试', contact: '', rejectPolicy: 'skip_rows' }, admin);
    const job = await importCsv(host, admin, lender.id, 'idle.csv', toCsv([PLACEMENT_HEADERS, ...ROWS]), 'IDLE-1');
    expect(job.result?.imported).toBe(3);
    const { rows } = await callApi(host, 'cases.list', { lenderId: lender.id, sort: 'id', desc: false, offset: 0, limit: 50 }, admin);
    await callApi(host, 'assign.manual', { caseIds: rows.map((r) => r.id), collectorId: lisi.id }, admin);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('unlocking opens the case that was open when the lock came', async () => {
    const page = browser.page;
    const ui = uiSteps(browser);
    try {
      await page.clock.install();
      await page.goto(host.url);
      await ui.login(COLLECTOR.username, COLLECTOR.password);
      await page.getByTestId('page-today').waitFor({ timeout: 30_000 });
      await eventually(() => ui.gridRows('today-grid').count()).toBe(3);
      // The second case, so that "the first row" cannot pass for it.
      const second = ui.gridRows('today-grid').nth(1);
      const caseNo = (await ui.cell(second, 'caseNo').textContent())!;
      await ui.cell(second, 'caseNo').click();
      await ui.settled('case-drawer');
      await eventually(() => page.getByTestId('case-drawer-title').textContent()).toContain(caseNo);

      await page.clock.fastForward('01:10');
      await page.getByTestId('login-screen').waitFor();
      expect(await page.getByTestId('login-username').inputValue()).toBe(COLLECTOR.username);
      await page.getByTestId('login-password').fill(COLLECTOR.password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('page-today').waitFor({ timeout: 30_000 });
      await eventually(() => page.getByTestId('case-drawer-title').textContent()).toContain(caseNo);

      // Closed, it stays closed through the next lock.
      await page.getByTestId('case-drawer-close').click();
      await page.getByTestId('case-drawer-title').waitFor({ state: 'hidden' });
      await page.clock.fastForward('01:10');
      await page.getByTestId('login-screen').waitFor();
      await page.getByTestId('login-password').fill(COLLECTOR.password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('page-today').waitFor({ timeout: 30_000 });
      await eventually(() => ui.gridRows('today-grid').count()).toBe(3);
      expect(await page.getByTestId('case-drawer-title').count()).toBe(0);
    } catch (e) {
      await browser.screenshot('failure-idle-case').catch(() => {});
      throw e;
    }
  });
});
