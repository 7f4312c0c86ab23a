// The casework journey in a real browser against the built web host, at 1366×768, with the collector
// and the manager each in their own tab (two sessions at once, as in an office). Seeded through the API:
// a lender, a 3-case placement, collector zhangsan holding all three (assign.manual), manager lisi.
// In the UI, the collector: Today → a case → logs a no-answer, a connected call with a promise and a
// follow-up, two more connected calls → the fourth is refused with the daily-limit reason. The manager
// grants an override on the case → the collector logs it with the override's number. The manager moves
// the stage with a reason, attaches a file (and downloads it), renders the 催收函 with the masked ID and
// prints it (A4 print view), corrects an entry (the original stays, "corrected by"), sees the refusal and
// the override in the compliance report, has a third-party template refused, and in English sees a
// contact person refused as too early and grants an override from the refusal of a fifth call.
// The collector filters the case list by stage, last outcome and promise date.
//
// The web host runs on a test clock started at a daytime instant (10:00 or 12:00 Asia/Shanghai), and the
// attempts are logged "now" by it: an attempt cannot be dated before its case came to the agency (honest
// call times), and quiet hours are exercised by casework-late.test.ts.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { caseIdOf, cstDay, cstLocal, daytimeInstant, openLog, submitLog, tabUi } from './helpers/casework.js';
import { importCsv, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };
const COLLECTOR: Person = { username: 'zhangsan', displayName: '张三', password: 'Collector-pass-1' };
const MASKED_ID = /\d{6}\*{8}[\dX]{4}/;

const MIN = 60_000;
const T = daytimeInstant();
const PROMISE_DATE = cstDay(T + 3 * 86_400_000);

let host: WebHost;
let browser: BrowserSession;
let cp: Page; // the collector's tab
let mp: Page; // the manager's tab
let admin: string;
let files: string;

describe('casework journey (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost({ env: { AGENCYDESK_TEST_CLOCK: new Date(T).toISOString() } });
    admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    const team = await callApi(host, 'teams.create', { name: 'A组' }, admin);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    const zhangsan = await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: team.id }, admin);
    const lender = await callApi(host, 'lenders.create', { code: 'PAYD', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin);
    const job = await importCsv(host, admin, lender.id, '平安i贷-202504.csv', toCsv([PLACEMENT_HEADERS, ...makeRows(3, 7, { caseNoPrefix: 'PC' })]), 'PAYD-2025-04-C');
    expect(job.result?.imported).toBe(3);
    const { rows } = await callApi(host, 'cases.list', { lenderId: lender.id, sort: 'id', desc: false, offset: 0, limit: 50 }, admin);
    await callApi(host, 'assign.manual', { caseIds: rows.map((r) => r.id), collectorId: zhangsan.id }, admin);
    files = mkdtempSync(path.join(tmpdir(), 'agencydesk-e2e-files-'));
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
    cp = browser.page;
    mp = await browser.context.newPage();
    mp.on('pageerror', (e) => browser.errors.push(`manager pageerror: ${e.message}`));
    mp.on('console', (m) => m.type() === 'error' && browser.errors.push(`manager console: ${m.text()}`));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  it('logs attempts within the guardrails, overrides a refusal, and keeps the record', async () => {
    try {
      const caseNo = await collectorLogs();
      const overrideId = await managerGrants(caseNo);
      await collectorRetries(overrideId);
      await managerWorks();
      await managerReviews(caseNo);
      await collectorFilters();
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await cp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-casework-collector.png') }).catch(() => {});
      await mp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-casework-manager.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});

async function collectorLogs(): Promise<string> {
  const ui = uiSteps(browser);
  await cp.bringToFront(); // a background tab gets throttled timers and no animation frames
  await cp.goto(host.url);
  await ui.login(COLLECTOR.username, COLLECTOR.password);
  await cp.getByTestId('page-today').waitFor({ timeout: 30_000 });
  await eventually(() => ui.gridRows('today-grid').count()).toBe(3);
  const first = ui.gridRows('today-grid').first();
  const caseNo = (await ui.cell(first, 'caseNo').textContent())!;
  await ui.cell(first, 'caseNo').click();
  await ui.settled('case-drawer');
  await eventually(() => cp.getByTestId('case-drawer-title').textContent()).toContain(caseNo);
  expect(await cp.getByTestId('case-id-number').textContent()).toMatch(MASKED_ID);
  expect(await cp.getByTestId('case-stage').textContent()).toBe('新案');

  // 1. No answer. The form asks the guardrails first: nothing stands in the way.
  await openLog(cp, ui, null, 'no_answer');
  await cp.getByTestId('log-check-ok').waitFor();
  await ui.shot('casework-01-log-form-zh');
  await submitLog(cp, ui, 1);
  // The first attempt moved the case on: new → contact, recorded like any move.
  await eventually(() => cp.getByTestId('case-stage').textContent()).toBe('联系');

  // 2. Connected, with a promise and a follow-up.
  await openLog(cp, ui, null, 'promised_to_pay');
  await cp.getByTestId('attempt-duration').fill('185');
  await cp.getByTestId('attempt-promise-amount').fill('1,500');
  await cp.getByTestId('attempt-promise-date').fill(PROMISE_DATE);
  await cp.getByTestId('attempt-follow-up').fill(cstLocal(T + 2 * 86_400_000));
  await cp.getByTestId('attempt-note').fill('借款人承认欠款，承诺三日内先还 1500 元');
  await cp.getByTestId('attempt-recording').fill('REC-20250401-0001');
  await submitLog(cp, ui, 2);
  expect(await cp.getByTestId('timeline-attempt').first().textContent()).toContain(`承诺 ¥1,500.00，${PROMISE_DATE} 前`);

  // 3–4. Two more connected calls: the borrower's third of the day.
  for (const i of [0, 1]) {
    await openLog(cp, ui, null, 'connected');
    await cp.getByTestId('attempt-duration').fill('60');
    await submitLog(cp, ui, 3 + i);
  }
  await ui.shot('casework-02-work-view-zh');

  // 5. The fourth connected call: the check warns, the submit is refused with the plain reason.
  await openLog(cp, ui, null, 'connected');
  await eventually(() => cp.getByTestId('check-rules-daily_connected_cap').textContent()).toContain('每日接通上限');
  await cp.getByTestId('log-dialog-submit').click();
  const refusal = cp.getByTestId('log-refusal');
  await eventually(() => refusal.textContent()).toContain('合规规则拒绝了此次记录：每日接通上限');
  expect(await cp.getByTestId('refusal-rules-daily_connected_cap').textContent()).toContain('借款人今天的接通电话已达上限');
  expect(await cp.getByTestId('refusal-rules-daily_connected_cap').textContent()).toContain('the limit is 3');
  expect(await cp.getByTestId('refusal-ask').textContent()).toContain('请向经理申请本案“每日接通上限”的豁免');
  expect(await cp.getByTestId('refusal-grant').count()).toBe(0);
  await ui.shot('casework-03-refused-zh');
  return caseNo;
}

async function managerGrants(caseNo: string): Promise<number> {
  const ui = tabUi(browser, mp);
  await mp.bringToFront();
  await mp.goto(host.url);
  await ui.login(MANAGER.username, MANAGER.password);
  await mp.getByTestId('page-home').waitFor({ timeout: 30_000 });
  await mp.getByTestId('nav-cases').click();
  await mp.getByTestId('cases-search').fill(caseNo);
  await eventually(() => mp.getByTestId('cases-total').textContent()).toBe('共 1 个案件');
  await ui.cell(ui.gridRows('cases-grid').first(), 'caseNo').click();
  await ui.settled('case-drawer');
  await mp.getByTestId('grant-override').click();
  await ui.pick('override-rule', 'override-rule-daily_connected_cap');
  await mp.getByTestId('override-reason').fill('借款人主动来电商量还款方案');
  await mp.getByTestId('override-minutes').fill('30');
  await ui.settled('override-dialog');
  await ui.shot('casework-04-grant-override-zh');
  await mp.getByTestId('override-dialog-submit').click();
  const granted = (await mp.getByTestId('override-granted').textContent())!;
  expect(granted).toContain('已批准“每日接通上限”豁免 #');
  return Number(/#(\d+)/.exec(granted)![1]);
}

async function collectorRetries(overrideId: number): Promise<void> {
  const ui = uiSteps(browser);
  await cp.bringToFront();
  await cp.getByTestId('refusal-override-no').fill(String(overrideId));
  await cp.getByTestId('refusal-retry').click();
  await cp.getByTestId('log-dialog').waitFor({ state: 'detached' });
  await eventually(() => cp.getByTestId('timeline-attempt').count()).toBe(5);
  expect(await cp.getByTestId('timeline-attempt').first().textContent()).toContain('豁免：每日接通上限');
  await ui.shot('casework-05-logged-with-override-zh');
}

async function managerWorks(): Promise<void> {
  const ui = tabUi(browser, mp);
  await mp.bringToFront();
  // Stage: contact → field visit needs a reason, kept in the history.
  await mp.getByTestId('case-refresh').click();
  await mp.getByTestId('stage-menu').click();
  expect(await mp.getByTestId('stage-to-legal_referral').count()).toBe(1); // a manager's move
  await mp.getByTestId('stage-to-field_visit').click();
  await mp.getByTestId('move-dialog-submit').click();
  await eventually(() => mp.getByTestId('move-reason').getAttribute('aria-invalid')).toBe('true');
  await mp.getByTestId('move-reason').fill('电话沟通后仍未还款，安排两人上门');
  await mp.getByTestId('move-dialog-submit').click();
  await eventually(() => mp.getByTestId('case-stage').textContent()).toBe('上门');
  await eventually(() => mp.getByTestId('case-history-stage').first().textContent()).toContain('联系 → 上门 · 电话沟通后仍未还款');

  // A file: attached, listed with its hash, downloaded under its name.
  await mp.getByTestId('case-tab-files').click();
  const proof = path.join(files, '还款承诺书.txt');
  writeFileSync(proof, '借款人承诺于三日内还款 1500 元。\n');
  await mp.getByTestId('files-input').setInputFiles(proof);
  await mp.getByTestId('files-note').fill('借款人签字的还款承诺');
  await mp.getByTestId('files-attach').click();
  await eventually(() => mp.getByTestId('files-list').textContent()).toContain('还款承诺书.txt');
  expect(await mp.getByTestId('files-list').textContent()).toContain('借款人签字的还款承诺');
  const download = mp.waitForEvent('download');
  await mp.getByTestId('files-list').getByRole('button').first().click();
  expect((await download).suggestedFilename()).toBe('还款承诺书.txt');

  // The 催收函: the masked ID in the preview, then the A4 print view.
  const { templates } = await callApi(host, 'messageTemplates.list', {}, admin);
  const letter = templates.find((tp) => tp.name === '催收函')!;
  await mp.getByTestId('case-tab-messages').click();
  await ui.pick('message-template', `message-template-${letter.id}`);
  await mp.getByTestId('message-deadline').fill(cstDay(T + 10 * 86_400_000));
  await mp.getByTestId('message-render').click();
  const masked = (await mp.getByTestId('case-id-number').textContent())!;
  await eventually(() => mp.getByTestId('message-preview').textContent()).toContain(`（证件号码 ${masked}）`);
  expect(await mp.getByTestId('message-preview').textContent()).toContain(`请您于${cstDay(T + 10 * 86_400_000)}前足额还款`);
  await ui.shot('casework-06-letter-preview-zh');
  await mp.getByTestId('message-copy').click();
  await ui.notified('已复制');
  await mp.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void (window as unknown as { printed: number }).printed++;
  });
  await mp.getByTestId('message-print').click();
  expect(await mp.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  // What the printer gets: only the letter, on one A4 page (Chromium's own PDF of the print view).
  const pdf = (await mp.pdf({ preferCSSPageSize: true })).toString('latin1');
  expect(pdf.match(/\/Type\s*\/Page\b/g)?.length).toBe(1);
  expect(pdf).toMatch(/\/MediaBox\s*\[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]/);
  await mp.emulateMedia({ media: 'print' });
  await mp.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi, for the look of it
  expect(await mp.getByTestId('print-letter').isVisible()).toBe(true);
  expect(await mp.getByTestId('case-drawer').isVisible()).toBe(false);
  await mp.screenshot({ path: path.join(SCREENSHOT_DIR, 'casework-07-letter-print-zh.png') });
  await mp.emulateMedia({ media: 'screen' });
  await mp.setViewportSize({ width: 1366, height: 768 });

  // Correct the no-answer: a new entry points at it; the original stays, marked "corrected by".
  const { attempts } = await callApi(host, 'contacts.list', { caseId: await caseIdOf(host, admin, mp) }, admin);
  const noAnswer = attempts.find((a) => a.outcome === 'no_answer')!;
  await mp.getByTestId('case-tab-timeline').click();
  await mp.getByTestId(`attempt-${noAnswer.id}-correct`).click();
  await ui.pick('correct-outcome', 'correct-outcome-busy');
  await mp.getByTestId('correct-note').fill('实为占线，不是无人接听');
  await mp.getByTestId('correct-dialog-submit').click();
  await eventually(() => mp.getByTestId(`attempt-${noAnswer.id}-corrected-by`).textContent()).toMatch(/^已被 #\d+ 更正$/);
  expect(await mp.getByTestId(`attempt-${noAnswer.id}-outcome`).textContent()).toBe('无人接听');
  const fix = Number(/#(\d+)/.exec((await mp.getByTestId(`attempt-${noAnswer.id}-corrected-by`).textContent())!)![1]);
  expect(await mp.getByTestId(`attempt-${fix}-corrects`).textContent()).toBe(`更正 #${noAnswer.id}`);
  expect(await mp.getByTestId(`attempt-${fix}-outcome`).textContent()).toBe('占线');
  await mp.getByTestId(`attempt-${noAnswer.id}`).scrollIntoViewIfNeeded();
  await ui.shot('casework-08-corrected-zh');
}

async function managerReviews(caseNo: string): Promise<void> {
  const ui = tabUi(browser, mp);
  await mp.getByTestId('case-drawer-close').click();
  await mp.getByTestId('case-drawer').waitFor({ state: 'hidden' });
  await mp.getByTestId('nav-compliance').click();
  await eventually(() => mp.getByTestId('report-refused-zhangsan').textContent()).toBe('每日接通上限 × 1');
  expect(await mp.getByTestId('report-overridden-zhangsan').textContent()).toBe('每日接通上限 × 1');
  const row = ui.gridRows('report-grid').filter({ hasText: 'zhangsan' });
  // Five attempts: the corrected no-answer counts once, through its correction (still zhangsan's attempt).
  expect(await ui.cell(row, 'attempts').textContent()).toBe('5');
  expect(await ui.cell(row, 'connectedCalls').textContent()).toBe('4');
  expect(await ui.cell(row, 'capReachedDays').textContent()).toBe('1');
  await ui.shot('casework-09-report-zh');

  await mp.getByTestId('compliance-tab-limits').click();
  await eventually(() => mp.getByTestId('limits-maxConnectedCallsPerDay').inputValue()).toBe('3');
  expect(await mp.getByTestId('limits-quiet-from').inputValue()).toBe('22:00');
  await ui.shot('casework-10-limits-zh');
  await mp.getByTestId('compliance-tab-escalation').click();
  await eventually(() => mp.getByTestId('escalation-kind').textContent()).toBe('默认节奏');
  await ui.shot('casework-11-escalation-zh');

  // A template for a third party cannot mention the debt: the backend's reason is shown.
  await mp.getByTestId('compliance-tab-templates').click();
  await mp.getByTestId('template-add').click();
  await mp.getByTestId('template-name').fill('联系人催款');
  await ui.pick('template-audience', 'template-audience-third_party');
  expect(await mp.getByTestId('template-field-overdueAmount').getAttribute('aria-disabled')).toBe('true');
  await mp.getByTestId('template-field-contactName').click();
  await mp.getByTestId('template-body').press('End');
  await mp.getByTestId('template-body').pressSequentially('您好，请转告借款人尽快归还欠款 {{overdueAmount}} 元。');
  await mp.getByTestId('template-dialog-submit').click();
  await eventually(() => mp.getByTestId('template-dialog-error').textContent()).toContain('cannot include {{overdueAmount}}');
  expect(await mp.getByTestId('template-body').inputValue()).toMatch(/^\{\{contactName\}\}您好/);
  await ui.settled('template-dialog');
  await ui.shot('casework-12-template-refused-zh');
  await mp.getByRole('button', { name: '取消' }).click();

  // The same work view in English.
  await ui.switchLanguage('en');
  await mp.getByTestId('nav-cases').click();
  await mp.getByTestId('cases-search').fill(caseNo);
  await eventually(() => mp.getByTestId('cases-total').textContent()).toBe('1 case');
  await ui.cell(ui.gridRows('cases-grid').first(), 'caseNo').click();
  await ui.settled('case-drawer');
  await eventually(() => mp.getByTestId('case-history').textContent()).toContain('Corrected by #');
  expect(await mp.getByTestId('case-stage').textContent()).toBe('Field visit');
  await ui.shot('casework-13-work-view-en');
  await mp.getByTestId('log-attempt').click();
  await ui.settled('log-dialog');
  await ui.pick('attempt-party', 'attempt-party-1');
  await eventually(() => mp.getByTestId('log-check-warn').textContent()).toContain('Contacts too early');
  await ui.shot('casework-14-check-third-party-en');
  // Back to the borrower: a fifth connected call is refused; a manager grants the override right there.
  await ui.pick('attempt-party', 'attempt-party-borrower');
  await ui.pick('attempt-outcome', 'attempt-outcome-connected');
  await eventually(() => mp.getByTestId('check-rules-daily_connected_cap').textContent()).toContain('Daily call limit');
  await mp.getByTestId('log-dialog-submit').click();
  await eventually(() => mp.getByTestId('log-refusal').textContent()).toContain('Refused by the compliance rules: Daily call limit');
  expect(await mp.getByTestId('refusal-ask').count()).toBe(0);
  await mp.getByTestId('refusal-grant').click();
  expect(await mp.getByTestId('override-rule').textContent()).toBe('Daily call limit');
  await mp.getByTestId('override-reason').fill('Borrower called back to agree a plan');
  await mp.getByTestId('override-dialog-submit').click();
  await mp.getByTestId('log-dialog').waitFor({ state: 'detached' });
  // The collector's fifth call carries the same override chip: wait for the manager's own entry on top.
  await eventually(() => mp.getByTestId('timeline-attempt').first().textContent()).toContain('lisi');
  expect(await mp.getByTestId('timeline-attempt').first().textContent()).toContain('Override: Daily call limit');
  await mp.getByTestId('case-drawer-close').click();
  await ui.switchLanguage('zh-CN');
}

async function collectorFilters(): Promise<void> {
  const ui = uiSteps(browser);
  await cp.bringToFront();
  await cp.getByTestId('case-drawer-close').click();
  await cp.getByTestId('case-drawer').waitFor({ state: 'hidden' });
  await cp.getByTestId('nav-cases').click();
  await eventually(() => cp.getByTestId('cases-total').textContent()).toBe('共 3 个案件');
  await ui.pick('cases-stage', 'cases-stage-field_visit');
  await eventually(() => cp.getByTestId('cases-total').textContent()).toBe('共 1 个案件');
  await ui.pick('cases-outcome', 'cases-outcome-connected');
  await eventually(() => cp.getByTestId('cases-total').textContent()).toBe('共 1 个案件');
  await cp.getByTestId('cases-promise-by').fill(cstDay(T));
  await eventually(() => cp.getByTestId('cases-total').textContent()).toBe('共 0 个案件');
  await cp.getByTestId('cases-promise-by').fill(PROMISE_DATE);
  await eventually(() => cp.getByTestId('cases-total').textContent()).toBe('共 1 个案件');
  await ui.shot('casework-15-case-filters-zh');
  await cp.getByTestId('cases-clear').click();
  await ui.pick('cases-outcome', 'cases-outcome-no_answer');
  await eventually(() => cp.getByTestId('cases-total').textContent()).toBe('共 0 个案件');
}
