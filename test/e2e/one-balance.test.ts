// Issue 15 in a real browser against the built web host: after a payment, the case list, the case header
// and an SMS preview state the same outstanding figure (the one balance function), the placed amount is
// shown apart under its own name, and a lender whose terms nobody entered says so on the case and in the
// lenders list. Seeded through the API: a lender without terms, one case placed with 逾期金额 1,000.00
// (逾期本金 300 / 逾期利息 100 / 罚息 50: the rest is principal), held by the collector; ¥200.00 paid.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { cstDay } from './helpers/casework.js';
import { importCsv, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const COLLECTOR: Person = { username: 'zhangsan', displayName: '张三', password: 'Collector-pass-1' };
const TODAY = cstDay(Date.now());

let host: WebHost;
let browser: BrowserSession;
let admin: string;
let caseNo = '';
let caseId = 0;
const col = (h: string) => PLACEMENT_HEADERS.indexOf(h);

describe('one balance everywhere (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    const zhangsan = await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: null }, admin);
    const lenderId = (await callApi(host, 'lenders.create', { code: 'PAYD', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin)).id;
    await callApi(host, 'settings.update', { agencyHotline: '400-800-1234', paymentAccount: '' }, admin);
    const rows = makeRows(1, 23, { caseNoPrefix: 'OB' }).map((r) => {
      const x = [...r];
      x[col('逾期金额')] = '1000.00';
      x[col('逾期本金')] = '300.00';
      x[col('逾期利息')] = '100.00';
      x[col('罚息')] = '50.00';
      return x;
    });
    caseNo = rows[0]![col('合同号')]!;
    const job = await importCsv(host, admin, lenderId, 'placement.csv', toCsv([PLACEMENT_HEADERS, ...rows]), 'PAYD-OB-1', TODAY);
    expect(job.result?.imported).toBe(1);
    caseId = (await callApi(host, 'cases.list', { lenderId, sort: 'id', desc: false, offset: 0, limit: 50 }, admin)).rows[0]!.id;
    await callApi(host, 'assign.manual', { caseIds: [caseId], collectorId: zhangsan.id }, admin);
    await callApi(host, 'payments.post', { caseId, paidOn: TODAY, amountFen: 20_000, channel: 'bank_transfer', payer: '', reference: '', note: '' }, admin);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('shows ¥800.00 owed on the list, the case header and the SMS, the placed ¥1,000.00 apart, and "terms not set"', async () => {
    const page = browser.page;
    const ui = uiSteps(browser);
    try {
      const balance = await callApi(host, 'money.balance', { caseId }, admin);
      expect(balance.outstanding).toBe(80_000);
      await page.goto(host.url);
      await ui.login(COLLECTOR.username, COLLECTOR.password);
      await page.getByTestId('page-today').waitFor({ timeout: 30_000 });

      // The case list: owed today, and the placed amount in its own column.
      await page.getByTestId('nav-cases').click();
      await page.getByTestId('cases-search').fill(caseNo);
      await eventually(() => ui.gridRows('cases-grid').count()).toBe(1);
      const row = ui.gridRows('cases-grid').first();
      expect(await ui.cell(row, 'outstandingFen').textContent()).toBe('800.00');
      expect(await ui.cell(row, 'placedFen').textContent()).toBe('1,000.00');
      expect(await page.getByTestId('cases-grid').locator('[role="columnheader"][data-field="placedFen"]').textContent()).toContain('委案金额');
      await ui.shot('balance-01-list-zh');

      // The case header: the same figure, the placed amount and "terms not set" beneath it.
      await ui.cell(row, 'caseNo').click();
      await ui.settled('case-drawer');
      await eventually(() => page.getByTestId('case-amount').textContent()).toBe('800.00');
      expect(await page.getByTestId('case-header').textContent()).toContain('委案金额 1,000.00 · 未设置合同条款');

      // The SMS preview: the figure of today, and the agency's hotline.
      const { templates } = await callApi(host, 'messageTemplates.list', {}, admin);
      const sms = templates.find((t) => t.name === '逾期提醒短信')!;
      await page.getByTestId('case-tab-messages').click();
      await ui.pick('message-template', `message-template-${sms.id}`);
      await page.getByTestId('message-render').click();
      await eventually(() => page.getByTestId('message-preview').textContent()).toContain(`截至${TODAY}尚欠800.00元`);
      expect(await page.getByTestId('message-preview').textContent()).toContain('请来电400-800-1234协商');
      await ui.shot('balance-02-sms-zh');

      // Money tab: the same outstanding and the "terms not set" marker.
      await page.getByTestId('case-tab-money').click();
      await eventually(() => page.getByTestId('money-outstanding').textContent()).toBe('未还合计 ¥800.00');
      expect(await page.getByTestId('money-terms-not-set').textContent()).toBe('未设置合同条款');
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-one-balance.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});
