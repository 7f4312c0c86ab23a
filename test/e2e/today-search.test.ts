// A collector's day in Chromium (1366×768, zh-CN), on a web host whose test clock starts at a daytime
// instant: log in → Today → open the first case → log an inbound call from contact 1 (an outbound one
// would be too early) → log a promise → the case leaves "to call" for "今日已联系" with its last outcome and
// time, the counts match the rows → search by the borrower's 尾号 and by the contact's phone finds it and
// says whose number matched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { cstDay, daytimeInstant, openLog, submitLog } from './helpers/casework.js';
import { importCsv, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const COLLECTOR: Person = { username: 'zhangsan', displayName: '张三', password: 'Collector-pass-1' };
const T = daytimeInstant();
const ROWS = makeRows(3, 31, { caseNoPrefix: 'TD' });

let host: WebHost;
let browser: BrowserSession;

describe("a collector's day: Today, an inbound call, a promise, 尾号 search (web host + Chromium)", () => {
  beforeAll(async () => {
    host = await startWebHost({ env: { AGENCYDESK_TEST_CLOCK: new Date(T).toISOString() } });
    const admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    const zhangsan = await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: null }, admin);
    const lender = await callApi(host, 'lenders.create', { code: 'PAYD', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin);
    const job = await importCsv(host, admin, lender.id, '平安i贷-today.csv', toCsv([PLACEMENT_HEADERS, ...ROWS]), 'PAYD-TODAY-1');
    expect(job.result?.imported).toBe(3);
    const { rows } = await callApi(host, 'cases.list', { lenderId: lender.id, sort: 'id', desc: false, offset: 0, limit: 50 }, admin);
    await callApi(host, 'assign.manual', { caseIds: rows.map((r) => r.id), collectorId: zhangsan.id }, admin);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('the worked case leaves "to call" and is found by its 尾号', async () => {
    const page = browser.page;
    const ui = uiSteps(browser);
    try {
      await page.goto(host.url);
      await ui.login(COLLECTOR.username, COLLECTOR.password);
      await page.getByTestId('page-today').waitFor({ timeout: 30_000 });
      await eventually(() => ui.gridRows('today-grid').count()).toBe(3);
      expect(await page.getByTestId('today-count-all').textContent()).toBe('3');
      expect(await page.getByTestId('today-count-new').textContent()).toBe('3');
      // New cases due an escalation step say "应做", not "落后": the behind tab counts 0 and shows 0 rows.
      expect(await page.getByTestId('today-grid').textContent()).not.toContain('落后');
      await ui.shot('today-01-to-call-zh');

      const first = ui.gridRows('today-grid').first();
      const caseNo = (await ui.cell(first, 'caseNo').textContent())!;
      const mobileTail = (await ui.cell(first, 'mobile').textContent())!.slice(-4);
      const row = ROWS.find((r) => r[0] === caseNo)!;
      await ui.cell(first, 'caseNo').click();
      await ui.settled('case-drawer');
      await eventually(() => page.getByTestId('case-drawer-title').textContent()).toContain(caseNo);

      // The borrower's father calls in: recorded, although calling contact 1 would be too early.
      await openLog(page, ui, null, 'connected');
      await ui.pick('attempt-party', 'attempt-party-1');
      await eventually(() => page.getByTestId('log-check-warn').textContent()).toContain('联系人');
      await ui.pick('attempt-direction', 'attempt-direction-inbound');
      await page.getByTestId('log-check-ok').waitFor();
      await page.getByTestId('attempt-note').fill('借款人父亲来电，称本人下周还款');
      await ui.shot('today-02-inbound-from-contact-zh');
      await submitLog(page, ui, 1);
      await eventually(() => page.getByTestId('case-stage').textContent()).toBe('联系');

      // Then the borrower, on a call: a promise.
      await openLog(page, ui, null, 'promised_to_pay');
      await page.getByTestId('attempt-promise-amount').fill('800');
      await page.getByTestId('attempt-promise-date').fill(cstDay(T + 2 * 86_400_000));
      await submitLog(page, ui, 2);
      await page.getByTestId('case-drawer-close').click();

      // The case has left "to call": two to call, one contacted today with its outcome and time.
      await page.getByTestId('today-refresh').click();
      await eventually(() => page.getByTestId('today-count-all').textContent()).toBe('2');
      expect(await page.getByTestId('today-count-contacted').textContent()).toBe('1');
      expect(await ui.gridRows('today-grid').count()).toBe(2);
      expect(await page.getByTestId('today-grid').textContent()).not.toContain(caseNo);
      await page.getByTestId('today-tab-contacted').click();
      await eventually(() => ui.gridRows('today-grid').count()).toBe(1);
      expect(await ui.cell(ui.gridRows('today-grid').first(), 'caseNo').textContent()).toBe(caseNo);
      expect(await page.getByTestId('today-last-contact').textContent()).toMatch(/^\d{2}:\d{2} 承诺还款/);
      await ui.shot('today-03-contacted-zh');

      // 尾号: the last four digits of the borrower's mobile, then the contact's phone.
      await page.getByTestId('nav-cases').click();
      await page.getByTestId('cases-search').fill(mobileTail);
      await eventually(() => ui.gridRows('cases-grid').count()).toBe(1);
      expect(await ui.cell(ui.gridRows('cases-grid').first(), 'caseNo').textContent()).toBe(caseNo);
      expect(await page.getByTestId(`case-matched-${caseNo}`).textContent()).toBe('借款人手机');
      await ui.shot('today-04-search-tail-zh');
      await page.getByTestId('cases-search').fill(row[18]!);
      await eventually(() => page.getByTestId(`case-matched-${caseNo}`).textContent()).toBe(`联系人1 ${row[16]}(${row[17]})`);
      await ui.shot('today-05-search-contact-phone-zh');
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-today-search.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});
