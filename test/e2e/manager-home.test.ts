// The manager's morning in a real browser against the built web host (zh-CN, 1366×768): a collector's plan
// waits for a decision. The manager logs in and lands on the home page: the plans card says 1 and Plans in
// the grouped navigation carries a badge of 1; the month's recovery shows against the target set for it.
// A click on the card opens Plans on its "awaiting" tab; the manager approves; back home the card says 0
// and the badge is gone. A collector lands on Today, and the navigation shows no badges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { cstDay } from './helpers/casework.js';
import { importCsv, login, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };
const COLLECTOR: Person = { username: 'zhangsan', displayName: '张三', password: 'Collector-pass-1' };
const TODAY = cstDay(Date.now());

let host: WebHost;
let browser: BrowserSession;
let mp: Page;
let planId = 0;

describe("manager's home journey (web host + Chromium)", () => {
  beforeAll(async () => {
    host = await startWebHost();
    const admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    const zhangsan = await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: null }, admin);
    const lender = await callApi(host, 'lenders.create', { code: 'PAYD', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin);
    const job = await importCsv(host, admin, lender.id, '平安i贷-home.csv', toCsv([PLACEMENT_HEADERS, ...makeRows(3, 31, { caseNoPrefix: 'MH' })]), 'PAYD-HOME-1', TODAY);
    expect(job.result?.imported).toBe(3);
    const { rows } = await callApi(host, 'cases.list', { lenderId: lender.id, sort: 'id', desc: false, offset: 0, limit: 50 }, admin);
    await callApi(host, 'assign.manual', { caseIds: rows.map((r) => r.id), collectorId: zhangsan.id }, admin);
    const collector = await login(host, COLLECTOR);
    const plan = await callApi(host, 'plans.propose', { caseId: rows[0]!.id, kind: 'extension', reason: '收入中断，下月发工资后还清', dueDate: cstDay(Date.now() + 30 * 86_400_000) }, collector);
    planId = plan.id;
    await callApi(host, 'payments.post', { caseId: rows[1]!.id, paidOn: TODAY, amountFen: 250_000, channel: 'alipay', payer: '本人' }, admin);
    await callApi(host, 'targets.set', { month: TODAY.slice(0, 7), amountFen: 1_000_000 }, admin);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
    mp = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('home → plan awaiting with a badge → approve → back home the count is 0', async () => {
    try {
      const ui = uiSteps(browser);
      await mp.goto(host.url);
      await ui.login(MANAGER.username, MANAGER.password);
      await mp.getByTestId('page-home').waitFor({ timeout: 30_000 });
      await eventually(() => mp.getByTestId('home-plans-value').textContent()).toBe('1');
      expect(await mp.getByTestId('nav-badge-plans').textContent()).toBe('1');
      expect(await mp.getByTestId('nav-badge-plans').getAttribute('aria-label')).toBe('1 个方案待审批');
      // Recovered today ¥2,500 of a ¥10,000 month target: 25 %.
      expect(await mp.getByTestId('home-today-recovered-value').textContent()).toBe('¥2,500.00');
      expect(await mp.getByTestId('home-month-recovered').textContent()).toContain('完成目标 ¥10,000.00 的 25%');
      // The menu is grouped; the manager's groups in order (admin: Users, which a manager may read).
      const groups = await mp.locator('[data-testid^="nav-group-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
      expect(groups).toEqual(['nav-group-daily', 'nav-group-portfolio', 'nav-group-money', 'nav-group-reports', 'nav-group-admin']);
      expect(await mp.getByTestId('nav-group-money').getByRole('button').allTextContents()).toEqual(['回款', '协商方案1']);
      await ui.shot('manager-home-01-zh');

      await mp.getByTestId('home-plans').click();
      await mp.getByTestId('page-plans').waitFor();
      await mp.getByTestId(`plan-${planId}-approve`).click();
      await ui.settled('decide-dialog');
      await mp.getByTestId('decide-note').fill('同意延期');
      await mp.getByTestId('decide-dialog-submit').click();
      await mp.getByTestId('decide-dialog').waitFor({ state: 'detached' });

      await mp.getByTestId('nav-home').click();
      await eventually(() => mp.getByTestId('home-plans-value').textContent()).toBe('0');
      await eventually(() => mp.getByTestId('nav-badge-plans').count()).toBe(0);
      await ui.shot('manager-home-02-after-approve-zh');

      // The dashboard shows the month's target with its progress.
      await mp.getByTestId('nav-dashboard').click();
      await eventually(() => mp.getByTestId('dash-targets-agency').textContent()).toBe('全机构已回款 ¥2,500.00，目标 ¥10,000.00（25.00%）');
      await mp.getByTestId('dash-targets').scrollIntoViewIfNeeded();
      await ui.shot('manager-home-03-dashboard-targets-zh');
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await mp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-manager-home.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});
