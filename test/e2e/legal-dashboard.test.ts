// Legal referral and the managers' dashboard in a real browser against the built web host (zh-CN, then
// English), 1366×768. Seeded through the API: a lender, a 4-case placement held by collector zhangsan,
// one case in contact with a file attached, a payment and a kept promise on another.
// The manager refers the contact case from its work view (firm, lawyer, the attached file and a paper
// document, court, next date, reason) → the case is in 法务; records a hearing ahead (it becomes the next
// date) and a cost; sees the case in the Legal list with its next date. The collector sees the referral
// read-only. The manager opens the Dashboard: the totals match what was seeded; by collector; in English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { cstDay, tabUi } from './helpers/casework.js';
import { importCsv, login, setupAgency, upload, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };
const COLLECTOR: Person = { username: 'zhangsan', displayName: '张三', password: 'Collector-pass-1' };
// Today: the attempts are logged now (as inbound calls, so at any hour) and the promise is kept today.
const T = Date.now();
const TODAY = cstDay(Date.now());
const HEARING = cstDay(Date.now() + 20 * 86_400_000);
const NEXT = cstDay(Date.now() + 30 * 86_400_000);

let host: WebHost;
let browser: BrowserSession;
let mp: Page;
let cp: Page;
let admin: string;
let caseNo = '';
let placedFen = 0;

const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

describe('legal referral and dashboard journey (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    const zhangsan = await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: null }, admin);
    const lender = await callApi(host, 'lenders.create', { code: 'PAYD', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin);
    const job = await importCsv(host, admin, lender.id, '平安i贷-202511.csv', toCsv([PLACEMENT_HEADERS, ...makeRows(4, 21, { caseNoPrefix: 'LG' })]), 'PAYD-2025-11-L', cstDay(T)); // placed by the day the payment is dated
    expect(job.result?.imported).toBe(4);
    const { rows } = await callApi(host, 'cases.list', { lenderId: lender.id, sort: 'id', desc: false, offset: 0, limit: 50 }, admin);
    await callApi(host, 'assign.manual', { caseIds: rows.map((r) => r.id), collectorId: zhangsan.id }, admin);
    placedFen = rows.reduce((s, r) => s + r.overdueAmountFen, 0);
    const [first, second] = rows;
    caseNo = first!.caseNo;
    await callApi(host, 'cases.move', { caseId: first!.id, to: 'contact' }, admin);
    const file = await upload(host, admin, '借款合同.pdf', '%PDF-1.4 借款合同');
    await callApi(host, 'cases.attach', { caseId: first!.id, file, note: '借款合同扫描件' }, admin);
    // A promise kept the same day by a payment, on the second case.
    const collector = await login(host, COLLECTOR);
    // Logged now (an attempt is never dated before its case came): as calls from the borrowers, which
    // quiet hours do not concern, so the journey runs at any hour.
    await callApi(host, 'contacts.log', { caseId: first!.id, channel: 'phone', direction: 'inbound', outcome: 'no_answer' }, collector);
    await callApi(host, 'contacts.log', { caseId: second!.id, channel: 'phone', direction: 'inbound', outcome: 'promised_to_pay', durationSec: 90, promise: { amountFen: 100_000, date: cstDay(T) } }, collector);
    await callApi(host, 'payments.post', { caseId: second!.id, paidOn: cstDay(T), amountFen: 123_456, channel: 'alipay', payer: '本人' }, admin);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
    mp = browser.page;
    cp = await browser.context.newPage();
    cp.on('pageerror', (e) => browser.errors.push(`collector pageerror: ${e.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('refers a case, records its events, lists it, and shows the dashboard', async () => {
    try {
      await managerRefers();
      await managerRecords();
      await collectorReads();
      await managerDashboard();
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await mp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-legal-manager.png') }).catch(() => {});
      await cp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-legal-collector.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});

async function managerRefers(): Promise<void> {
  const ui = uiSteps(browser);
  await mp.goto(host.url);
  await ui.login(MANAGER.username, MANAGER.password);
  await mp.getByTestId('page-home').waitFor({ timeout: 30_000 });
  await mp.getByTestId('nav-cases').click();
  await mp.getByTestId('cases-search').fill(caseNo);
  await eventually(() => mp.getByTestId('cases-total').textContent()).toBe('共 1 个案件');
  await ui.cell(ui.gridRows('cases-grid').first(), 'caseNo').click();
  await ui.settled('case-drawer');
  await mp.getByTestId('legal-refer').click();
  await ui.settled('refer-dialog');
  // Without a firm or a reason the form says what is missing.
  await mp.getByTestId('refer-dialog-submit').click();
  await eventually(() => mp.getByTestId('refer-reason').getAttribute('aria-invalid')).toBe('true');
  await mp.getByTestId('refer-lawFirm').fill('北京市金诚律师事务所');
  await mp.getByTestId('refer-lawyer').fill('王律师');
  await mp.getByTestId('refer-court').fill('北京市朝阳区人民法院');
  await mp.getByTestId('refer-nextDate').fill(NEXT);
  await mp.getByTestId('refer-nextWhat').fill('提交立案材料');
  await mp.getByTestId('refer-dialog').getByRole('checkbox').first().check();
  await mp.getByTestId('refer-documentNames').fill('借款合同原件\n催收记录');
  await mp.getByTestId('refer-reason').fill('失联超过 60 天，委托方同意起诉');
  await ui.shot('legal-01-refer-dialog-zh');
  await mp.getByTestId('refer-dialog-submit').click();
  await mp.getByTestId('refer-dialog').waitFor({ state: 'detached' });
  await eventually(() => mp.getByTestId('case-stage').textContent()).toBe('法务');
  await mp.getByTestId('legal-view').waitFor();
  await eventually(() => mp.getByTestId('case-history-legal').first().textContent()).toContain('委托 北京市金诚律师事务所（王律师）诉讼');
  expect(await mp.getByTestId('case-history-stage').first().textContent()).toContain('联系 → 法务 · 失联超过 60 天，委托方同意起诉');
}

async function managerRecords(): Promise<void> {
  const ui = uiSteps(browser);
  await mp.getByTestId('legal-view').click();
  await ui.settled('legal-detail');
  expect(await mp.getByTestId('legal-detail-status').textContent()).toBe('已委托');
  expect(await mp.getByTestId('legal-detail-documents').textContent()).toBe('借款合同.pdf (案件文件)、借款合同原件、催收记录');
  // A hearing ahead: it becomes the next date and the status moves on.
  await mp.getByTestId('legal-add-event').click();
  await ui.settled('legal-event-dialog');
  await ui.pick('legal-event-kind', 'legal-event-kind-hearing');
  await mp.getByTestId('legal-event-date').fill(HEARING);
  await mp.getByTestId('legal-event-note').fill('第三法庭 上午 9:30');
  await mp.getByTestId('legal-event-dialog-submit').click();
  await mp.getByTestId('legal-event-dialog').waitFor({ state: 'detached' });
  await eventually(() => mp.getByTestId('legal-detail-status').textContent()).toBe('待开庭');
  expect(await mp.getByTestId('legal-detail-next').textContent()).toBe(`下一节点 ${HEARING} · 开庭`);
  // A cost: a bad amount is refused in the form, a good one adds to the costs.
  await mp.getByTestId('legal-add-event').click();
  await ui.settled('legal-event-dialog');
  await ui.pick('legal-event-kind', 'legal-event-kind-cost');
  await mp.getByTestId('legal-event-amount').fill('12.345');
  await mp.getByTestId('legal-event-dialog-submit').click();
  await eventually(() => mp.getByTestId('legal-event-amount').getAttribute('aria-invalid')).toBe('true');
  await mp.getByTestId('legal-event-amount').fill('1,500');
  await mp.getByTestId('legal-event-note').fill('诉讼费');
  await mp.getByTestId('legal-event-dialog-submit').click();
  await mp.getByTestId('legal-event-dialog').waitFor({ state: 'detached' });
  await eventually(() => mp.getByTestId('legal-detail-cost').textContent()).toBe('¥1,500.00');
  await eventually(() => mp.getByTestId('legal-events').locator('tbody tr').count()).toBe(2);
  await ui.shot('legal-02-referral-detail-zh');
  await mp.getByTestId('legal-detail-close').click();
  await mp.getByTestId('legal-detail').waitFor({ state: 'detached' });
  await mp.getByTestId('case-drawer-close').click();
  await mp.getByTestId('case-drawer').waitFor({ state: 'detached' });

  // The Legal section: the case with its next date (the hearing).
  await mp.getByTestId('nav-legal').click();
  await eventually(() => ui.gridRows('legal-grid').count()).toBe(1);
  expect(await mp.getByTestId('nav-legal').getAttribute('aria-current')).toBe('page');
  const row = ui.gridRows('legal-grid').first();
  expect(await ui.cell(row, 'nextDate').textContent()).toBe(HEARING);
  expect(await ui.cell(row, 'caseNo').textContent()).toBe(caseNo);
  expect(await ui.cell(row, 'status').textContent()).toBe('待开庭');
  expect(await ui.cell(row, 'costFen').textContent()).toBe('¥1,500.00');
  await ui.shot('legal-03-list-zh');
  await mp.getByTestId('legal-show-closed').click();
  await eventually(() => ui.gridRows('legal-grid').count()).toBe(0);
  await mp.getByTestId('legal-show-open').click();
  await eventually(() => ui.gridRows('legal-grid').count()).toBe(1);
}

async function collectorReads(): Promise<void> {
  const ui = tabUi(browser, cp);
  await cp.bringToFront();
  await cp.goto(host.url);
  await ui.login(COLLECTOR.username, COLLECTOR.password);
  await cp.getByTestId('page-today').waitFor({ timeout: 30_000 });
  expect(await cp.getByTestId('nav-dashboard').count()).toBe(0);
  await cp.getByTestId('nav-legal').click();
  await eventually(() => ui.gridRows('legal-grid').count()).toBe(1);
  await ui.cell(ui.gridRows('legal-grid').first(), 'caseNo').click();
  await ui.settled('legal-detail');
  expect(await cp.getByTestId('legal-add-event').count()).toBe(0);
  expect(await cp.getByTestId('legal-detail').textContent()).toContain('只读：只有主管可以更新诉讼。');
  await ui.shot('legal-04-collector-read-only-zh');
  await cp.getByTestId('legal-detail-close').click();
  await mp.bringToFront();
}

async function managerDashboard(): Promise<void> {
  const ui = uiSteps(browser);
  await mp.getByTestId('nav-dashboard').click();
  await eventually(() => mp.getByTestId('kpi-recovered').textContent()).toBe('¥1,234.56');
  expect(await mp.getByTestId('kpi-cases').textContent()).toBe('4');
  expect(await mp.getByTestId('kpi-placed').textContent()).toBe(yuan(placedFen));
  expect(await mp.getByTestId('kpi-promise-kept').textContent()).toBe('100.00%');
  // Two calls to the borrower, one connected.
  expect(await mp.getByTestId('kpi-rpc').textContent()).toBe('50.00%');
  expect(await mp.getByTestId('dash-recovery-table').locator('tbody tr').first().textContent()).toContain('平安i贷');
  await mp.getByTestId('dash-stages').locator('svg').first().waitFor();
  await ui.shot('dashboard-01-zh');
  await mp.getByTestId('dash-recovery-byCollector').click();
  await eventually(() => mp.getByTestId('dash-recovery-table').locator('tbody tr').first().textContent()).toContain('张三');
  // A period before today: nothing recovered in it.
  await mp.getByTestId('dash-from').fill(cstDay(Date.now() - 40 * 86_400_000));
  await mp.getByTestId('dash-to').fill(cstDay(Date.now() - 35 * 86_400_000));
  await mp.getByTestId('dash-run').click();
  await eventually(() => mp.getByTestId('kpi-recovered').textContent()).toBe('¥0.00');
  // From the payment's day (today) to today.
  await mp.getByTestId('dash-to').fill(TODAY);
  await mp.getByTestId('dash-from').fill(cstDay(T));
  await ui.switchLanguage('en');
  await mp.getByTestId('dash-run').click();
  await eventually(() => mp.getByTestId('kpi-recovered').textContent()).toBe('¥1,234.56');
  await eventually(() => mp.getByTestId('dash-recovery').textContent()).toContain('By collector');
  await ui.shot('dashboard-02-en');
}
