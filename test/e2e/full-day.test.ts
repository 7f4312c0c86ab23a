// The full working day of issue 18 in Chromium against the built web host, 1366×768, zh-CN, the test clock
// at a daytime instant. Seeded through the API: lender PAYD (4 cases, placement ending in 5 days) held by
// collector zhangsan, one with a promise made and due yesterday, unpaid (a broken promise: seeded on a host whose
// clock is a day back, then the host restarted on today's clock) and one with a plan
// awaiting a decision; lender ZAXD (2 cases of one borrower) held by collector wangwu.
// Collector: log in → Today (each tab's count is its rows) → N opens the next case (keyboard) → an inbound
// call from contact 1 → L, a promise, Ctrl+Enter (N typed in the note does nothing) → the case leaves "to
// call" → search by 尾号 → a complaint on another case → it leaves the outbound queues.
// Manager's morning: home (cards and counts) → approve the plan → broken promises → the complaint answered
// and closed → placement ending: the cases list filtered by 委案到期 → moving one of a borrower's two cases
// asks first and moves both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { cstDay, daytimeInstant, tabUi } from './helpers/casework.js';
import { login, setupAgency, upload, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';
import { QUEUES } from '../../shared/contract/assignment.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };
const COLLECTOR: Person = { username: 'zhangsan', displayName: '张三', password: 'Collector-pass-1' };
const OTHER: Person = { username: 'wangwu', displayName: '王五', password: 'Collector-pass-2' };
const T = daytimeInstant();
const TODAY = cstDay(T);
const ID_COL = PLACEMENT_HEADERS.indexOf('身份证号');
const PAYD = makeRows(4, 41, { caseNoPrefix: 'FD' });
const ZAXD = makeRows(2, 42, { caseNoPrefix: 'ZX' });
// One borrower (same ID number and name) with two cases.
ZAXD[1]![ID_COL] = ZAXD[0]![ID_COL]!;
ZAXD[1]![1] = ZAXD[0]![1]!;

let host: WebHost;
/** The store both hosts (yesterday's and today's) open; removed at the end. */
let storeDir = '';
let browser: BrowserSession;
let cp: Page;
let mp: Page;
let planId = 0;
let brokenAttempt = 0;
let complaintCaseNo = '';

async function place(session: string, lenderId: number, rows: string[][], batchNo: string, termEndDate: string) {
  const file = await upload(host, session, `${batchNo}.csv`, toCsv([PLACEMENT_HEADERS, ...rows]));
  const { jobId } = await callApi(host, 'import.start', { lenderId, file, batchNo, placementDate: cstDay(T - 20 * 86_400_000), termEndDate }, session);
  for (let i = 0; i < 600; i++) {
    const job = await callApi(host, 'import.status', { jobId }, session);
    if (job.state === 'done') return (await callApi(host, 'cases.list', { lenderId, sort: 'id', desc: false, offset: 0, limit: 50 }, session)).rows;
    if (job.state !== 'running') throw new Error(`import ${job.state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import still running');
}

describe('a full working day: the collector and the manager (web host + Chromium)', () => {
  beforeAll(async () => {
    // Yesterday: the cases arrive and the borrower of a[3] promises to pay that day. Today (the host restarted on
    // the same store with its clock a day on) nothing has come: the promise is broken, honestly — a promise cannot
    // be dated before the day it is made.
    storeDir = mkdtempSync(path.join(tmpdir(), 'agencydesk-e2e-fullday-'));
    const YESTERDAY = T - 86_400_000;
    host = await startWebHost({ storeDir, env: { AGENCYDESK_TEST_CLOCK: new Date(YESTERDAY).toISOString() } });
    let admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    const zhangsan = await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: null }, admin);
    const wangwu = await callApi(host, 'users.create', { ...OTHER, role: 'collector', teamId: null }, admin);
    const payd = await callApi(host, 'lenders.create', { code: 'PAYD', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin);
    const zaxd = await callApi(host, 'lenders.create', { code: 'ZAXD', name: '众安小贷', contact: '', rejectPolicy: 'skip_rows' }, admin);
    const a = await place(admin, payd.id, PAYD, 'PAYD-DAY-1', cstDay(T + 5 * 86_400_000));
    const b = await place(admin, zaxd.id, ZAXD, 'ZAXD-DAY-1', cstDay(T + 60 * 86_400_000));
    await callApi(host, 'assign.manual', { caseIds: a.map((r) => r.id), collectorId: zhangsan.id, confirmSplit: false }, admin);
    await callApi(host, 'assign.manual', { caseIds: b.map((r) => r.id), collectorId: wangwu.id, confirmSplit: false }, admin);
    let collector = await login(host, COLLECTOR);
    const call = { caseId: a[3]!.id, channel: 'phone' as const, party: 'borrower' as const, direction: 'inbound' as const, companions: [], durationSec: 90, note: '' };
    const promised = await callApi(host, 'contacts.log', { ...call, outcome: 'promised_to_pay', promise: { amountFen: 50_000, date: cstDay(YESTERDAY) } }, collector);
    brokenAttempt = promised.id;
    expect((await callApi(host, 'promises.list', { states: ['broken'], limit: 10 }, admin)).promises).toEqual([]);
    await host.stop();

    host = await startWebHost({ storeDir, env: { AGENCYDESK_TEST_CLOCK: new Date(T).toISOString() } });
    admin = await login(host, ADMIN);
    collector = await login(host, COLLECTOR);
    // This morning the borrower rings to say the money has not come yet: the case starts today as contacted.
    await callApi(host, 'contacts.log', { ...call, outcome: 'connected' }, collector);
    const broken = await callApi(host, 'promises.list', { states: ['broken'], limit: 10 }, admin);
    expect(broken.promises.map((p) => p.attemptId)).toEqual([brokenAttempt]);
    planId = (await callApi(host, 'plans.propose', { caseId: a[2]!.id, kind: 'extension', reason: '收入中断，下月发工资后还清', dueDate: cstDay(T + 30 * 86_400_000) }, collector)).id;
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
    cp = browser.page;
    mp = await browser.context.newPage();
    mp.on('pageerror', (e) => browser.errors.push(`manager pageerror: ${e.message}`));
    mp.on('console', (m) => m.type() === 'error' && browser.errors.push(`manager console: ${m.text()}`));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (storeDir) rmSync(storeDir, { recursive: true, force: true });
  });

  it("the collector's day, keyboard first", async () => {
    try {
      await collectorDay();
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await cp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-full-day-collector.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });

  it("the manager's morning", async () => {
    try {
      await managerMorning();
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await mp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-full-day-manager.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});

/** Each tab's count against the rows it shows (the grid's rows: all of them fit at these sizes). */
async function countsMatchRows(ui: ReturnType<typeof uiSteps>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const tab of ['all', ...QUEUES]) {
    await cp.getByTestId(`today-tab-${tab}`).click();
    const n = Number((await cp.getByTestId(`today-count-${tab}`).textContent())!.replace(/,/g, ''));
    await eventually(() => ui.gridRows('today-grid').count()).toBe(n);
    counts[tab] = n;
  }
  await cp.getByTestId('today-tab-all').click();
  await cp.waitForTimeout(400); // the tab indicator slides back before a screenshot
  return counts;
}

async function collectorDay(): Promise<void> {
  const ui = uiSteps(browser);
  await cp.bringToFront();
  await cp.goto(host.url);
  await ui.login(COLLECTOR.username, COLLECTOR.password);
  await cp.getByTestId('page-today').waitFor({ timeout: 30_000 });
  await eventually(() => cp.getByTestId('today-count-all').textContent()).toBe('3');
  const before = await countsMatchRows(ui);
  expect(before).toMatchObject({ all: 3, new: 3, contacted: 1 });
  expect(await cp.getByTestId('today-keys').textContent()).toContain('N 下一个案件');
  await ui.shot('full-day-01-today-zh');

  // N opens the first case of the list, N again the next one.
  const rows = await ui.gridRows('today-grid').evaluateAll((els) => els.map((e) => e.querySelector('[data-field="caseNo"]')?.textContent ?? ''));
  await cp.locator('body').press('n');
  await ui.settled('case-drawer');
  await eventually(() => cp.getByTestId('case-drawer-title').textContent()).toContain(rows[0]!);
  await cp.getByTestId('case-drawer-title').click(); // focus inside the drawer: its keys still work
  await cp.keyboard.press('n');
  await eventually(() => cp.getByTestId('case-drawer-title').textContent()).toContain(rows[1]!);
  const caseNo = rows[1]!;

  // Contact 1 (the borrower's father) calls in: recorded although calling him would be too early.
  await cp.getByTestId('case-contact-1-log').click();
  await ui.settled('log-dialog');
  await ui.pick('attempt-direction', 'attempt-direction-inbound');
  await ui.pick('attempt-outcome', 'attempt-outcome-connected');
  await cp.getByTestId('log-check-ok').waitFor();
  await cp.getByTestId('attempt-note').fill('借款人父亲来电，称本人今天回电');
  await cp.getByTestId('log-dialog-submit').click();
  await cp.getByTestId('log-dialog').waitFor({ state: 'detached' });
  await eventually(() => cp.getByTestId('timeline-attempt').count()).toBe(1);

  // The borrower rings back: L opens the log form, the promise, Ctrl+Enter saves. Typing N or L in the
  // note is text, not a shortcut.
  await cp.getByTestId('case-drawer-title').click();
  await cp.keyboard.press('l');
  await ui.settled('log-dialog');
  await ui.pick('attempt-direction', 'attempt-direction-inbound');
  await ui.pick('attempt-outcome', 'attempt-outcome-promised_to_pay');
  await cp.getByTestId('attempt-promise-amount').fill('800');
  await cp.getByTestId('attempt-promise-date').fill(cstDay(T + 2 * 86_400_000));
  await cp.getByTestId('attempt-note').click();
  await cp.keyboard.type('本人来电承诺 n l N');
  expect(await cp.getByTestId('attempt-note').inputValue()).toBe('本人来电承诺 n l N');
  expect(await cp.getByTestId('case-drawer-title').textContent()).toContain(caseNo);
  expect(await cp.getByTestId('log-dialog-keys').textContent()).toBe('Ctrl+Enter 保存');
  await ui.shot('full-day-02-promise-ctrl-enter-zh');
  await cp.getByTestId('attempt-note').focus(); // the screenshot may have closed a notification, taking the focus
  await cp.keyboard.press('Control+Enter');
  await cp.getByTestId('log-dialog').waitFor({ state: 'detached' });
  await eventually(() => cp.getByTestId('timeline-attempt').count()).toBe(2);

  // The case has left "to call" for contacted today.
  await cp.keyboard.press('Escape');
  await cp.getByTestId('case-drawer').waitFor({ state: 'detached' });
  await eventually(() => cp.getByTestId('today-count-all').textContent()).toBe('2');
  expect(await ui.gridRows('today-grid').allTextContents()).not.toContainEqual(expect.stringContaining(caseNo));
  expect(await countsMatchRows(ui)).toMatchObject({ all: 2, contacted: 2 });
  await ui.shot('full-day-03-left-to-call-zh');

  // 尾号: the caller gives the last four digits of the mobile of a case still to call.
  const target = PAYD.find((r) => r[0] !== caseNo && r[0] !== PAYD[3]![0] && r[0] !== PAYD[2]![0])!;
  complaintCaseNo = target[0]!;
  await cp.getByTestId('nav-cases').click();
  await cp.getByTestId('cases-search').fill(target[3]!.slice(-4));
  await eventually(() => ui.gridRows('cases-grid').count()).toBe(1);
  expect(await ui.cell(ui.gridRows('cases-grid').first(), 'caseNo').textContent()).toBe(complaintCaseNo);
  expect(await cp.getByTestId(`case-matched-${complaintCaseNo}`).textContent()).toBe('借款人手机');
  await ui.shot('full-day-04-search-tail-zh');

  // A complaint from the caller: the case is held.
  await ui.cell(ui.gridRows('cases-grid').first(), 'caseNo').click();
  await ui.settled('case-drawer');
  await cp.getByTestId('complaint-record').click();
  await ui.settled('complaint-record-dialog');
  await cp.getByTestId('complaint-what').fill('借款人来电投诉：催收员在午休时间多次来电');
  await cp.getByTestId('complaint-record-save').click();
  await cp.getByTestId('complaint-record-dialog').waitFor({ state: 'detached' });
  await cp.getByTestId('complaint-held').waitFor();
  await ui.shot('full-day-05-complaint-zh');
  await cp.getByTestId('case-drawer-close').click();

  // Back on Today the case is in no outbound queue.
  await cp.getByTestId('nav-today').click();
  await eventually(() => cp.getByTestId('today-count-all').textContent()).toBe('1');
  expect(await ui.gridRows('today-grid').allTextContents()).not.toContainEqual(expect.stringContaining(complaintCaseNo));
  expect(await countsMatchRows(ui)).toMatchObject({ all: 1, contacted: 2 });
  await ui.shot('full-day-06-today-after-complaint-zh');
}

async function managerMorning(): Promise<void> {
  const ui = tabUi(browser, mp);
  await mp.bringToFront();
  await mp.goto(host.url);
  await ui.login(MANAGER.username, MANAGER.password);
  await mp.getByTestId('page-home').waitFor({ timeout: 30_000 });
  await eventually(() => mp.getByTestId('home-plans-value').textContent()).toBe('1');
  expect(await mp.getByTestId('home-broken-value').textContent()).toBe('1');
  expect(await mp.getByTestId('home-complaints-value').textContent()).toBe('1');
  expect(await mp.getByTestId('home-term-value').textContent()).toBe('4');
  await ui.shot('full-day-10-manager-home-zh');

  // Approve the plan.
  await mp.getByTestId('home-plans').click();
  await mp.getByTestId('page-plans').waitFor();
  await mp.getByTestId(`plan-${planId}-approve`).click();
  await ui.settled('decide-dialog');
  await mp.getByTestId('decide-note').fill('同意延期');
  await mp.getByTestId('decide-dialog-submit').click();
  await mp.getByTestId('decide-dialog').waitFor({ state: 'detached' });

  // Broken promises, from the home card.
  await mp.getByTestId('nav-home').click();
  await eventually(() => mp.getByTestId('home-plans-value').textContent()).toBe('0');
  await mp.getByTestId('home-broken').click();
  await mp.getByTestId('page-plans').waitFor();
  await mp.getByTestId(`broken-${brokenAttempt}`).waitFor();
  await ui.shot('full-day-11-broken-promises-zh');

  // The complaint the collector recorded: answered, then closed.
  await mp.getByTestId('nav-complaints').click();
  await eventually(() => ui.gridRows('complaints-grid').count()).toBe(1);
  const crow = ui.gridRows('complaints-grid').first();
  expect(await ui.cell(crow, 'caseNo').textContent()).toBe(complaintCaseNo);
  await crow.getByRole('button', { name: '答复' }).click();
  await ui.settled('complaint-answer-dialog');
  await mp.getByTestId('complaint-answer-text').fill('已核实通话记录，向借款人致歉并调整联系时间');
  await mp.getByTestId('complaint-answer-save').click();
  await mp.getByTestId('complaint-answer-dialog').waitFor({ state: 'detached' });
  await eventually(() => ui.cell(ui.gridRows('complaints-grid').first(), 'status').textContent()).toBe('已答复');
  await ui.shot('full-day-12-complaint-answered-zh');
  await ui.gridRows('complaints-grid').first().getByRole('button', { name: '关闭（解除）' }).click();
  await ui.settled('complaint-close-dialog');
  await mp.getByTestId('complaint-close-text').fill('借款人接受答复');
  await mp.getByTestId('complaint-close-save').click();
  await mp.getByTestId('complaint-close-dialog').waitFor({ state: 'detached' });
  await eventually(() => ui.gridRows('complaints-grid').count()).toBe(0);

  // Placements ending: the card opens the cases list filtered by 委案到期 within the warning window.
  await mp.getByTestId('nav-home').click();
  await eventually(() => mp.getByTestId('home-complaints-value').textContent()).toBe('0');
  await mp.getByTestId('home-term').click();
  await mp.getByTestId('page-cases').waitFor();
  await eventually(() => ui.gridRows('cases-grid').count()).toBe(4);
  expect(await mp.getByTestId('cases-term-end').textContent()).toBe('14天内到期');
  expect(await ui.gridRows('cases-grid').allTextContents()).not.toContainEqual(expect.stringContaining('ZX'));
  await ui.shot('full-day-13-term-ending-zh');

  // Giving one of a borrower's two cases to zhangsan asks first; "all together" moves both.
  await mp.getByTestId('cases-clear').click();
  await mp.getByTestId('cases-search').fill(ZAXD[0]![0]!);
  await eventually(() => ui.gridRows('cases-grid').count()).toBe(1);
  await ui.gridRows('cases-grid').first().locator('input[type="checkbox"]').check();
  await mp.getByTestId('cases-give').click();
  await ui.settled('give-dialog');
  await ui.pick('give-collector', `give-collector-${COLLECTOR.username}`);
  await mp.getByTestId('give-dialog-submit').click();
  await ui.settled('split-dialog');
  expect(await mp.getByTestId('split-dialog').textContent()).toContain(ZAXD[1]![0]!);
  expect(await mp.getByTestId('split-dialog').textContent()).toContain('王五');
  await mp.waitForFunction(() => getComputedStyle(document.querySelector('[data-testid="split-dialog"]')!.closest('.MuiDialog-container')!).opacity === '1');
  await ui.shot('full-day-14-split-question-zh');
  await mp.getByTestId('split-all').click();
  await mp.getByTestId('split-dialog').waitFor({ state: 'detached' });
  await ui.notified('2');
  await mp.getByTestId('cases-search').fill('ZX');
  await eventually(() => ui.gridRows('cases-grid').count()).toBe(2);
  expect(await ui.gridRows('cases-grid').allTextContents()).toEqual([expect.stringContaining(COLLECTOR.username), expect.stringContaining(COLLECTOR.username)]);
}
