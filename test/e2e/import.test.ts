// The placement import journey in a real browser against the built web host: lenders on the Lenders
// screen → a CSV with bad rows through the wizard (mapping, problems, import, result) → the batch's
// cases (search, masked ID) → Batches and the rejected rows (+ CSV) → the same file again (refused) → a
// file missing a required column → an XLSX with a title row above the header, linked to a PAYD borrower
// (in English) → a large file cancelled mid-import, leaving nothing behind.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const BATCH_NO = 'PAYD-2025-03-A';
const BIG_ROWS = 150_000;

let host: WebHost;
let browser: BrowserSession;
let page: Page;
let dir: string;
const file = (name: string) => path.join(dir, name);

// 24 rows, 4 of them broken in different ways (row numbers as Excel shows them: header is row 1).
const rows = makeRows(24, 7, { caseNoPrefix: 'PA' });
rows[3]![2] = rows[3]![2]!.slice(0, 17) + (rows[3]![2]!.endsWith('0') ? '1' : '0'); // row 5: ID checksum
rows[7]![3] = '1381234'; // row 9: mobile too short
rows[11]![10] = '一千元'; // row 13: not an amount
rows[15]![0] = rows[14]![0]!; // row 17: case number repeated
const maskedId = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;

async function pick(testId: string, optionTestIdOrName: { testId: string } | { name: string | RegExp }): Promise<void> {
  await page.getByTestId(testId).click();
  if ('testId' in optionTestIdOrName) await page.getByTestId(optionTestIdOrName.testId).click();
  else await page.getByRole('option', { name: optionTestIdOrName.name }).click();
}

async function addLender(code: string, name: string): Promise<void> {
  await page.getByTestId('lenders-add').click();
  await page.getByTestId('lender-code').fill(code);
  await page.getByTestId('lender-name').fill(name);
  await page.getByTestId('lender-dialog-submit').click();
  await page.getByTestId('lender-dialog').waitFor({ state: 'detached' });
  // Adding a lender goes on to its contract terms; left for later, the lender says so and accrues nothing.
  await page.getByTestId('money-settings-dialog').waitFor();
  await page.getByTestId('money-settings-cancel').click();
  await page.getByTestId('money-settings-dialog').waitFor({ state: 'detached' });
  await page.getByTestId('lenders-grid').getByRole('row').filter({ hasText: code }).waitFor();
  await page.getByTestId(`lender-terms-not-set-${code}`).waitFor();
}

/** Opens a fresh wizard (unless one is open), picks the lender and file, reads it: lands on the mapping step. */
async function readFile(lenderCode: string, filePath: string, opts: { open?: boolean; screenshot?: string } = {}): Promise<void> {
  if (opts.open !== false) await page.getByTestId('nav-import').click();
  await pick('import-lender', { testId: `import-lender-${lenderCode}` });
  await page.getByTestId('import-file-input').setInputFiles(filePath);
  await eventually(() => page.getByTestId('import-file-name').textContent()).toContain(path.basename(filePath));
  if (opts.screenshot) await browser.screenshot(opts.screenshot);
  await page.getByTestId('import-read').click();
  await page.getByTestId('import-mapping').waitFor({ timeout: 60_000 });
}

async function switchLanguage(lang: 'zh-CN' | 'en'): Promise<void> {
  await page.getByTestId('language-button').click();
  await page.getByTestId(`language-${lang}`).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

describe('placement import journey (web host + Chromium)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'agencydesk-e2e-files-'));
    writeFileSync(file('平安i贷-202503.csv'), toCsv([PLACEMENT_HEADERS, ...rows]));
    // Lender 2's first file has no mobile column at all.
    const noMobile = [PLACEMENT_HEADERS, ...makeRows(5, 11, { caseNoPrefix: 'ZS' })].map((r) => r.filter((_, i) => i !== 3));
    writeFileSync(file('zs-no-mobile.csv'), toCsv(noMobile));
    // Lender 2's workbook: a merged title row above the header, a second sheet after the data.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('委案明细');
    ws.mergeCells('A1:H1');
    ws.getCell('A1').value = '招商消费金融 2025年3月 委案清单';
    ws.addRow(PLACEMENT_HEADERS);
    const zsRows = makeRows(10, 12, { caseNoPrefix: 'ZS' });
    zsRows[0]![2] = rows[0]![2]!; // the same borrower as PAYD's first case: linked, not merged
    for (const r of zsRows) ws.addRow(r);
    ws.getColumn(3).numFmt = '@';
    wb.addWorksheet('汇总').addRow(['合计', 10]);
    await wb.xlsx.writeFile(file('zs-202503.xlsx'));
    // Large enough that the import is still running when Cancel is pressed.
    writeFileSync(file('big.csv'), toCsv([PLACEMENT_HEADERS, ...makeRows(BIG_ROWS, 13, { caseNoPrefix: 'BIG' })]));

    host = await startWebHost();
    const setup = await callApi(host, 'system.setup', { agencyName: '华信催收服务有限公司', admin: ADMIN });
    await callApi(host, 'auth.logout', {}, setup.session.token);
    browser = await launchBrowser({ locale: 'zh-CN' });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports a placement file through the wizard and shows its batch and cases', async () => {
    try {
      await journey();
    } catch (e) {
      await browser.screenshot('failure-import').catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});

async function journey(): Promise<void> {
  await page.goto(host.url);
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('page-home').waitFor({ timeout: 30_000 });

  // --- No lender yet: the wizard says where to add one. Then two lenders on the Lenders screen.
  await page.getByTestId('nav-import').click();
  await eventually(() => page.getByTestId('import-no-lenders').textContent()).toContain('请先添加委托方');
  await page.getByTestId('nav-lenders').click();
  await addLender('PAYD', '平安i贷');
  await addLender('ZSXF', '招商消费金融');

  // --- Step 1 → 2: the file is read, its columns mapped from the header names.
  await readFile('PAYD', file('平安i贷-202503.csv'), { screenshot: 'import-00-file-zh' });
  expect(await page.getByTestId('import-detected').textContent()).toBe('格式 CSV · 编码 UTF-8 · 表头在第 1 行');
  expect(await page.getByTestId('import-template').textContent()).toContain('自动映射');
  const mapped = { caseNo: '合同号', borrowerName: '客户姓名', idNumber: '身份证号', mobile: '手机号码', overdueAmount: '逾期金额', daysOverdue: '逾期天数', contact1Phone: '联系人1电话' };
  for (const [field, header] of Object.entries(mapped)) expect(await page.getByTestId(`import-map-${field}`).textContent(), field).toBe(header);
  expect(await page.getByTestId('import-count-total').textContent()).toBe('24');
  expect(await page.getByTestId('import-count-valid').textContent()).toBe('20');
  expect(await page.getByTestId('import-count-rejected').textContent()).toBe('4');
  await page.getByTestId('import-sample').getByRole('row').filter({ hasText: rows[0]![0]! }).waitFor();
  await browser.screenshot('import-01-mapping-zh');

  // Unmapping a required field blocks the way on until it is mapped (and re-checked) again.
  await pick('import-map-mobile', { name: '— 不导入 —' });
  await eventually(() => page.getByTestId('import-missing').textContent()).toContain('手机号');
  expect(await page.getByTestId('import-next').isDisabled()).toBe(true);
  await pick('import-map-mobile', { name: /^手机号码/ });
  await page.getByTestId('import-recheck').click();
  await page.getByTestId('import-changed').waitFor({ state: 'detached' });
  expect(await page.getByTestId('import-missing').count()).toBe(0);

  // --- Step 3: the rejected rows with their reasons, and the lender's policy.
  await page.getByTestId('import-next').click();
  expect(await page.getByTestId('import-policy').textContent()).toContain('PAYD 的策略：导入正确的行');
  const problems = page.getByTestId('import-rejections');
  for (const [row, column, reason] of [
    ['5', '身份证号', '身份证号校验位不符'],
    ['9', '手机号码', '手机号为 7 位'],
    ['13', '逾期金额', '不是金额：一千元'],
    ['17', '合同号', `案件编号 ${rows[14]![0]} 重复出现（首次在第 16 行）`],
  ] as const) {
    const text = await problems.getByRole('row').filter({ hasText: column }).filter({ has: page.getByRole('gridcell', { name: row, exact: true }) }).textContent();
    expect(text, `row ${row}`).toContain(reason);
  }
  await browser.screenshot('import-02-problems-zh');

  // --- Step 4: start, follow, result.
  await page.getByTestId('import-next').click();
  expect(await page.getByTestId('import-placement-date').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(await page.getByTestId('import-summary').textContent()).toContain('将向 PAYD 导入 20 行');
  await page.getByTestId('import-batch-no').fill(BATCH_NO);
  await page.getByTestId('import-start').click();
  await eventually(() => page.getByTestId('import-result').getAttribute('data-state'), 60_000).toBe('done');
  expect(await page.getByTestId('import-done').textContent()).toContain(BATCH_NO);
  expect(await page.getByTestId('import-result-imported').textContent()).toBe('20');
  expect(await page.getByTestId('import-result-updated').textContent()).toBe('0');
  expect(await page.getByTestId('import-result-rejected').textContent()).toBe('4');
  await browser.screenshot('import-03-result-zh');

  // --- The batch's cases: search by name, the ID number arrives masked.
  await page.getByTestId('import-view-cases').click();
  await eventually(() => page.getByTestId('cases-total').textContent()).toBe('共 20 个案件');
  const [caseNo, name, idNumber] = rows[0]!;
  await page.getByTestId('cases-search').fill(name!);
  const valid = rows.filter((_, i) => ![3, 7, 11, 15].includes(i));
  await eventually(() => page.getByTestId('cases-total').textContent()).toBe(`共 ${valid.filter((r) => r[1]!.startsWith(name!)).length} 个案件`);
  const caseRow = page.getByTestId('cases-grid').getByRole('row').filter({ hasText: caseNo! });
  await eventually(() => caseRow.textContent()).toContain(maskedId(idNumber!));
  expect(await caseRow.textContent()).not.toContain(idNumber!);
  expect(await caseRow.textContent()).toContain('未分配');
  await browser.screenshot('import-04-cases-zh');

  // --- Batches: the counts, the rejected rows with reasons and original values.
  await page.getByTestId('nav-batches').click();
  const batchRow = page.getByTestId('batches-grid').getByRole('row').filter({ hasText: BATCH_NO });
  await batchRow.waitFor();
  const cells = await batchRow.getByRole('gridcell').allTextContents();
  expect(cells).toEqual(expect.arrayContaining(['PAYD', '平安i贷-202503.csv', '24', '20', '0', '4']));
  await page.getByTestId(`batch-rejections-${BATCH_NO}`).click();
  const dialog = page.getByTestId('batch-rejections-dialog');
  await eventually(() => dialog.getByTestId('batch-rejections-count').textContent()).toBe('4 个问题');
  await dialog.getByRole('row').filter({ hasText: '校验位不符' }).waitFor();
  // Let the dialog finish fading in before the screenshot.
  await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-testid="batch-rejections-dialog"]')!.parentElement!).opacity === '1');
  await browser.screenshot('import-05-batch-rejections-zh');
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('batch-rejections-download').click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe(`\uFEFF行号,列,原因,${PLACEMENT_HEADERS.join(',')}`);
  expect(csv).toContain(`5,身份证号,身份证号校验位不符,${rows[3]!.join(',')}`);
  await dialog.getByTestId('batch-rejections-close').click();
  await dialog.waitFor({ state: 'detached' });

  // --- The same file again: mapped by the saved template, refused as a duplicate.
  await readFile('PAYD', file('平安i贷-202503.csv'));
  expect(await page.getByTestId('import-template').textContent()).toContain('“PAYD”');
  expect(await page.getByTestId('import-duplicate').textContent()).toContain(BATCH_NO);
  expect(await page.getByTestId('import-next').isDisabled()).toBe(true);
  await browser.screenshot('import-06-duplicate-zh');

  // --- In English: a file without the mobile column cannot go on.
  await switchLanguage('en');
  await readFile('ZSXF', file('zs-no-mobile.csv'));
  expect(await page.getByTestId('import-missing').textContent()).toBe('Map the required fields before going on: Mobile.');
  expect(await page.getByTestId('import-next').isDisabled()).toBe(true);
  await browser.screenshot('import-07-missing-en');
  await page.getByTestId('theme-button').click();
  await page.getByTestId('theme-dark').click();
  await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
  await browser.screenshot('import-07b-missing-en-dark');
  await page.getByTestId('theme-button').click();
  await page.getByTestId('theme-light').click();

  // --- An XLSX with a title row above the header; its sheets can be chosen in step 1.
  await readFile('ZSXF', file('zs-202503.xlsx'));
  expect(await page.getByTestId('import-detected').textContent()).toBe('Format XLSX · header in row 2 · sheet 委案明细');
  expect(await page.getByTestId('import-count-valid').textContent()).toBe('10');
  await browser.screenshot('import-08-xlsx-mapping-en');
  await page.getByTestId('import-back').click();
  await pick('import-sheet', { name: '汇总' });
  await pick('import-sheet', { name: '委案明细' });
  await page.getByTestId('import-read').click();
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-no-problems').waitFor();
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-start').click();
  await eventually(() => page.getByTestId('import-result').getAttribute('data-state'), 60_000).toBe('done');
  expect(await page.getByTestId('import-result-imported').textContent()).toBe('10');
  await browser.screenshot('import-09-xlsx-result-en');

  // --- A large file, cancelled while it runs: nothing of it is kept.
  await page.getByTestId('import-another').click();
  await readFile('PAYD', file('big.csv'), { open: false });
  expect(await page.getByTestId('import-count-valid').textContent()).toBe(BIG_ROWS.toLocaleString('en'));
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-start').click();
  await eventually(() => page.getByTestId('import-progress-text').textContent(), 30_000).toMatch(/^[1-9][\d,]* rows read · [\d.]+ MB of [\d.]+ MB$/);
  await browser.screenshot('import-10-progress-en');
  await page.getByTestId('import-cancel').click();
  await eventually(() => page.getByTestId('import-result').getAttribute('data-state'), 30_000).toBe('cancelled');
  expect(await page.getByTestId('import-failed').textContent()).toContain('nothing of it was kept');

  // --- All cases, English, sorted by the server; then the amount filter.
  await page.getByTestId('nav-cases').click();
  await eventually(() => page.getByTestId('cases-total').textContent()).toBe('30 cases');
  await page.getByTestId('cases-min').fill('abc');
  await eventually(() => page.getByTestId('page-cases').textContent()).toContain('Not an amount');
  await page.getByTestId('cases-min').fill('');
  // A full ID number finds the borrower under both lenders; each case shows the link to the other.
  await page.getByTestId('cases-search').fill(rows[0]![2]!);
  await eventually(() => page.getByTestId('cases-total').textContent()).toBe('2 cases');
  await page.getByTestId(`case-linked-${rows[0]![0]}`).waitFor();
  await page.getByTestId('case-linked-ZS00000001').waitFor();
  await browser.screenshot('import-11-cases-en');
  await page.getByTestId('nav-batches').click();
  await page.getByTestId('batches-grid').getByRole('row').filter({ hasText: 'ZSXF' }).waitFor();
  expect(await page.getByTestId('batches-grid').getByRole('row').count()).toBe(3); // header + 2 batches
  await browser.screenshot('import-12-batches-en');
  await switchLanguage('zh-CN');

  expect(browser.errors).toEqual([]);
}
