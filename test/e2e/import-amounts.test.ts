// Placement files without a total column, through the wizard with no manual mapping (issue 15): one that
// gives the debt as its components (逾期本金 + 逾期利息 + 罚息 + 滞纳金) and its own 委案日期, one that gives
// only "Principal Outstanding". The mapping step says how the total is formed, the confirm step takes the
// file's placement date (and warns when the user picks another), and the case list shows the amount.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { setupAgency } from './helpers/seed.js';
import { makeRows, toCsv } from '../helpers/placement-data.js';

const ADMIN = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
let host: WebHost;
let browser: BrowserSession;
let page: Page;
let dir: string;
const file = (name: string) => path.join(dir, name);
// The agency's day (Asia/Shanghai), n days back.
const daysAgo = (n: number) => new Date(Date.now() + 8 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);

const people = makeRows(4, 21, { caseNoPrefix: 'CMP' });
const componentRows = people.slice(0, 2).map((r, i) => [r[0]!, r[1]!, r[2]!, r[3]!, ['800.00', '1,600.00'][i]!, '120.50', '30.00', '49.50', daysAgo(10)]);
const remaining = makeRows(2, 22, { caseNoPrefix: 'REM' }).map((r, i) => [r[0]!, r[1]!, r[2]!, r[3]!, ['5,000.00', '12,345.67'][i]!]);

describe('amounts without a total column (web host + Chromium)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'agencydesk-e2e-amounts-'));
    writeFileSync(file('components.csv'), toCsv([['合同号', '客户姓名', '身份证号', '手机号码', '逾期本金', '逾期利息', '罚息', '滞纳金', '委案日期'], ...componentRows]));
    writeFileSync(file('remaining.csv'), toCsv([['Loan No', 'Customer Name', 'ID No', 'Mobile', 'Principal Outstanding'], ...remaining]));
    host = await startWebHost();
    const token = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    await callApi(host, 'lenders.create', { code: 'CMPX', name: '明细消费金融' }, token);
    await callApi(host, 'lenders.create', { code: 'REMX', name: '余额小贷' }, token);
    await callApi(host, 'auth.logout', {}, token);
    browser = await launchBrowser({ locale: 'zh-CN' });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports a component-only file and a 剩余本金-only file with no hand mapping', async () => {
    try {
      await journey();
    } catch (e) {
      await browser.screenshot('failure-import-amounts').catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});

async function readFile(ui: ReturnType<typeof uiSteps>, lender: string, filePath: string): Promise<void> {
  await page.getByTestId('nav-import').click();
  await ui.pick('import-lender', `import-lender-${lender}`);
  await page.getByTestId('import-file-input').setInputFiles(filePath);
  await eventually(() => page.getByTestId('import-file-name').textContent()).toContain(path.basename(filePath));
  await page.getByTestId('import-read').click();
  await page.getByTestId('import-mapping').waitFor({ timeout: 60_000 });
}

async function importAndOpenCases(): Promise<void> {
  await page.getByTestId('import-start').click();
  await eventually(() => page.getByTestId('import-result').getAttribute('data-state'), 60_000).toBe('done');
  await page.getByTestId('import-view-cases').click();
}

async function journey(): Promise<void> {
  const ui = uiSteps(browser);
  await page.goto(host.url);
  await ui.login(ADMIN.username, ADMIN.password);
  await page.getByTestId('page-home').waitFor({ timeout: 30_000 });

  // --- Components only: nothing to map by hand; the step says how the total is formed.
  await readFile(ui, 'CMPX', file('components.csv'));
  expect(await page.getByTestId('import-missing').count()).toBe(0);
  expect(await page.getByTestId('import-amount-basis').textContent()).toBe('欠款金额 = 逾期本金 + 逾期利息 + 罚息 + 滞纳金');
  expect(await page.getByTestId('import-map-overdueAmount').textContent()).toBe('— 不导入 —');
  expect(await page.getByTestId('import-count-valid').textContent()).toBe('2');
  await page.getByTestId('import-sample').getByRole('row').filter({ hasText: componentRows[0]![0]! }).filter({ hasText: '1,000.00' }).waitFor();
  await browser.screenshot('import-amounts-01-components-zh');
  expect(await page.getByTestId('import-next').isDisabled()).toBe(false);
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-no-problems').waitFor();
  await page.getByTestId('import-next').click();

  // The batch takes the file's 委案日期; another date is allowed, with a warning.
  expect(await page.getByTestId('import-placement-date').inputValue()).toBe(daysAgo(10));
  expect(await page.getByTestId('import-file-date').textContent()).toBe(`文件中的委案日期为 ${daysAgo(10)}。`);
  await page.getByTestId('import-placement-date').fill(daysAgo(1));
  expect(await page.getByTestId('import-date-differs').textContent()).toContain(`文件中为 ${daysAgo(10)}`);
  await browser.screenshot('import-amounts-02-date-differs-zh');
  await page.getByTestId('import-placement-date').fill(daysAgo(10));
  await page.getByTestId('import-file-date').waitFor();
  await importAndOpenCases();
  await eventually(() => page.getByTestId('cases-total').textContent()).toBe('共 2 个案件');
  const grid = page.getByTestId('cases-grid');
  await eventually(() => grid.getByRole('row').filter({ hasText: componentRows[0]![0]! }).textContent()).toContain('1,000.00');
  await eventually(() => grid.getByRole('row').filter({ hasText: componentRows[1]![0]! }).textContent()).toContain('1,800.00');
  await browser.screenshot('import-amounts-03-cases-zh');

  // --- 剩余本金 only, under an English header: the total is the remaining principal.
  await ui.switchLanguage('en');
  await readFile(ui, 'REMX', file('remaining.csv'));
  expect(await page.getByTestId('import-missing').count()).toBe(0);
  expect(await page.getByTestId('import-map-remainingPrincipal').textContent()).toBe('Principal Outstanding');
  expect(await page.getByTestId('import-amount-basis').textContent()).toBe('Amount owed = Principal Outstanding');
  // Giving that column to "Overdue amount" by hand is not needed, and never silent: the step says which field lost it.
  await ui.pick('import-map-overdueAmount', 'import-map-overdueAmount-option-4');
  expect(await page.getByTestId('import-moved').textContent()).toBe('Column “Principal Outstanding” now feeds Overdue amount; Remaining principal no longer has a column.');
  await ui.pick('import-map-remainingPrincipal', 'import-map-remainingPrincipal-option-4');
  await ui.pick('import-map-overdueAmount', 'import-map-overdueAmount-option-none');
  await page.getByTestId('import-recheck').click();
  await page.getByTestId('import-changed').waitFor({ state: 'detached' });
  await browser.screenshot('import-amounts-04-remaining-en');
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-no-problems').waitFor();
  await page.getByTestId('import-next').click();
  await importAndOpenCases();
  await eventually(() => page.getByTestId('cases-total').textContent()).toBe('2 cases');
  await eventually(() => grid.getByRole('row').filter({ hasText: remaining[1]![0]! }).textContent()).toContain('12,345.67');
  await eventually(() => grid.getByRole('row').filter({ hasText: remaining[0]![0]! }).textContent()).toContain('5,000.00');
  await browser.screenshot('import-amounts-05-cases-en');
  await ui.switchLanguage('zh-CN');
  expect(browser.errors).toEqual([]);
}
