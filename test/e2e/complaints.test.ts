// Complaints in a real browser against the built web host, at 1366×768 in zh-CN, collector and manager
// each in their own tab. Seeded through the API: a lender, a 3-case placement held by collector zhangsan,
// manager lisi, and one complaint received ten days ago on the third case (overdue, unanswered).
// The collector opens a case from Today, records a complaint (the case shows 投诉 and the hold), is refused
// an outbound call with the plain reason, and the case leaves the "to call" part of Today. The manager opens
// 投诉管理: both complaints, the overdue one in red (screenshot); answers and closes the new one; the
// collector's Today has the case back to call.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { daytimeInstant, openLog, tabUi } from './helpers/casework.js';
import { importCsv, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };
const COLLECTOR: Person = { username: 'zhangsan', displayName: '张三', password: 'Collector-pass-1' };
const T = daytimeInstant();

let host: WebHost;
let browser: BrowserSession;
let cp: Page;
let mp: Page;
let admin: string;
let overdueId = 0;

describe('complaints journey (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost({ env: { AGENCYDESK_TEST_CLOCK: new Date(T).toISOString() } });
    admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    const zhangsan = await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: null }, admin);
    const lender = await callApi(host, 'lenders.create', { code: 'PAYD', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin);
    const job = await importCsv(host, admin, lender.id, '平安i贷-202504.csv', toCsv([PLACEMENT_HEADERS, ...makeRows(3, 17, { caseNoPrefix: 'TS' })]), 'PAYD-2025-04-T');
    expect(job.result?.imported).toBe(3);
    const { rows } = await callApi(host, 'cases.list', { lenderId: lender.id, sort: 'id', desc: false, offset: 0, limit: 50 }, admin);
    await callApi(host, 'assign.manual', { caseIds: rows.map((r) => r.id), collectorId: zhangsan.id }, admin);
    const old = await callApi(
      host,
      'complaints.record',
      { caseId: rows[2]!.id, channel: 'regulator', from: 'borrower', what: '12378 转办：反映催收电话过于频繁', receivedAt: new Date(T - 10 * 86_400_000).toISOString(), againstUserId: zhangsan.id },
      admin,
    );
    overdueId = old.id;
    expect(old.overdue).toBe(true);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
    cp = browser.page;
    mp = await browser.context.newPage();
    mp.on('pageerror', (e) => browser.errors.push(`manager pageerror: ${e.message}`));
    mp.on('console', (m) => m.type() === 'error' && browser.errors.push(`manager console: ${m.text()}`));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('a collector records a complaint, the case leaves "to call", a manager answers and clears it', async () => {
    try {
      const caseNo = await collectorRecords();
      await managerClears(caseNo);
      await collectorHasItBack();
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await cp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-complaints-collector.png') }).catch(() => {});
      await mp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-complaints-manager.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});

async function collectorRecords(): Promise<string> {
  const ui = uiSteps(browser);
  await cp.bringToFront();
  await cp.goto(host.url);
  await ui.login(COLLECTOR.username, COLLECTOR.password);
  await cp.getByTestId('page-today').waitFor({ timeout: 30_000 });
  // The case with the overdue complaint is held already: two of three to call.
  await eventually(() => cp.getByTestId('today-count-all').textContent()).toBe('2');
  const first = ui.gridRows('today-grid').first();
  const caseNo = (await ui.cell(first, 'caseNo').textContent())!;
  await ui.cell(first, 'caseNo').click();
  await ui.settled('case-drawer');
  await eventually(() => cp.getByTestId('case-drawer-title').textContent()).toContain(caseNo);

  await cp.getByTestId('complaint-record').click();
  await ui.settled('complaint-record-dialog');
  await cp.getByTestId('complaint-what').fill('借款人来电投诉：催收员多次在午休时间来电');
  await cp.getByTestId('complaint-record-save').click();
  await cp.getByTestId('complaint-record-dialog').waitFor({ state: 'detached' });
  await cp.getByTestId('complaint-held').waitFor();
  await cp.getByTestId('case-flag-complaint').first().waitFor();
  await ui.shot('complaints-01-case-recorded-zh');

  // An outbound call is refused with the rule's plain reason.
  await openLog(cp, ui, null, 'no_answer');
  await eventually(() => cp.getByTestId('check-rules-complaint_open').textContent()).toContain('投诉处理中');
  await cp.getByTestId('log-dialog-submit').click();
  await eventually(() => cp.getByTestId('log-refusal').textContent()).toContain('投诉处理中');
  await cp.getByTestId('log-dialog').getByRole('button', { name: '取消' }).click();
  await cp.getByTestId('log-dialog').waitFor({ state: 'detached' });
  await cp.getByTestId('case-drawer-close').click();
  await eventually(() => cp.getByTestId('today-count-all').textContent()).toBe('1');
  expect(await ui.gridRows('today-grid').allTextContents()).not.toContainEqual(expect.stringContaining(caseNo));
  return caseNo;
}

async function managerClears(caseNo: string): Promise<void> {
  const ui = tabUi(browser, mp);
  await mp.bringToFront();
  await mp.goto(host.url);
  await ui.login(MANAGER.username, MANAGER.password);
  await mp.getByTestId('page-home').waitFor({ timeout: 30_000 });
  await mp.getByTestId('nav-complaints').click();
  await eventually(() => ui.gridRows('complaints-grid').count()).toBe(2);
  // Soonest due first: the overdue one, in red, then the new one.
  expect(await mp.getByTestId(`complaint-due-${overdueId}`).textContent()).toContain('已超期');
  const color = await mp.getByTestId(`complaint-due-${overdueId}`).evaluate((el) => getComputedStyle(el).color);
  expect(color).toBe('rgb(211, 47, 47)');
  const row = ui.gridRows('complaints-grid').nth(1);
  expect(await ui.cell(row, 'caseNo').textContent()).toBe(caseNo);
  expect(await ui.cell(row, 'status').textContent()).toBe('待答复');
  await ui.shot('complaints-02-list-zh');

  await row.getByRole('button', { name: '答复' }).click();
  await ui.settled('complaint-answer-dialog');
  await mp.getByTestId('complaint-answer-text').fill('已调取通话录音核实，向借款人致歉并调整联系时间');
  await mp.getByTestId('complaint-answer-save').click();
  await mp.getByTestId('complaint-answer-dialog').waitFor({ state: 'detached' });
  await eventually(() => ui.cell(ui.gridRows('complaints-grid').nth(1), 'status').textContent()).toBe('已答复');
  await ui.gridRows('complaints-grid').nth(1).getByRole('button', { name: '关闭（解除）' }).click();
  await ui.settled('complaint-close-dialog');
  await mp.getByTestId('complaint-close-text').fill('借款人接受答复');
  await mp.getByTestId('complaint-close-save').click();
  await mp.getByTestId('complaint-close-dialog').waitFor({ state: 'detached' });
  await eventually(() => ui.gridRows('complaints-grid').count()).toBe(1);
  await mp.getByTestId('complaints-show-closed').click();
  // The open list also has one row (the other complaint): wait for the closed one to replace it.
  await eventually(() => ui.cell(ui.gridRows('complaints-grid').first(), 'caseNo').textContent()).toBe(caseNo);
  expect(await ui.gridRows('complaints-grid').count()).toBe(1);
}

async function collectorHasItBack(): Promise<void> {
  await cp.bringToFront();
  await cp.getByTestId('today-refresh').click();
  await eventually(() => cp.getByTestId('today-count-all').textContent()).toBe('2');
}
