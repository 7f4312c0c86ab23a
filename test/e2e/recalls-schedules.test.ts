// Recalls (退案) and report schedules in a real browser against the built web host, at 1366×768, on the
// web host's test clock: Sunday 2025-04-06 23:59:00 (+08:00), so a weekly Monday schedule saved now falls
// due at midnight, a minute later, and the backend's own 30-second timer produces it. Seeded through the
// API: a lender with a 4-case batch and manager lisi. In the UI (zh-CN): the manager saves the schedule
// (next run 2025-04-07, no last run); recalls two cases by the lender's file — Check shows 2 to return and
// the unknown case number skipped with why — and sees the return report, whose CSV download has a BOM;
// recalls two picked cases from the Cases page with a reason: one returns, the one already returned is skipped. After midnight the package is produced by
// the backend, and within a minute the app says so in a snackbar (once: not again after a reload); the schedule shows its last run and
// package, and "Run due now" finds nothing due. In English: a monthly schedule is added and deleted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { importCsv, login, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const CLOCK = '2025-04-06T23:59:00+08:00'; // a Sunday, one minute before Monday
const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };

let host: WebHost;
let browser: BrowserSession;
let manager: string;
let caseNos: string[] = [];
let lenderId = 0;

describe('recalls and report schedules (web host on a test clock + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost({ env: { AGENCYDESK_TEST_CLOCK: CLOCK } });
    const admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    lenderId = (await callApi(host, 'lenders.create', { code: 'RCL', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin)).id;
    const job = await importCsv(host, admin, lenderId, '平安i贷-recalls.csv', toCsv([PLACEMENT_HEADERS, ...makeRows(4, 31, { caseNoPrefix: 'RC' })]), 'RCL-B1');
    expect(job.result?.imported).toBe(4);
    caseNos = (await callApi(host, 'cases.list', { lenderId, sort: 'id', desc: false, offset: 0, limit: 50 }, admin)).rows.map((r) => r.caseNo);
    manager = await login(host, MANAGER);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('recalls by file and by picking, and a weekly schedule produces its package at midnight and says so', async () => {
    const page = browser.page;
    const ui = uiSteps(browser);
    try {
      await page.goto(host.url);
      await ui.login(MANAGER.username, MANAGER.password);
      await page.getByTestId('nav-reports').click();

      // A weekly schedule, every Monday: saved on Sunday, it first runs tomorrow.
      await page.getByTestId('reports-tab-schedules').click();
      await page.getByTestId('schedule-add').click();
      await ui.settled('schedule-dialog');
      await ui.pick('schedule-lender', 'schedule-lender-RCL');
      await page.getByTestId('schedule-name').fill('周报');
      await ui.pick('schedule-every', 'schedule-every-weekly');
      await ui.pick('schedule-weekday', 'schedule-weekday-1');
      await ui.shot('schedules-dialog-zh');
      await page.getByTestId('schedule-dialog').getByRole('button', { name: '保存' }).click();
      await ui.notified('定时报告已保存');
      const [weekly] = (await callApi(host, 'reportSchedules.list', {}, manager)).schedules;
      expect(weekly).toMatchObject({ name: '周报', every: 'weekly', weekday: 1, nextRunOn: '2025-04-07', lastRunOn: null, lastExport: null });
      expect(await page.getByTestId(`schedule-${weekly!.id}-next`).textContent()).toBe('2025-04-07');
      expect(await page.getByTestId(`schedule-${weekly!.id}-last`).textContent()).toBe('—');
      await ui.shot('schedules-list-zh');

      // Recall by the lender's file: two known cases and one unknown case number.
      await page.getByTestId('reports-tab-recalls').click();
      await ui.pick('recall-lender', 'recall-lender-RCL');
      const csv = toCsv([['平安i贷退案清单 2025-04'], ['借据号', '退案原因'], [caseNos[0]!, '客户投诉'], [caseNos[1]!, ''], ['NOPE-404', '']]);
      await page.getByTestId('recall-file-input').setInputFiles({ name: '退案清单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByTestId('recall-reason').fill('委托方收回');
      await page.getByTestId('recall-check').click();
      await eventually(() => page.getByTestId('recall-count').textContent()).toBe('将退回委托方 2 个案件。');
      const skipped = page.getByTestId('recall-skipped-row');
      expect(await skipped.count()).toBe(1);
      expect(await skipped.first().textContent()).toBe('5NOPE-404该委托方无此案件');
      // A check changes nothing.
      expect((await callApi(host, 'recalls.list', {}, manager)).recalls).toEqual([]);
      await ui.shot('recalls-check-zh');
      await page.getByTestId('recall-run').click();
      await page.getByTestId('return-report').waitFor();
      await ui.settled('return-report');
      await page.getByTestId(`return-report-${caseNos[0]}`).waitFor();
      expect(await page.getByTestId(`return-report-${caseNos[0]}`).locator('td').nth(3).textContent()).toBe('客户投诉');
      expect(await page.getByTestId(`return-report-${caseNos[1]}`).locator('td').nth(3).textContent()).toBe('委托方收回');
      expect(await page.getByTestId(`return-report-${caseNos[1]}`).locator('td').nth(2).textContent()).toBe('新案');
      await ui.shot('recalls-return-report-zh');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('return-report-csv').click()]);
      const text = readFileSync((await download.path())!, 'utf8');
      expect(text.startsWith('\uFEFF合同号,借款人,退案前阶段,原因,委案时逾期金额\r\n')).toBe(true);
      expect(text.split('\r\n').filter((l) => l.startsWith(caseNos[0]!))[0]).toContain(',新案,客户投诉,');
      await page.getByTestId('return-report-close').click();
      await eventually(() => page.locator('[data-testid^="recall-open-"]').count()).toBe(1);
      expect(await page.getByTestId('recall-count').textContent()).toBe('已退回委托方 2 个案件。');

      // Recall one picked case from the Cases page.
      await page.getByTestId('nav-cases').click();
      // One case still new, and one the file returned already (skipped, saying why).
      for (const no of [caseNos[2]!, caseNos[0]!]) await ui.gridRows('cases-grid').filter({ hasText: no }).getByRole('checkbox').check();
      await page.getByTestId('cases-recall-lender').click();
      await ui.settled('recall-lender-dialog');
      await page.getByTestId('recall-lender-dialog').getByRole('button', { name: '退回委托方' }).click();
      await eventually(() => page.getByTestId('recall-lender-dialog').textContent()).toContain('请填写原因');
      await page.getByTestId('recall-lender-reason').fill('借款人已身故');
      await ui.shot('cases-recall-lender-zh');
      await page.getByTestId('recall-lender-dialog').getByRole('button', { name: '退回委托方' }).click();
      await eventually(() => page.getByTestId('recall-lender-count').textContent()).toBe('已退回委托方 1 个案件');
      expect(await page.getByTestId('recall-lender-skipped-row').allTextContents()).toEqual([`${caseNos[0]}已是“退案”`]);
      await ui.settled('recall-lender-result');
      await ui.shot('cases-recall-lender-result-zh');
      await page.getByTestId('recall-lender-close').click();
      const recalls = (await callApi(host, 'recalls.list', {}, manager)).recalls;
      expect(recalls.map((r) => [r.source, r.cases, r.reason])).toEqual([['selection', 1, '借款人已身故'], ['file', 2, '委托方收回']]);
      expect((await callApi(host, 'cases.list', { lenderId, sort: 'id', desc: false, offset: 0, limit: 50 }, manager)).rows.map((r) => r.stage)).toEqual(['returned', 'returned', 'returned', 'new']);

      // Midnight passes on the test clock: the backend's own timer produces the weekly package, unasked.
      await page.getByTestId('nav-home').click();
      // The snackbar shows for 4 s at the app's next minute check: record every one that appears.
      await page.evaluate(() => {
        const w = window as unknown as { notes: string[] };
        w.notes = [];
        new MutationObserver(() => {
          for (const n of document.querySelectorAll('[data-testid="notification"]')) if (!w.notes.includes(n.textContent ?? '')) w.notes.push(n.textContent ?? '');
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      await eventually(async () => (await callApi(host, 'reportSchedules.list', {}, manager)).schedules[0]!.lastExport?.path ?? null, 150_000).toMatch(/\.zip$/);
      const ran = (await callApi(host, 'reportSchedules.list', {}, manager)).schedules[0]!;
      expect(ran).toMatchObject({ lastRunOn: '2025-04-07', nextRunOn: '2025-04-14', lastError: null });
      // The app checks every minute: the manager, on the home page, is told.
      await eventually(() => page.evaluate(() => (window as unknown as { notes: string[] }).notes), 75_000).toContain(`RCL 的周报已生成：${ran.lastExport!.path}`);
      if ((await page.getByTestId('notification').count()) > 0) await browser.screenshot('schedules-notice-zh');
      await page.getByTestId('nav-reports').click();
      await page.getByTestId('reports-tab-schedules').click();
      await eventually(() => page.getByTestId(`schedule-${ran.id}-last`).textContent()).toBe('2025-04-07');
      expect(await page.getByTestId(`schedule-${ran.id}-next`).textContent()).toBe('2025-04-14');
      expect(await page.getByTestId(`schedule-${ran.id}-path`).textContent()).toBe(ran.lastExport!.path);
      await page.getByTestId('schedule-run-due').click();
      await ui.notified('没有到期的任务。');
      await ui.shot('schedules-ran-zh');
      // Seen once: a reload does not tell again.
      await page.reload();
      await ui.login(MANAGER.username, MANAGER.password);
      await page.waitForTimeout(1_500);
      expect(await page.getByTestId('notification').count()).toBe(0);

      // In English: a monthly schedule, added and deleted with a confirmation.
      await ui.switchLanguage('en');
      await page.getByTestId('nav-reports').click();
      await page.getByTestId('reports-tab-schedules').click();
      await page.getByTestId('schedule-add').click();
      await ui.settled('schedule-dialog');
      await page.getByTestId('schedule-dialog').getByRole('button', { name: 'Save' }).click();
      await eventually(() => page.getByTestId('schedule-dialog').textContent()).toContain('Required');
      await ui.pick('schedule-lender', 'schedule-lender-RCL');
      await page.getByTestId('schedule-name').fill('Monthly status');
      await ui.pick('schedule-every', 'schedule-every-monthly');
      await ui.pick('schedule-monthday', 'schedule-monthday-28');
      await page.getByTestId('schedule-format-xlsx').click();
      await ui.shot('schedules-dialog-en');
      await page.getByTestId('schedule-dialog').getByRole('button', { name: 'Save' }).click();
      await ui.notified('Schedule saved');
      const monthly = (await callApi(host, 'reportSchedules.list', {}, manager)).schedules.find((s) => s.name === 'Monthly status')!;
      expect(monthly).toMatchObject({ every: 'monthly', monthDay: 28, formats: ['csv'], nextRunOn: '2025-04-28' });
      await ui.shot('schedules-list-en');
      await page.getByTestId(`schedule-${monthly.id}-delete`).click();
      await ui.settled('confirm-dialog');
      expect(await page.getByTestId('confirm-dialog').textContent()).toContain('Delete schedule “Monthly status”?');
      await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete' }).click();
      await ui.notified('Schedule deleted');
      expect((await callApi(host, 'reportSchedules.list', {}, manager)).schedules.map((s) => s.name)).toEqual(['周报']);
      await page.getByTestId('reports-tab-recalls').click();
      await page.locator('[data-testid^="recall-open-"]').first().click();
      await ui.settled('return-report');
      await ui.shot('recalls-return-report-en');
      await page.getByTestId('return-report-close').click();
      await ui.shot('recalls-en');
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-recalls-schedules.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  }, 300_000);
});
