// Unmask with a reason, in a real browser against the built web host (zh-CN, then English):
// the collector opens their case, sees the mobile masked, presses the eye, confirms "to dial", sees the full
// number with a countdown and hides it again; no eye next to the ID number for them. The manager shows a
// case's full ID number for "other" (the text is required), in English; then reads both in the access
// report and exports it as CSV.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { importCsv, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };
const COLLECTOR: Person = { username: 'zhangsan', displayName: '张三', password: 'Collector-pass-1' };
const ROWS = makeRows(2, 11, { caseNoPrefix: 'PV' });

let host: WebHost;
let browser: BrowserSession;
let page: Page;
let downloads: string;
let adminSession: string;
let lenderId: number;
let caseIds: number[];

describe('unmask with a reason (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    const admin = (adminSession = await setupAgency(host, '华信催收服务有限公司', ADMIN));
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    const zhangsan = await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: null }, admin);
    const lender = await callApi(host, 'lenders.create', { code: 'PRIV', name: '隐私贷', contact: '', rejectPolicy: 'skip_rows' }, admin);
    const job = await importCsv(host, admin, lender.id, 'privacy.csv', toCsv([PLACEMENT_HEADERS, ...ROWS]), 'PRIV-1');
    expect(job.result?.imported).toBe(2);
    const { rows } = await callApi(host, 'cases.list', { lenderId: lender.id, sort: 'id', desc: false, offset: 0, limit: 50 }, admin);
    await callApi(host, 'assign.manual', { caseIds: rows.map((r) => r.id), collectorId: zhangsan.id }, admin);
    lenderId = lender.id;
    caseIds = rows.map((r) => r.id);
    downloads = mkdtempSync(path.join(tmpdir(), 'agencydesk-e2e-privacy-'));
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  it('shows one value in full for a reason, for a short time, and reports it', async () => {
    const ui = uiSteps(browser);
    try {
      const [caseNo, , idNumber, mobile] = ROWS[0]!;
      // The collector: the mobile of their own case, to dial.
      await page.goto(host.url);
      await ui.login(COLLECTOR.username, COLLECTOR.password);
      await page.getByTestId('nav-cases').click();
      await ui.gridRows('cases-grid').first().waitFor();
      await ui.cell(ui.gridRows('cases-grid').filter({ hasText: caseNo! }), 'caseNo').click();
      await ui.settled('case-drawer');
      await eventually(() => page.getByTestId('case-mobile').textContent()).toBe(`${mobile!.slice(0, 3)}****${mobile!.slice(7)}`);
      expect(await page.getByTestId('case-id-number-unmask').count()).toBe(0); // collectors: phones only
      await page.getByTestId('case-mobile-unmask').click();
      await ui.settled('unmask-dialog');
      expect(await page.getByTestId('unmask-dialog').textContent()).toContain('拨打电话');
      await ui.shot('privacy-01-unmask-dialog-zh');
      await page.getByTestId('unmask-submit').click();
      await eventually(() => page.getByTestId('case-mobile').textContent()).toBe(mobile);
      expect(await page.getByTestId('case-mobile-countdown').textContent()).toMatch(/\d+ 秒后隐藏/);
      await ui.shot('privacy-02-unmasked-zh');
      await page.getByTestId('case-mobile-hide').click();
      await eventually(() => page.getByTestId('case-mobile').textContent()).toBe(`${mobile!.slice(0, 3)}****${mobile!.slice(7)}`);
      await page.getByTestId('case-drawer-close').click();
      await page.getByTestId('case-drawer').waitFor({ state: 'hidden' });
      await ui.logout();

      // The manager, in English: the full ID number, for "other" — the text is required.
      await ui.switchLanguage('en');
      await ui.login(MANAGER.username, MANAGER.password);
      await page.getByTestId('nav-cases').click();
      await ui.gridRows('cases-grid').first().waitFor();
      await ui.cell(ui.gridRows('cases-grid').filter({ hasText: caseNo! }), 'caseNo').click();
      await ui.settled('case-drawer');
      await eventually(() => page.getByTestId('case-id-number').textContent()).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      await page.getByTestId('case-id-number-unmask').click();
      await ui.settled('unmask-dialog');
      await ui.pick('unmask-reason', 'unmask-reason-other');
      expect(await page.getByTestId('unmask-submit').isDisabled()).toBe(true);
      await page.getByTestId('unmask-note').fill('Lender asked to confirm the borrower');
      await ui.shot('privacy-03-unmask-dialog-en');
      await page.getByTestId('unmask-submit').click();
      await eventually(() => page.getByTestId('case-id-number').textContent()).toBe(idNumber);
      expect(await page.getByTestId('case-id-number-countdown').textContent()).toMatch(/hidden again in \d+ s/);
      await page.getByTestId('case-drawer-close').click();
      await page.getByTestId('case-drawer').waitFor({ state: 'hidden' });

      // The access report: both unmaskings, by user; the manager's view of a case he does not hold.
      await page.getByTestId('nav-privacy').click();
      await page.getByTestId('access-unmasks').waitFor();
      await eventually(() => page.getByTestId('access-unmasks-row').count()).toBe(2);
      const unmasks = await page.getByTestId('access-unmasks').textContent();
      expect(unmasks).toContain('To dial the number');
      expect(unmasks).toContain('Lender asked to confirm the borrower');
      expect(await page.getByTestId('access-views').textContent()).toContain(caseNo);
      expect(await page.getByTestId('access-by-user').textContent()).toMatch(/lisi.*zhangsan/);
      await ui.shot('privacy-04-access-report-en');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('access-csv').click()]);
      const file = path.join(downloads, 'access.csv');
      await download.saveAs(file);
      const csv = readFileSync(file, 'utf8');
      expect(csv).toContain(`unmask,`);
      expect(csv).toContain(',idNumber,other,Lender asked to confirm the borrower');
      expect(csv).not.toContain(idNumber!);
      await page.getByTestId('privacy-tab-erasure').click();
      await page.getByTestId('erasure-none').waitFor();
      await ui.shot('privacy-05-erasure-en');

      // The lender recalls the second case; with 0 days' retention it is due today and erased from the screen.
      const other = ROWS[1]!;
      await callApi(host, 'recalls.bySelection', { caseIds: [caseIds[1]!], reason: '委托方召回', dryRun: false }, adminSession);
      await callApi(host, 'privacy.setRetention', { lenderId, retention: { afterReturnedDays: 0, afterSettledDays: 180 } }, adminSession);
      await page.getByTestId('privacy-tab-access').click();
      await page.getByTestId('privacy-tab-erasure').click();
      await eventually(() => page.getByTestId('erasure-due').textContent()).toContain(other[0]!);
      await page.getByTestId('erase-PRIV').click();
      await page.getByTestId('erase-confirm').click();
      await ui.notified('1 cases erased');
      await eventually(() => page.getByTestId('erasure-runs').textContent()).toContain('ERASURE-PRIV');
      await ui.shot('privacy-06-erased-en');
      await page.getByTestId('nav-cases').click();
      await eventually(() => ui.gridRows('cases-grid').filter({ hasText: other[0]! }).textContent()).toContain('已删除个人信息');
      expect(await ui.gridRows('cases-grid').filter({ hasText: other[0]! }).textContent()).not.toContain(other[1]!);
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-privacy.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});
