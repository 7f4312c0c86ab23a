// Tables people can read, in a real browser against the built web host (zh-CN, 1366×768):
// - a long case number (ZA2025000123456…) is shown whole in the cases list, not "ZA2025000…";
// - a column width and a hidden column, changed through the grid itself, are kept per user in the store:
//   they survive a reload and a re-login (and the API shows them saved);
// - the cases list fits ≥ 12 rows at 1366×768 in compact rows (rows at 1280×720 are counted and printed);
// - the audit log reads in words, the raw JSON one click away;
// - the screenshots in docs/screenshots/ are taken here, with realistic data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { callApi, REPO_ROOT, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { cstDay } from './helpers/casework.js';
import { importCsv, login, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };
const COLLECTOR: Person = { username: 'zhangsan', displayName: '张三', password: 'Collector-pass-1' };
const COLLECTOR2: Person = { username: 'wangwu', displayName: '王五', password: 'Collector-pass-2' };
const TODAY = cstDay(Date.now());
const DOCS = path.join(REPO_ROOT, 'docs/screenshots');
// The longest case number in the file: 众安's numbers plus a renewal suffix.
const LONG_CASE_NO = 'ZA2025000987654-R01';

let host: WebHost;
let browser: BrowserSession;
let page: Page;
let ui: ReturnType<typeof uiSteps>;
/** The case the first payment is posted on, as people know it (the audit log names it so). */
let paidCase = { caseNo: '', lenderCode: '' };

/** A viewport screenshot (what fits at 1366×768) for the docs, also kept with the test results. */
async function docShot(name: string): Promise<void> {
  const note = page.getByTestId('notification');
  if ((await note.count()) > 0) await note.locator('button').click({ timeout: 2_000 }).catch(() => {});
  await note.waitFor({ state: 'detached' });
  mkdirSync(DOCS, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  copyFileSync(file, path.join(DOCS, `${name}.png`));
}

/** Rows of the grid whose whole height is inside its scrolling area. */
async function rowsInView(testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((grid) => {
    const scroller = grid.querySelector('.MuiDataGrid-virtualScroller')!.getBoundingClientRect();
    return [...grid.querySelectorAll('.MuiDataGrid-row')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= scroller.top - 1 && b.bottom <= scroller.bottom + 1;
    }).length;
  });
}

/** The header's width of a column. */
const headerWidth = (field: string) => page.locator(`.MuiDataGrid-columnHeader[data-field="${field}"]`).evaluate((e) => Math.round(e.getBoundingClientRect().width));

/** Identifier cells on the page whose text does not fit (their text, for the failure message). */
const overflowingIdents = () => page.locator('.ad-ident').evaluateAll((cs) => cs.filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.textContent));

async function loginAs(who: Person, landing: string): Promise<void> {
  await ui.login(who.username, who.password);
  await page.getByTestId(`page-${landing}`).waitFor({ timeout: 30_000 });
}

describe('tables people can read (web host + Chromium, 1366×768)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    const admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    const team = await callApi(host, 'teams.create', { name: 'M1组' }, admin);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    const c1 = await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: team.id }, admin);
    const c2 = await callApi(host, 'users.create', { ...COLLECTOR2, role: 'collector', teamId: team.id }, admin);
    const za = await callApi(host, 'lenders.create', { code: 'ZAXD', name: '众安小贷', contact: '王经理 021-6888 1234', rejectPolicy: 'skip_rows' }, admin);
    const pa = await callApi(host, 'lenders.create', { code: 'PAYD', name: '平安i贷', contact: '陈女士 0755-2233 4455', rejectPolicy: 'skip_rows' }, admin);
    await callApi(host, 'lenders.create', { code: 'MSXF', name: '马上消费金融', contact: '', rejectPolicy: 'block_file' }, admin);
    // 众安's case numbers: ZA2025000123456… (one renewal with a suffix, the longest); 平安's: PA… .
    const zaRows = makeRows(48, 7).map((r, i) => [i === 5 ? LONG_CASE_NO : `ZA2025000${123456 + i * 37}`, ...r.slice(1)]);
    const paRows = makeRows(30, 11, { caseNoPrefix: 'PAYD2025110' });
    const batchZa = `ZAXD-${TODAY.replaceAll('-', '')}-01`;
    expect((await importCsv(host, admin, za.id, '众安小贷-委案.csv', toCsv([PLACEMENT_HEADERS, ...zaRows]), batchZa, TODAY)).result?.imported).toBe(48);
    expect((await importCsv(host, admin, pa.id, '平安i贷-11月委案.csv', toCsv([PLACEMENT_HEADERS, ...paRows]), `PAYD-${TODAY.replaceAll('-', '')}-A`, TODAY)).result?.imported).toBe(30);
    const all = (await callApi(host, 'cases.list', { sort: 'id', desc: false, offset: 0, limit: 200 }, admin)).rows;
    const ids = all.map((r) => r.id);
    paidCase = { caseNo: all[0]!.caseNo, lenderCode: all[0]!.lenderCode };
    await callApi(host, 'assign.manual', { caseIds: ids.filter((_, i) => i % 2 === 0), collectorId: c1.id }, admin);
    await callApi(host, 'assign.manual', { caseIds: ids.filter((_, i) => i % 2 === 1 && i < 60), collectorId: c2.id }, admin);
    // A morning's work: payments, inbound calls with a promise, a plan waiting, a complaint.
    await callApi(host, 'payments.post', { caseId: ids[0]!, paidOn: TODAY, amountFen: 1_234_500, channel: 'bank_transfer', payer: '本人' }, admin);
    await callApi(host, 'payments.post', { caseId: ids[3]!, paidOn: TODAY, amountFen: 250_000, channel: 'alipay', payer: '本人' }, admin);
    const zs = await login(host, COLLECTOR);
    await callApi(host, 'contacts.log', { caseId: ids[2]!, channel: 'phone', direction: 'inbound', outcome: 'promised_to_pay', durationSec: 95, promise: { amountFen: 300_000, date: TODAY } }, zs);
    await callApi(host, 'contacts.log', { caseId: ids[4]!, channel: 'phone', direction: 'inbound', outcome: 'no_answer' }, zs);
    await callApi(host, 'plans.propose', { caseId: ids[6]!, kind: 'extension', reason: '收入中断，下月发工资后还清', dueDate: cstDay(Date.now() + 30 * 86_400_000) }, zs);
    await callApi(host, 'complaints.record', { caseId: ids[8]!, channel: 'phone', from: 'borrower', what: '称催收员来电语气过重，要求更换催收员' }, zs);
    await callApi(host, 'targets.set', { month: TODAY.slice(0, 7), amountFen: 50_000_000 }, admin);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
    page = browser.page;
    ui = uiSteps(browser);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  async function failing(name: string, e: unknown): Promise<never> {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `failure-${name}.png`) }).catch(() => {});
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
  }

  it('shows a long case number whole and keeps column widths and hidden columns across a reload and a re-login', async () => {
    try {
      await page.goto(host.url);
      await page.getByTestId('login-screen').waitFor();
      await docShot('01-login');
      await loginAs(MANAGER, 'home');
      await page.getByTestId('nav-cases').click();
      const grid = page.getByTestId('cases-grid');
      // Sorted by case number (newest first), the longest one is the first row.
      await page.locator('.MuiDataGrid-columnHeader[data-field="caseNo"]').click();
      const cell = grid.locator(`.MuiDataGrid-row:has([data-ident="caseNo"][title="${LONG_CASE_NO}"]) [data-field="caseNo"]`);
      await eventually(() => cell.count(), 20_000).toBe(1);
      // Whole: the text is all there and nothing overflows its cell (no ellipsis), at 1366×768.
      expect(await cell.textContent()).toBe(LONG_CASE_NO);
      const fit = await cell.evaluate((c) => {
        const span = c.querySelector('span')!;
        return { text: Math.ceil(span.getBoundingClientRect().width), cell: Math.floor(c.getBoundingClientRect().width), overflow: c.scrollWidth > c.clientWidth };
      });
      expect(fit.overflow).toBe(false);
      expect(fit.text).toBeLessThanOrEqual(fit.cell - 16);
      // Other identifiers too: lender codes, masked phones and ID numbers, batch numbers.
      for (const field of ['lenderCode', 'mobile', 'idNumber', 'batchNo']) {
        const over = await grid.locator(`[data-field="${field}"].ad-ident`).evaluateAll((cs) => cs.filter((c) => c.scrollWidth > c.clientWidth).length);
        expect(over, field).toBe(0);
      }
      const rows1366 = await rowsInView('cases-grid');
      expect(rows1366).toBeGreaterThanOrEqual(12);
      await docShot('04-cases');

      // Drag the borrower column's right edge 60 px wider; hide the placed-amount column from its menu.
      const before = await headerWidth('borrowerName');
      const sep = page.locator('.MuiDataGrid-columnHeader[data-field="borrowerName"] .MuiDataGrid-columnSeparator');
      const box = (await sep.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2, { steps: 4 });
      await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 4 });
      await page.mouse.up();
      const wider = await headerWidth('borrowerName');
      expect(wider).toBeGreaterThanOrEqual(before + 50);
      const province = page.locator('.MuiDataGrid-columnHeader[data-field="placedFen"]');
      await province.hover();
      await province.locator('.MuiDataGrid-menuIconButton').click();
      await page.getByRole('menuitem', { name: '隐藏' }).click();
      await eventually(() => province.count()).toBe(0);
      // Compact rows are a column-menu choice too (on now: the default).
      const bucket = page.locator('.MuiDataGrid-columnHeader[data-field="stage"]');
      await bucket.hover();
      await bucket.locator('.MuiDataGrid-menuIconButton').click();
      expect(await page.getByTestId('grid-density-toggle').locator('svg').count()).toBe(1);
      await page.keyboard.press('Escape');

      // Saved in the store for this user (any session of theirs reads them).
      const api = await login(host, MANAGER);
      await eventually(async () => (await callApi(host, 'prefs.get', {}, api)).prefs['grid.cases']).toEqual({ widths: { borrowerName: wider }, visible: { placedFen: false } });

      // A reload (the web page keeps no session: log in again) and then a logout and a login.
      for (const step of ['reload', 're-login'] as const) {
        if (step === 'reload') await page.reload();
        else await ui.logout();
        await page.getByTestId('login-screen').waitFor();
        await loginAs(MANAGER, 'home');
        await page.getByTestId('nav-cases').click();
        await grid.locator('.MuiDataGrid-row').first().waitFor();
        await eventually(() => headerWidth('borrowerName')).toBe(wider);
        expect(await province.count(), step).toBe(0);
        expect(await page.locator('.MuiDataGrid-columnHeader[data-field="caseNo"]').count()).toBe(1);
      }
      // Another user's grid is their own.
      await ui.logout();
      await loginAs(COLLECTOR, 'today');
      await page.getByTestId('nav-cases').click();
      await grid.locator('.MuiDataGrid-row').first().waitFor();
      expect(await province.count()).toBe(1);

      // The same page at 1280×720: counted and printed (the README quotes it).
      await page.setViewportSize({ width: 1280, height: 720 });
      await ui.logout();
      await loginAs(MANAGER, 'home');
      await page.getByTestId('nav-cases').click();
      await grid.locator('.MuiDataGrid-row').first().waitFor();
      const rows1280 = await rowsInView('cases-grid');
      console.log(`cases list rows in view (manager, compact): 1366×768 → ${rows1366}, 1280×720 → ${rows1280}`);
      expect(rows1280).toBeGreaterThanOrEqual(10);
      await page.setViewportSize({ width: 1366, height: 768 });
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await failing('tables-prefs', e);
    }
  });

  it('screens at 1366×768 in zh-CN: home, a case, lenders, Today, the audit log in words', async () => {
    try {
      await page.goto('about:blank');
      await page.goto(host.url);
      await page.getByTestId('login-screen').waitFor();
      await loginAs(MANAGER, 'home');
      await eventually(() => page.getByTestId('home-plans-value').textContent()).toBe('1');
      await docShot('02-home-manager');

      await page.getByTestId('nav-cases').click();
      await page.getByTestId('cases-grid').locator('.MuiDataGrid-row').first().waitFor();
      await page.getByTestId('cases-grid').locator('.MuiDataGrid-row').first().locator('[data-field="borrowerName"]').click();
      await ui.settled('case-drawer');
      await page.getByTestId('case-drawer-title').waitFor();
      await page.waitForTimeout(500); // the drawer's panels load their parts
      await docShot('05-case');
      await page.getByTestId('case-drawer-close').click();
      await page.getByTestId('case-drawer').waitFor({ state: 'detached' });

      await page.getByTestId('nav-lenders').click();
      await page.getByRole('row').filter({ hasText: '众安小贷' }).waitFor();
      expect(await overflowingIdents()).toEqual([]);
      await docShot('07-lenders');
      // The other lists with identifiers: batch numbers, lender codes, usernames, case numbers all whole.
      for (const [nav, text] of [['batches', 'ZAXD-'], ['staff', 'zhangsan'], ['complaints', 'ZA2025']] as const) {
        await page.getByTestId(`nav-${nav}`).click();
        await page.getByRole('row').filter({ hasText: text }).first().waitFor();
        expect(await overflowingIdents(), nav).toEqual([]);
        await ui.shot(`tables-${nav}`);
      }

      await ui.logout();
      await loginAs(COLLECTOR, 'today');
      await page.getByRole('row').filter({ hasText: 'ZA2025' }).first().waitFor();
      expect(await overflowingIdents()).toEqual([]);
      const todayRows = await rowsInView('today-grid');
      console.log(`Today rows in view (collector, compact, 1366×768): ${todayRows}`);
      expect(todayRows).toBeGreaterThanOrEqual(12);
      await docShot('03-today-collector');

      await ui.logout();
      await loginAs(ADMIN, 'home');
      await page.getByTestId('nav-audit').click();
      const audit = page.getByTestId('audit-grid');
      // Sentences, not codes: the manager's login; the filter lists actions by name.
      await audit.getByText('李四 登录').first().waitFor();
      expect(await audit.getByText('auth.login').count()).toBe(0);
      await docShot('06-audit');
      await ui.pick('audit-action-filter', 'audit-action-payments.post');
      // The case by its number (never its internal id), its lender beside it.
      await audit.getByText(`王建国 登记回款 ¥12,345.00（案件 ${paidCase.caseNo}）`).waitFor();
      expect(await audit.getByText('（案件 #').count()).toBe(0);
      // One click: the labelled fields and the raw JSON.
      const row = audit.locator('.MuiDataGrid-row').filter({ hasText: '¥12,345.00' }).first();
      await row.locator('[data-testid^="audit-open-"]').click();
      await ui.settled('audit-entry-dialog');
      expect(await page.getByTestId('audit-entry-fields').locator('[data-field="amountFen"]').textContent()).toBe('¥12,345.00');
      expect(await page.getByTestId('audit-entry-fields').locator('[data-field="lender"]').textContent()).toBe(paidCase.lenderCode);
      expect(JSON.parse((await page.getByTestId('audit-entry-json').textContent())!)).toMatchObject({ action: 'payments.post', detail: { amountFen: 1_234_500 } });
      await ui.shot('tables-audit-entry');
      await page.keyboard.press('Escape');
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await failing('tables-screens', e);
    }
  });
});
