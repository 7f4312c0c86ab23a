// The repayments journey in a real browser against the built web host, as manager lisi at 1366×768.
// Seeded through the API: lender PAYD, a 3-case placement made today, the agency's own ¥300.00 on case 1
// and ¥500.00 on case 2, commission tiers 10 % from day 0 and 15 % from day 31. In the UI:
// - the Repayments section: a GB18030 CSV with a title row → preview (columns mapped, 1 matched, 2 to
//   post, 3 problem rows with row, column and reason) → import → result;
// - the same file again: refused as a duplicate before anything is written;
// - Files imported, with the file's rejected rows;
// - Reconciliation for this month: matched ¥300.00, lender only ¥120.00, agency only none, the ¥450.00 vs
//   ¥500.00 mismatch;
// - the commission statement and its CSV; then the same screens in English.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { cstDay } from './helpers/casework.js';
import { importCsv, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };
const AUDITOR: Person = { username: 'zhaoliu', displayName: '赵六', password: 'Auditor-pass-1' };
const COLLECTOR: Person = { username: 'zhangsan', displayName: '张三', password: 'Collector-pass-1' };
const TODAY = cstDay(Date.now());

let host: WebHost;
let browser: BrowserSession;
let page: Page;
let files: string;
const file = (name: string) => path.join(files, name);
const col = (h: string) => PLACEMENT_HEADERS.indexOf(h);

describe('repayments journey (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    const admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    await callApi(host, 'users.create', { ...AUDITOR, role: 'auditor', teamId: null }, admin);
    await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: null }, admin);
    const lenderId = (await callApi(host, 'lenders.create', { code: 'PAYD', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin)).id;
    const rows = makeRows(3, 23, { caseNoPrefix: 'RP' }).map((r, i) => {
      const x = [...r];
      x[col('逾期金额')] = '10500.00';
      x[col('逾期本金')] = '10000.00';
      x[col('逾期利息')] = '500.00';
      x[col('罚息')] = '0';
      x[col('逾期天数')] = String([12, 40, 95][i]);
      return x;
    });
    const job = await importCsv(host, admin, lenderId, '平安i贷-repay.csv', toCsv([PLACEMENT_HEADERS, ...rows]), 'PAYD-REPAY-1');
    expect(job.result?.imported).toBe(3);
    const cases = (await callApi(host, 'cases.list', { lenderId, sort: 'id', desc: false, offset: 0, limit: 50 }, admin)).rows;
    await callApi(host, 'payments.post', { caseId: cases[0]!.id, paidOn: TODAY, amountFen: 30_000, channel: 'alipay' }, admin);
    await callApi(host, 'payments.post', { caseId: cases[1]!.id, paidOn: TODAY, amountFen: 50_000, channel: 'bank_transfer' }, admin);
    await callApi(host, 'money.setSettings', { lenderId, commission: [{ fromDay: 0, ratePpm: 100_000 }, { fromDay: 31, ratePpm: 150_000 }] }, admin);
    files = mkdtempSync(path.join(tmpdir(), 'agencydesk-e2e-repay-'));
    const lenderFile = [
      ['平安i贷 回款明细'],
      ['借据号', '回款金额(元)', '入账日期', '还款渠道', '还款人', '交易流水号'],
      ['RP00000001', '300.00', TODAY, '支付宝', '本人', 'T1'],
      ['RP00000002', '450.00', TODAY, '银行卡代扣', '本人', 'T2'],
      ['RP00000003', '120.00', TODAY, '微信', '配偶', 'T3'],
      ['RP99999999', '80.00', TODAY, '支付宝', '本人', 'T4'],
      ['RP00000003', '一百元', TODAY, '支付宝', '本人', 'T5'],
      ['RP00000003', '60.00', '2099-01-01', '支付宝', '本人', 'T6'],
    ];
    writeFileSync(file('平安i贷-回款-202611.csv'), iconv.encode(toCsv(lenderFile), 'gb18030'));
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  it('imports a repayment file, refuses it twice, reconciles and states the commission', async () => {
    try {
      await importJourney();
      await filesAndReconcile();
      await commission();
      await inEnglish();
      await otherRoles();
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-repayments.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});

async function previewFile(ui: ReturnType<typeof uiSteps>): Promise<void> {
  await ui.pick('import-lender', 'import-lender-PAYD');
  await page.getByTestId('import-file-input').setInputFiles(file('平安i贷-回款-202611.csv'));
  await eventually(() => page.getByTestId('import-file-name').textContent()).toContain('平安i贷-回款-202611.csv');
  await page.getByTestId('repay-preview').click();
  await page.getByTestId('repay-preview-panel').waitFor({ timeout: 30_000 });
}

async function importJourney(): Promise<void> {
  const ui = uiSteps(browser);
  await page.goto(host.url);
  await ui.login(MANAGER.username, MANAGER.password);
  await page.getByTestId('nav-repayments').click();
  await page.getByTestId('page-repayments').waitFor();
  await previewFile(ui);
  const count = (id: string) => page.getByTestId(`repay-counts-${id}`).textContent();
  expect(await count('total')).toContain('6');
  expect(await count('matched')).toContain('1');
  expect(await count('posted')).toContain('2');
  expect(await count('rejected')).toContain('3');
  expect(await count('amount')).toContain('¥870.00');
  expect(await page.getByTestId('repay-map-amount').textContent()).toBe('回款金额(元)');
  await eventually(() => ui.gridRows('repay-problems').count()).toBe(3);
  const problems = await page.getByTestId('repay-problems').textContent();
  expect(problems).toContain('本委托方没有案件 RP99999999');
  expect(problems).toContain('2099-01-01 是未来的日期');
  expect(await page.getByTestId('repay-sample').textContent()).toContain('匹配');
  await browser.screenshot('repayments-01-preview-zh');

  await page.getByTestId('repay-confirm').click();
  await page.getByTestId('repay-result').waitFor();
  expect(await page.getByTestId('repay-result-message').textContent()).toBe('文件已导入：匹配 1，入账 2，拒绝 3。');
  await browser.screenshot('repayments-02-result-zh');

  // The same file again: refused before anything is written.
  await page.getByTestId('repay-again').click();
  await previewFile(ui);
  await page.getByTestId('repay-duplicate').waitFor();
  expect(await page.getByTestId('repay-confirm').isDisabled()).toBe(true);
}

async function filesAndReconcile(): Promise<void> {
  const ui = uiSteps(browser);
  await page.getByTestId('repay-tab-files').click();
  await eventually(() => ui.gridRows('repay-files').count()).toBe(1);
  const row = ui.gridRows('repay-files').first();
  expect(await ui.cell(row, 'fileName').textContent()).toBe('平安i贷-回款-202611.csv');
  expect(await ui.cell(row, 'amountFen').textContent()).toBe('¥870.00');
  await row.getByRole('button').click();
  await eventually(() => ui.gridRows('repay-file-problems').count()).toBe(3);
  await page.waitForFunction(() => getComputedStyle(document.querySelector('.MuiDialog-container')!).opacity === '1');
  await browser.screenshot('repayments-03-file-rejections-zh');
  await page.getByRole('dialog').getByRole('button').click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  await page.getByTestId('repay-tab-reconcile').click();
  await ui.pick('recon-lender', 'recon-lender-PAYD');
  await page.getByTestId('recon-run').click();
  await page.getByTestId('recon-result').waitFor();
  await eventually(() => page.getByTestId('recon-run').isEnabled()).toBe(true);
  expect(await page.getByTestId('recon-matched-total').textContent()).toBe('¥300.00');
  expect(await page.getByTestId('recon-lenderOnly-total').textContent()).toBe('¥120.00');
  expect(await page.getByTestId('recon-agencyOnly-count').textContent()).toBe('0 笔');
  expect(await page.getByTestId('recon-mismatches-total').textContent()).toBe('委托方 ¥450.00 · 机构 ¥500.00');
  expect(await page.getByTestId('recon-mismatch-RP00000002').textContent()).toContain('-¥50.00');
  await browser.screenshot('repayments-04-reconcile-zh');
}

async function commission(): Promise<void> {
  const ui = uiSteps(browser);
  await page.getByTestId('repay-tab-commission').click();
  await ui.pick('commission-lender', 'commission-lender-PAYD');
  await page.getByTestId('commission-run').click();
  // ¥300 at 10 % = ¥30.00; ¥500 and ¥450 at 15 % = ¥75.00 + ¥67.50; ¥120 at 15 % (95 days) = ¥18.00.
  await eventually(() => page.getByTestId('commission-totals').textContent()).toBe('4 笔 · 回款 ¥1,370.00 · 佣金 ¥190.50');
  expect(await ui.gridRows('commission-grid').count()).toBe(4);
  await browser.screenshot('repayments-05-commission-zh');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('commission-csv').click()]);
  expect(download.suggestedFilename()).toBe(`commission-PAYD-${TODAY.slice(0, 7)}.csv`);
  const csv = readFileSync((await download.path())!, 'utf8').split('\r\n');
  expect(csv[0]).toBe('\uFEFF日期,案件编号,来源,委案时逾期天数,费率,金额,佣金');
  expect(csv).toContain(`${TODAY},RP00000003,委托方文件,95,15%,120.00,18.00`);
  expect(csv).toContain('合计,,,,,"1,370.00",190.50');
}

async function inEnglish(): Promise<void> {
  const ui = uiSteps(browser);
  await ui.switchLanguage('en');
  await eventually(() => page.getByTestId('commission-totals').textContent()).toBe('4 payments · recovered ¥1,370.00 · commission ¥190.50');
  await browser.screenshot('repayments-06-commission-en');
  await page.getByTestId('repay-tab-reconcile').click();
  await ui.pick('recon-lender', 'recon-lender-PAYD');
  await page.getByTestId('recon-run').click();
  await eventually(() => page.getByTestId('recon-lenderOnly-count').textContent()).toBe('1 payment');
  await eventually(() => page.getByTestId('recon-run').isEnabled()).toBe(true);
  await browser.screenshot('repayments-07-reconcile-en');
}

/** An auditor reads the files, reconciliation and commission but imports nothing; a collector has no Repayments. */
async function otherRoles(): Promise<void> {
  const ui = uiSteps(browser);
  await ui.logout();
  await ui.login(AUDITOR.username, AUDITOR.password);
  await page.getByTestId('nav-repayments').click();
  await eventually(() => ui.gridRows('repay-files').count()).toBe(1);
  expect(await page.getByTestId('repay-tab-import').count()).toBe(0);
  expect(await page.getByTestId('repay-tab-reconcile').count()).toBe(1);
  await ui.logout();
  await ui.login(COLLECTOR.username, COLLECTOR.password);
  await page.getByTestId('page-today').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('nav-repayments').count()).toBe(0);
}
