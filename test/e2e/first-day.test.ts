// A new agency's first day as its manager tries it (session 18's QA walk), Chromium, zh-CN, 1366×768:
// - adding a lender goes on to its contract terms: the manager types the penalty and the APR cap, then ticks
//   "以上为合同约定的条款" as the warning asks — the typed terms must be saved (the tick used to turn the
//   switch off again and drop them silently, under a "saved" notice);
// - the lender's workbook has 填表说明 as its first sheet and the cases on the second: the wizard reads the
//   cases' sheet by itself (it used to stop at "no header row" with no sheet to choose);
// - long names (an 80-character user name, a 120-character borrower name) keep the app bar and the case
//   drawer's buttons on one line (they used to squeeze "中文" and "变更阶段" into a column of characters).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { login, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '周管理', password: 'Admin-pass-2026' };
const MANAGER: Person = { username: 'lisi', displayName: '欧阳'.repeat(40), password: 'Manager-pass-2026' };
const LONG_BORROWER = '欧阳'.repeat(60);

let host: WebHost;
let browser: BrowserSession;
let page: Page;
let dir: string;

describe("a new agency's first day: the manager's lender and first workbook (web host + Chromium)", () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'agencydesk-e2e-first-day-'));
    const wb = new ExcelJS.Workbook();
    const help = wb.addWorksheet('填表说明');
    help.getCell('A1').value = '1. 金额单位：元';
    help.getCell('A2').value = '2. 身份证号请设置为文本格式';
    const ws = wb.addWorksheet('案件数据');
    ws.addRow(PLACEMENT_HEADERS);
    const rows = makeRows(5, 18, { caseNoPrefix: 'FD' });
    rows[0]![1] = LONG_BORROWER;
    for (const r of rows) ws.addRow(r);
    await wb.xlsx.writeFile(path.join(dir, 'help-first.xlsx'));

    host = await startWebHost();
    const admin = await setupAgency(host, '鑫盛商务咨询有限公司', ADMIN);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the terms typed before ticking the confirmation, and imports a workbook whose first sheet is instructions', async () => {
    try {
      await journey();
    } catch (e) {
      await browser.screenshot('first-day-failure').catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});

async function journey(): Promise<void> {
  const ui = uiSteps(browser);
  await page.goto(host.url);
  await ui.login(MANAGER.username, MANAGER.password);
  await page.getByTestId('nav-lenders').click();

  // --- A lender, then its contract terms: typed first, then the confirmation ticked.
  await page.getByTestId('lenders-add').click();
  await page.getByTestId('lender-code').fill('PAYD');
  await page.getByTestId('lender-name').fill('平安i贷');
  await page.getByTestId('lender-dialog-submit').click();
  await page.getByTestId('lender-dialog').waitFor({ state: 'detached' });
  await page.getByTestId('money-settings-dialog').waitFor();
  await page.getByTestId('ms-penalty').fill('0.05');
  await page.getByTestId('ms-aprCap').fill('24');
  const confirm = page.getByTestId('ms-confirmTerms');
  // Typing a term already confirms it; a click on the switch cannot undo that and drop what was typed.
  expect(await confirm.isChecked()).toBe(true);
  await page.getByTestId('ms-terms-not-set').getByText('以上为合同约定的条款').click({ force: true });
  expect(await confirm.isChecked()).toBe(true);
  await ui.shot('first-day-01-terms');
  await page.getByTestId('money-settings-save').click();
  await page.getByTestId('money-settings-dialog').waitFor({ state: 'detached' });
  await page.getByTestId('lenders-grid').getByRole('row').filter({ hasText: 'PAYD' }).filter({ hasText: '已录入' }).waitFor();
  expect(await page.getByTestId('lender-terms-not-set-PAYD').count()).toBe(0);
  const manager = await login(host, MANAGER);
  const [payd] = (await callApi(host, 'lenders.list', {}, manager)).lenders;
  expect(payd!.termsSet).toBe(true);
  const settings = await callApi(host, 'money.settings', { lenderId: payd!.id }, manager);
  expect([settings.terms.penaltyPpmPerDay, settings.terms.aprCapPpm]).toEqual([500, 240_000]);

  // --- The workbook: instructions on its first sheet, the cases on the second.
  await page.getByTestId('nav-import').click();
  await ui.pick('import-lender', 'import-lender-PAYD');
  await page.getByTestId('import-file-input').setInputFiles(path.join(dir, 'help-first.xlsx'));
  await page.getByTestId('import-read').click();
  await page.getByTestId('import-mapping').waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('import-detected').textContent()).toContain('案件数据');
  expect(await page.getByTestId('import-counts').textContent()).toContain('5');
  await ui.shot('first-day-02-second-sheet');
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-start').click();
  await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
  await eventually(async () => (await callApi(host, 'cases.list', { lenderId: payd!.id, sort: 'id', desc: false, offset: 0, limit: 50 }, manager)).total).toBe(5);

  // --- Long names at 1366×768: one line each, nothing squeezed.
  const height = async (testId: string) => (await page.getByTestId(testId).boundingBox())!.height;
  expect(await height('user-menu-button')).toBeLessThanOrEqual(56);
  expect(await height('language-button')).toBeLessThanOrEqual(40);
  await page.getByTestId('nav-cases').click();
  await page.getByText('FD00000001').click();
  await page.getByTestId('case-drawer-title').waitFor();
  await ui.settled('case-drawer');
  expect(await page.getByTestId('case-drawer-title').textContent()).toContain(LONG_BORROWER);
  expect(await height('stage-menu')).toBeLessThanOrEqual(40);
  await ui.shot('first-day-03-long-names');
  expect(browser.errors.filter((e) => !e.includes('favicon') && !e.includes('Permissions-Policy'))).toEqual([]);
}
