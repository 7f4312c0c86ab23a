// A late shift under the web host's test clock (AGENCYDESK_TEST_CLOCK=2025-04-01T21:58:30+08:00, running
// on in real time), in Chromium at 1366×768, the manager and the collector each in their own tab.
// The host says loudly that it runs on a test clock; the app shows a warning bar; the login is audited
// with it. The manager adds an outcome code of the agency's own (约定回电, a connected call) and disables
// 对债务有异议 in Compliance → Outcome codes. The collector opens a case (placed at 21:58 by the test clock: no
// attempt can claim an earlier time): a call at 22:00 is refused with the plain quiet-hours reason; at
// 21:59 it is accepted, with the new outcome. A field visit names its companion from staff.colleagues (a collector cannot list staff).
// The 催收函 preview prints to a PDF (page.pdf), and "File with case" keeps the exact letter as an HTML
// case file whose download has the SHA-256 shown.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { cstLocal, tabUi } from './helpers/casework.js';
import { importCsv, login, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };
const COLLECTOR: Person = { username: 'zhangsan', displayName: '张三', password: 'Collector-pass-1' };
const PARTNER: Person = { username: 'wangwu', displayName: '王五', password: 'Collector-pass-2' };
const CLOCK = '2025-04-01T21:58:30+08:00';
const at = (hhmm: string) => Date.parse(`2025-04-01T${hhmm}:00+08:00`);

let host: WebHost;
let browser: BrowserSession;
let cp: Page; // the collector's tab
let mp: Page; // the manager's tab
let admin: string;

describe('a late shift under the test clock (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost({ env: { AGENCYDESK_TEST_CLOCK: CLOCK } });
    admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    const team = await callApi(host, 'teams.create', { name: 'A组' }, admin);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    const zhangsan = await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: team.id }, admin);
    await callApi(host, 'users.create', { ...PARTNER, role: 'collector', teamId: team.id }, admin);
    const lender = await callApi(host, 'lenders.create', { code: 'PAYD', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin);
    const job = await importCsv(host, admin, lender.id, '平安i贷-202504.csv', toCsv([PLACEMENT_HEADERS, ...makeRows(2, 17, { caseNoPrefix: 'NT' })]), 'PAYD-2025-04-N');
    expect(job.result?.imported).toBe(2);
    const { rows } = await callApi(host, 'cases.list', { lenderId: lender.id, sort: 'id', desc: false, offset: 0, limit: 50 }, admin);
    await callApi(host, 'assign.manual', { caseIds: rows.map((r) => r.id), collectorId: zhangsan.id }, admin);
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

  it('says it runs on a test clock, refuses 22:00 and accepts 21:59, uses the agency’s outcome codes, a colleague on a visit, and files the letter', async () => {
    try {
      expect(host.output()).toContain("!!! TEST CLOCK: this host's clock started at 2025-04-01T13:58:30.000Z");
      await managerSetsOutcomes();
      await collectorWorksLate();
      await collectorFilesLetter();
      await loginsAreAudited();
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await cp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-late-collector.png') }).catch(() => {});
      await mp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-late-manager.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});

async function managerSetsOutcomes(): Promise<void> {
  const ui = tabUi(browser, mp);
  await mp.bringToFront();
  await mp.goto(host.url);
  await ui.login(MANAGER.username, MANAGER.password);
  await mp.getByTestId('page-home').waitFor({ timeout: 30_000 });
  await eventually(() => mp.getByTestId('test-clock-banner').textContent()).toMatch(/^测试时钟 — 非真实时间：2025\/04\/01 2[12]:\d\d:\d\d（起点 2025\/04\/01 21:58:30）$/);
  expect(await mp.getByTestId('test-clock-banner').getAttribute('title')).toContain('此时写入的催记和审计时间不能作为证据');
  await mp.getByTestId('nav-compliance').click();
  await mp.getByTestId('compliance-tab-outcomes').click();
  await eventually(() => ui.gridRows('outcomes-grid').count()).toBe(10);

  await mp.getByTestId('outcome-add').click();
  await ui.settled('outcome-dialog');
  await mp.getByTestId('outcome-code').fill('Callback Agreed');
  await mp.getByTestId('outcome-dialog-submit').click();
  await eventually(() => mp.getByTestId('outcome-code').getAttribute('aria-invalid')).toBe('true');
  await mp.getByTestId('outcome-code').fill('callback_agreed');
  await mp.getByTestId('outcome-label-zh').fill('约定回电');
  await mp.getByTestId('outcome-label-en').fill('Agreed to call back');
  await ui.pick('outcome-class', 'outcome-class-connected');
  await ui.shot('late-01-outcome-add-zh');
  await mp.getByTestId('outcome-dialog-submit').click();
  await mp.getByTestId('outcome-dialog').waitFor({ state: 'detached' });
  await eventually(() => ui.gridRows('outcomes-grid').count()).toBe(11);
  const row = ui.gridRows('outcomes-grid').filter({ hasText: 'callback_agreed' });
  expect(await ui.cell(row, 'zh').textContent()).toBe('约定回电');
  expect(await ui.cell(row, 'class').textContent()).toBe('接通');

  // A built-in code: its class is fixed; it can be switched off, not deleted.
  expect(await mp.getByTestId('outcome-delete-disputed').count()).toBe(0);
  await mp.getByTestId('outcome-edit-disputed').click();
  await ui.settled('outcome-dialog');
  expect(await mp.getByTestId('outcome-class').getAttribute('aria-disabled')).toBe('true');
  await mp.getByTestId('outcome-active').click();
  await mp.getByTestId('outcome-dialog-submit').click();
  await mp.getByTestId('outcome-dialog').waitFor({ state: 'detached' });
  await eventually(() => mp.getByTestId('outcome-status-disputed').textContent()).toBe('已停用');
  await ui.shot('late-02-outcome-codes-zh');

  // The same tab in English (the labels are the agency's, in the UI language).
  await ui.switchLanguage('en');
  await eventually(() => mp.getByTestId('compliance-tab-outcomes').textContent()).toBe('Outcome codes');
  expect(await ui.cell(row, 'class').textContent()).toBe('Connected call');
  expect(await mp.getByTestId('test-clock-banner').textContent()).toMatch(/^TEST CLOCK — not the real time: /);
  await mp.locator('.MuiMenu-root').waitFor({ state: 'detached' });
  await ui.shot('late-02b-outcome-codes-en');
  await ui.switchLanguage('zh-CN');
}

async function collectorWorksLate(): Promise<void> {
  const ui = uiSteps(browser);
  await cp.bringToFront();
  await cp.goto(host.url);
  await ui.login(COLLECTOR.username, COLLECTOR.password);
  await cp.getByTestId('page-today').waitFor({ timeout: 30_000 });
  await eventually(() => cp.getByTestId('test-clock-banner').isVisible()).toBe(true);
  await eventually(() => ui.gridRows('today-grid').count()).toBe(2);
  await ui.shot('late-03-today-test-clock-zh');
  await ui.cell(ui.gridRows('today-grid').first(), 'caseNo').click();
  await ui.settled('case-drawer');

  // The form starts at the test clock's time; at 22:00 (a minute or two ahead, within the skew) the check warns.
  await cp.getByTestId('log-attempt').click();
  await ui.settled('log-dialog');
  expect(await cp.getByTestId('attempt-started-at').inputValue()).toMatch(/^2025-04-01T2[12]:\d\d$/);
  expect(await cp.getByTestId('log-test-clock').textContent()).toContain('测试时钟');
  await cp.getByTestId('attempt-started-at').fill(cstLocal(at('22:00')));
  await eventually(() => cp.getByTestId('check-rules-quiet_hours').textContent()).toContain('静默时段');
  await cp.getByTestId('attempt-outcome').click();
  expect(await cp.getByTestId('attempt-outcome-callback_agreed').textContent()).toBe('约定回电');
  expect(await cp.getByTestId('attempt-outcome-disputed').count()).toBe(0);
  await cp.getByTestId('attempt-outcome-callback_agreed').click();
  await cp.locator('.MuiMenu-root').waitFor({ state: 'detached' });
  await cp.getByTestId('log-dialog-submit').click();
  await eventually(() => cp.getByTestId('log-refusal').textContent()).toContain('合规规则拒绝了此次记录：静默时段');
  const reason = (await cp.getByTestId('refusal-rules-quiet_hours').textContent())!;
  expect(reason).toContain('借款人当地已是夜间');
  expect(reason).toContain('It is 22:00 for the borrower: no contact between 22:00 and 08:00.');
  await ui.shot('late-04-quiet-hours-refused-zh');

  // One minute earlier it is allowed.
  await cp.getByTestId('attempt-started-at').fill(cstLocal(at('21:59')));
  await cp.getByTestId('log-check-ok').waitFor();
  expect(await cp.getByTestId('log-check-ok').textContent()).toContain('21:59');
  await cp.getByTestId('attempt-duration').fill('75');
  await cp.getByTestId('log-dialog-submit').click();
  await cp.getByTestId('log-dialog').waitFor({ state: 'detached' });
  await eventually(() => cp.getByTestId('timeline-attempt').count()).toBe(1);
  const entry = cp.getByTestId('timeline-attempt').first();
  expect(await entry.textContent()).toContain('2025/04/01 21:59');
  expect(await entry.locator('[data-testid$="-outcome"]').textContent()).toBe('约定回电');

  // A field visit with a colleague, picked from staff.colleagues (collectors cannot call staff.list).
  await cp.getByTestId('log-attempt').click();
  await ui.settled('log-dialog');
  await ui.pick('attempt-channel', 'attempt-channel-field_visit');
  // 21:58, the minute the case came (times are compared at the minute): before the 21:59 call.
  await cp.getByTestId('attempt-started-at').fill(cstLocal(at('21:58')));
  await eventually(() => cp.getByTestId('check-rules-field_visit_alone').count()).toBe(1);
  await cp.getByTestId('attempt-companions').click();
  const options = (await cp.getByRole('option').allTextContents()).sort();
  expect(options).toEqual(['李四 (lisi)', '王五 (wangwu)']);
  await cp.getByRole('option', { name: '王五 (wangwu)' }).click();
  await cp.getByRole('listbox').waitFor({ state: 'detached' });
  await ui.pick('attempt-outcome', 'attempt-outcome-connected');
  await cp.getByTestId('log-check-ok').waitFor();
  await ui.shot('late-05-field-visit-companion-zh');
  await cp.getByTestId('log-dialog-submit').click();
  await cp.getByTestId('log-dialog').waitFor({ state: 'detached' });
  await eventually(() => cp.getByTestId('timeline-attempt').count()).toBe(2);
  expect(await cp.getByTestId('timeline-attempt').nth(1).textContent()).toContain('同行 wangwu');
  expect(browser.errors.filter((e) => /staff\.list|FORBIDDEN/.test(e))).toEqual([]);
}

async function collectorFilesLetter(): Promise<void> {
  const ui = uiSteps(browser);
  const { templates } = await callApi(host, 'messageTemplates.list', {}, admin);
  const letter = templates.find((tp) => tp.name === '催收函')!;
  await cp.getByTestId('case-tab-messages').click();
  await ui.pick('message-template', `message-template-${letter.id}`);
  await cp.getByTestId('message-deadline').fill('2025-04-10');
  await cp.getByTestId('message-render').click();
  const masked = (await cp.getByTestId('case-id-number').textContent())!;
  await eventually(() => cp.getByTestId('message-preview').textContent()).toContain(`（证件号码 ${masked}）`);

  // The preview renders to a PDF through Chromium's print path (what Print / Save as PDF uses).
  const pdf = await cp.pdf({ preferCSSPageSize: true });
  writeFileSync(path.join(SCREENSHOT_DIR, 'late-letter-preview.pdf'), pdf);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length).toBe(1);

  await cp.getByTestId('message-file').click();
  await eventually(() => cp.getByTestId('message-filed').textContent()).toMatch(/SHA-256 [0-9a-f]{64}/);
  expect(await cp.getByTestId('message-file').textContent()).toBe('已存入');
  const sha = /SHA-256 ([0-9a-f]{64})/.exec((await cp.getByTestId('message-filed').textContent())!)![1]!;
  await ui.shot('late-06-letter-filed-zh');

  await cp.getByTestId('case-tab-files').click();
  await eventually(() => cp.getByTestId('files-list').textContent()).toMatch(/催收函-NT.+-2025-04-01\.html/);
  const download = cp.waitForEvent('download');
  await cp.getByTestId('files-list').getByRole('button').first().click();
  const file = await (await download).path();
  const bytes = readFileSync(file);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
  const html = bytes.toString('utf8');
  expect(html).toContain(`（证件号码 ${masked}）`);
  expect(html).toContain('请您于2025-04-10前足额还款');
  await ui.shot('late-07-letter-in-files-zh');

  // The filed document is a page of its own: it lays out and prints like the letter.
  const doc = await browser.context.newPage();
  try {
    await doc.setContent(html);
    await doc.screenshot({ path: path.join(SCREENSHOT_DIR, 'late-08-filed-letter.png'), fullPage: true });
    const filedPdf = await doc.pdf({ preferCSSPageSize: true });
    expect(filedPdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  } finally {
    await doc.close();
  }
  await cp.bringToFront();
  await cp.getByTestId('case-drawer-close').click();
  await cp.getByTestId('nav-cases').click();
  await ui.pick('cases-outcome', 'cases-outcome-callback_agreed');
  await eventually(() => cp.getByTestId('cases-total').textContent()).toBe('共 1 个案件');
}

async function loginsAreAudited(): Promise<void> {
  const session = await login(host, ADMIN);
  const { entries } = await callApi(host, 'audit.list', { action: 'auth.login', limit: 10 }, session);
  const collector = entries.find((e) => e.actor === COLLECTOR.username)!;
  expect(collector.host).toMatch(/^web@.+ \(test clock\)$/);
  expect(collector.detail).toMatchObject({ testClock: { startedAt: '2025-04-01T13:58:30.000Z' } });
  const { entries: filed } = await callApi(host, 'audit.list', { action: 'messageTemplates.file', limit: 1 }, session);
  expect(filed[0]).toMatchObject({ actor: COLLECTOR.username });
}
