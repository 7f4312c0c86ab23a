// The assignment journey in a real browser against the built web host, at 1366×768. Seeded through the
// API (setup, teams, a manager, four collectors, a lender, a 30-case placement), then in the UI:
// a manager sets a capacity and an absence on Collectors → previews "balanced over team A" for the batch
// (the absent collector gets nothing, the counts add up to the batch) → applies it → the collector's cases
// → a case's history shows the move → gives two cases to a collector and recalls them → an automatic rule
// → the log → in English, a by-region preview that cannot place anything, and a collector's day. Then a
// collector logs in: their Today queue, no Assign section, only their own cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { importCsv, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };
const COLLECTORS = [
  { username: 'zhangsan', displayName: '张三', team: 'A组' },
  { username: 'wangwu', displayName: '王五', team: 'A组' },
  { username: 'zhaoliu', displayName: '赵六', team: 'A组' },
  { username: 'qianqi', displayName: '钱七', team: 'B组' },
] as const;
const COLLECTOR_PASSWORD = 'Collector-pass-1';
const BATCH_NO = 'PAYD-2025-04-A';
const BATCH_SIZE = 30;
const RULE_NAME = 'PAYD M1 A组均衡';

let host: WebHost;
let browser: BrowserSession;
let page: Page;
let ui: ReturnType<typeof uiSteps>;

describe('assignment journey (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    const admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    const teams = new Map<string, number>();
    for (const name of ['A组', 'B组']) teams.set(name, (await callApi(host, 'teams.create', { name }, admin)).id);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    for (const c of COLLECTORS) {
      await callApi(host, 'users.create', { username: c.username, displayName: c.displayName, role: 'collector', teamId: teams.get(c.team)!, password: COLLECTOR_PASSWORD }, admin);
    }
    const lender = await callApi(host, 'lenders.create', { code: 'PAYD', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin);
    const job = await importCsv(host, admin, lender.id, '平安i贷-202504.csv', toCsv([PLACEMENT_HEADERS, ...makeRows(BATCH_SIZE, 21, { caseNoPrefix: 'PA' })]), BATCH_NO);
    expect(job.result?.imported).toBe(BATCH_SIZE);
    await callApi(host, 'auth.logout', {}, admin);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    page = browser.page;
    ui = uiSteps(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('assigns a batch, moves cases by hand, keeps a rule, and shows a collector their day', async () => {
    try {
      await managerJourney();
      await collectorJourney();
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await browser.screenshot('failure-assign').catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});

async function managerJourney(): Promise<void> {
  const { login, logout, switchLanguage, pick, choose, settled, cell, gridRows, notified, shot } = ui;
  await page.goto(host.url);
  await login(MANAGER.username, MANAGER.password);
  await page.getByTestId('page-home').waitFor({ timeout: 30_000 });

  // --- Collectors: zhangsan takes at most 10 open cases; zhaoliu is away.
  await page.getByTestId('nav-staff').click();
  await eventually(() => gridRows('staff-grid').count()).toBe(COLLECTORS.length);
  await page.getByTestId('staff-edit-zhangsan').click();
  await page.getByTestId('staff-capacity').fill('10');
  await page.getByTestId('staff-regions').click();
  await page.getByRole('option', { name: '北京' }).click();
  await page.getByTestId('staff-skills').fill('法务');
  await page.getByTestId('staff-skills').press('Enter');
  await page.getByTestId('staff-regions-chip-北京').waitFor();
  await settled('staff-dialog');
  await shot('assign-01-staff-edit-zh');
  await page.getByTestId('staff-dialog-submit').click();
  await page.getByTestId('staff-dialog').waitFor({ state: 'detached' });
  const zhangsan = gridRows('staff-grid').filter({ hasText: 'zhangsan' });
  await eventually(() => cell(zhangsan, 'capacity').textContent()).toBe('10');
  expect(await cell(zhangsan, 'regions').textContent()).toBe('北京');
  expect(await cell(zhangsan, 'skills').textContent()).toBe('法务');
  await page.getByTestId('staff-absent-zhaoliu').check();
  await notified('赵六 (zhaoliu)');
  // Team A owns M1 (the by-bucket rule); the chip answers at once.
  await page.getByTestId('team-bucket-A组-M1').click();
  await eventually(() => page.getByTestId('team-bucket-A组-M1').getAttribute('aria-pressed')).toBe('true');
  await eventually(() => cell(zhangsan, 'teamBuckets').textContent()).toBe('M1');
  await shot('assign-02-staff-zh');

  // --- Assign: the batch, balanced over team A. Preview first.
  await page.getByTestId('nav-assign').click();
  expect(await page.getByTestId('assign-apply').isDisabled()).toBe(true);
  await pick('assign-batch', `assign-batch-${BATCH_NO}`);
  await pick('assign-rule', 'assign-rule-balanced');
  await choose('assign-pool-teams', 'A组');
  expect(await page.getByTestId('assign-keep-borrower').isChecked()).toBe(true);
  await page.getByTestId('assign-preview').click();
  await page.getByTestId('assign-plan').waitFor();
  expect(await page.getByTestId('plan-selected').textContent()).toBe(String(BATCH_SIZE));
  expect(await page.getByTestId('plan-assigned').textContent()).toBe(String(BATCH_SIZE));
  const planRows = gridRows('plan-grid');
  await eventually(() => planRows.count()).toBe(2);
  const names = await planRows.locator('[data-field="displayName"]').allTextContents();
  expect(names.sort()).toEqual(['张三 (zhangsan)', '王五 (wangwu)']); // not the absent zhaoliu, not team B
  const counts = (await planRows.locator('[data-field="cases"]').allTextContents()).map(Number);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(BATCH_SIZE);
  const zhangsanCases = Number(await cell(planRows.filter({ hasText: 'zhangsan' }), 'cases').textContent());
  expect(zhangsanCases).toBeGreaterThan(0);
  expect(zhangsanCases).toBeLessThanOrEqual(10);
  expect(Number(await page.getByTestId('plan-capacity-zhangsan').textContent())).toBe(10 - zhangsanCases);
  await shot('assign-03-preview-zh');

  // Any change drops the preview; Apply needs a fresh one.
  await page.getByTestId('assign-keep-borrower').uncheck();
  await page.getByTestId('assign-plan').waitFor({ state: 'detached' });
  expect(await page.getByTestId('assign-apply').isDisabled()).toBe(true);
  expect(await page.getByTestId('assign-hint').textContent()).toContain('重新预览');
  await page.getByTestId('assign-keep-borrower').check();
  await page.getByTestId('assign-preview').click();
  await page.getByTestId('assign-plan').waitFor();

  await page.getByTestId('assign-apply').click();
  expect(await page.getByTestId('assign-apply-text').textContent()).toContain(`${BATCH_SIZE} 个案件将按“金额均衡”规则分给 2 位催收员`);
  await settled('assign-apply-dialog');
  await shot('assign-04-confirm-zh');
  await page.getByTestId('assign-apply-dialog-submit').click();
  await eventually(() => page.getByTestId('assign-done').textContent()).toContain(`分案 #1：已分配 ${BATCH_SIZE} 个案件`);
  await shot('assign-05-applied-zh');

  // --- The collector's cases, and one case's history.
  await page.getByTestId('plan-cases-zhangsan').click();
  await eventually(() => page.getByTestId('cases-total').textContent()).toBe(`共 ${zhangsanCases} 个案件`);
  const caseRows = gridRows('cases-grid');
  await eventually(async () => new Set(await caseRows.locator('[data-field="collector"]').allTextContents())).toEqual(new Set(['zhangsan']));
  await shot('assign-06-cases-by-collector-zh');
  await cell(caseRows.first(), 'caseNo').click();
  await eventually(() => page.getByTestId('case-history').textContent()).toContain('金额均衡：未分配 → zhangsan');
  expect(await page.getByTestId('case-collector').textContent()).toBe('zhangsan');
  expect(await page.getByTestId('case-id-number').textContent()).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
  expect(await page.getByTestId('case-mobile').textContent()).toMatch(/^1\d{2}\*{4}\d{4}$/);
  await settled('case-drawer');
  await shot('assign-07-case-drawer-zh');
  await page.getByTestId('case-drawer-close').click();
  await page.getByTestId('case-drawer').waitFor({ state: 'hidden' });

  // --- Two of wangwu's cases to qianqi by hand, then back to the pool.
  await pick('cases-collector', 'cases-collector-wangwu');
  await eventually(async () => new Set(await caseRows.locator('[data-field="collector"]').allTextContents())).toEqual(new Set(['wangwu']));
  const moved = [await cell(caseRows.nth(0), 'caseNo').textContent(), await cell(caseRows.nth(1), 'caseNo').textContent()];
  await caseRows.nth(0).getByRole('checkbox').check();
  await caseRows.nth(1).getByRole('checkbox').check();
  expect(await page.getByTestId('cases-picked').textContent()).toBe('已选 2 件');
  await page.getByTestId('cases-give').click();
  await pick('give-collector', 'give-collector-qianqi');
  await settled('give-dialog');
  await shot('assign-08-give-zh');
  await page.getByTestId('give-dialog-submit').click();
  await notified('已将 2 个案件分给 钱七 (qianqi)');
  await pick('cases-collector', 'cases-collector-qianqi');
  await eventually(() => page.getByTestId('cases-total').textContent()).toBe('共 2 个案件');
  expect((await caseRows.locator('[data-field="caseNo"]').allTextContents()).sort()).toEqual([...moved].sort());
  for (const i of [0, 1]) await caseRows.nth(i).getByRole('checkbox').check();
  await page.getByTestId('cases-recall').click();
  await page.getByTestId('confirm-dialog-submit').click();
  await notified('已将 2 个案件收回到案件池');
  await eventually(() => page.getByTestId('cases-total').textContent()).toBe('共 0 个案件');
  await pick('cases-collector', 'cases-collector-unassigned');
  await eventually(() => page.getByTestId('cases-total').textContent()).toBe('共 2 个案件');
  // Picked cases go to the Assign page as the selection.
  for (const i of [0, 1]) await caseRows.nth(i).getByRole('checkbox').check();
  await page.getByTestId('cases-assign-picked').click();
  await eventually(() => page.getByTestId('assign-picked').textContent()).toBe('已选 2 个案件');

  // --- Moving a collector's cases starts from Collectors: the Assign page opens with their cases.
  await page.getByTestId('nav-staff').click();
  const wangwuOpen = Number(await cell(gridRows('staff-grid').filter({ hasText: 'wangwu' }), 'openCases').textContent());
  expect(wangwuOpen).toBe(BATCH_SIZE - zhangsanCases - 2);
  await page.getByTestId('staff-move-wangwu').click();
  await eventually(() => page.getByTestId('assign-collector').textContent()).toBe('王五 (wangwu)');
  await page.getByTestId('assign-preview').click();
  await eventually(() => page.getByTestId('plan-selected').textContent()).toBe(String(wangwuOpen));

  // --- An automatic rule for the lender's next batches; then the log of all of it.
  await page.getByTestId('assign-tab-rules').click();
  await page.getByTestId('rules-explain').waitFor();
  await page.getByTestId('rules-add').click();
  await page.getByTestId('rule-name').fill(RULE_NAME);
  await pick('rule-lender', 'rule-lender-PAYD');
  await page.getByTestId('rule-bucket').click();
  await page.getByRole('option', { name: 'M1', exact: true }).click();
  await page.locator('.MuiMenu-root').waitFor({ state: 'detached' });
  await choose('rule-form-pool-teams', 'A组');
  await settled('rule-dialog');
  await shot('assign-09-rule-dialog-zh');
  await page.getByTestId('rule-dialog-submit').click();
  await page.getByTestId('rule-dialog').waitFor({ state: 'detached' });
  const ruleRow = gridRows('rules-grid').filter({ hasText: RULE_NAME });
  await ruleRow.waitFor();
  expect(await cell(ruleRow, 'pool').textContent()).toBe('A组');
  expect(await cell(ruleRow, 'rule').textContent()).toBe('金额均衡');
  expect(await page.getByTestId(`rule-enabled-${RULE_NAME}`).isChecked()).toBe(true);
  await shot('assign-10-rules-zh');
  await page.getByTestId('assign-tab-log').click();
  await eventually(() => gridRows('assign-log-grid').count()).toBe(3);
  expect(await gridRows('assign-log-grid').locator('[data-field="rule"]').allTextContents()).toEqual(['收回', '手动分配', '金额均衡']);
  await shot('assign-11-log-zh');

  // --- In English: the pool's two cases by region — the preview says why they cannot go (only zhangsan
  // covers a region, and he is full); then a manager looks at a collector's day.
  await switchLanguage('en');
  await page.getByTestId('assign-tab-assign').click();
  await pick('assign-collector', 'assign-collector-any');
  await pick('assign-batch', `assign-batch-${BATCH_NO}`);
  await page.getByTestId('assign-unassigned').check();
  await pick('assign-rule', 'assign-rule-by_region');
  await page.getByTestId('assign-preview').click();
  await eventually(() => page.getByTestId('plan-reasons').textContent()).toContain('Cases that cannot be assigned:');
  expect(await page.getByTestId('plan-selected').textContent()).toBe('2');
  await shot('assign-12-by-region-en');
  await page.getByTestId('nav-today').click();
  await page.getByTestId('today-pick-hint').waitFor();
  await pick('today-collector', 'today-collector-zhangsan');
  await eventually(() => page.getByTestId('today-count-new').textContent()).toBe(String(zhangsanCases));
  await shot('assign-13-today-manager-en');
  await switchLanguage('zh-CN');
  await logout();
}

async function collectorJourney(): Promise<void> {
  const { login, settled, cell, gridRows, shot } = ui;
  const expected = (await callApi(host, 'cases.list', { collectorId: await idOf('zhangsan'), sort: 'id', desc: false, offset: 0, limit: 50 }, await adminSession())).total;
  await login('zhangsan', COLLECTOR_PASSWORD);
  // A collector lands on their day, first in the navigation.
  await page.getByTestId('page-today').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('nav').getByRole('button').first().getAttribute('data-testid')).toBe('nav-today');
  expect(await page.getByTestId('nav-assign').count()).toBe(0);
  expect(await page.getByTestId('nav-staff').count()).toBe(0);
  expect(await page.getByTestId('today-collector').count()).toBe(0);
  await eventually(() => page.getByTestId('today-count-new').textContent()).toBe(String(expected));
  expect(await page.getByTestId('today-summary').textContent()).toContain(`在手 ${expected} 件`);
  await eventually(() => gridRows('today-grid').count()).toBe(expected);
  await shot('assign-14-today-collector-zh');
  await cell(gridRows('today-grid').first(), 'caseNo').click();
  await eventually(() => page.getByTestId('case-collector').textContent()).toBe('zhangsan');
  await settled('case-drawer');
  await shot('assign-15-today-drawer-zh');
  await page.getByTestId('case-drawer-close').click();

  await page.getByTestId('nav-cases').click();
  await eventually(() => page.getByTestId('cases-total').textContent()).toBe(`共 ${expected} 个案件`);
  await eventually(async () => new Set(await gridRows('cases-grid').locator('[data-field="collector"]').allTextContents())).toEqual(new Set(['zhangsan']));
  expect(await page.getByTestId('case-actions').count()).toBe(0);
  expect(await page.getByTestId('cases-collector').count()).toBe(0);
  await shot('assign-16-cases-collector-zh');
}

let adminToken: string | null = null;
async function adminSession(): Promise<string> {
  adminToken ??= (await callApi(host, 'auth.login', { username: ADMIN.username, password: ADMIN.password })).token;
  return adminToken;
}

async function idOf(username: string): Promise<number> {
  const { staff } = await callApi(host, 'staff.list', {}, await adminSession());
  return staff.find((s) => s.username === username)!.userId;
}
