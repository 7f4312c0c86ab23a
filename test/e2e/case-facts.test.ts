// The case view shows all the placement file said, in Chromium at 1366×768: a manager opens a case and
// sees in Details the addresses (masked), the employer, the loan's amount and date, 剩余本金 and a column
// of the lender's own; the header gives days overdue and bucket today with the figures at placement. A
// bad file in the import wizard is refused with a Chinese message in zh-CN (not "部分输入无效。(English)").
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { importCsv, setupAgency, type Person } from './helpers/seed.js';
import { PLACEMENT_HEADERS, makeRows, toCsv } from '../helpers/placement-data.js';
import { caseAging } from '../../shared/domain/placement/aging.js';
import { caseStep, DEFAULT_ESCALATION } from '../../shared/domain/casework/escalation.js';
import { zhCN } from '../../renderer/i18n/zh-CN.js';
import { dayIn } from '../../shared/domain/casework/today.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MIN = 60_000;
const PLACED = dayIn(new Date(Date.now() - 10 * 86_400_000));

let host: WebHost;
let browser: BrowserSession;
let page: Page;
let dir: string;

describe('case facts and messages (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    const admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    const lender = await callApi(host, 'lenders.create', { code: 'FACT', name: '事实贷', contact: '', rejectPolicy: 'skip_rows' }, admin);
    // The standard rows plus a work address, an employer and a column no field claims (客户等级).
    const headers = [...PLACEMENT_HEADERS, '单位地址', '工作单位', '客户等级'];
    const rows = makeRows(2, 5, { caseNoPrefix: 'FA' }).map((r, i) => [...r, '广东省深圳市南山区科技园南区高新南一道9号', '深圳某科技有限公司', i ? 'B' : 'A']);
    const job = await importCsv(host, admin, lender.id, '事实贷.csv', toCsv([headers, ...rows]), 'FACT-1', PLACED);
    expect(job.result?.imported).toBe(2);
    // The lender places the first case again with a new home address and grade: the view lists the change.
    const again = [[...rows[0]!.slice(0, 15), '上海市浦东新区张江路1号', ...rows[0]!.slice(16, -1), 'A+']];
    const job2 = await importCsv(host, admin, lender.id, '事实贷-2.csv', toCsv([headers, ...again]), 'FACT-2', PLACED);
    expect(job2.result?.updated).toBe(1);
    dir = mkdtempSync(path.join(tmpdir(), 'agencydesk-e2e-facts-'));
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
    page = browser.page;
  }, 3 * MIN);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens a case and sees every group of its facts, and a bad file in Chinese', async () => {
    const ui = uiSteps(browser);
    try {
      await page.goto(host.url);
      await ui.login(ADMIN.username, ADMIN.password);
      await page.getByTestId('nav-cases').click();
      await ui.gridRows('cases-grid').first().waitFor();
      // Sorted by case number: FA00000001 first (its days at placement come from the generated row).
      await ui.cell(ui.gridRows('cases-grid').filter({ hasText: 'FA00000001' }), 'caseNo').click();
      await ui.settled('case-drawer');
      const first = makeRows(2, 5, { caseNoPrefix: 'FA' })[0]!;
      const daysAtPlacement = Number(first[14]);
      const aging = caseAging({ daysAtPlacement, placementDate: PLACED, stage: 'new' }, dayIn(new Date()));
      await eventually(() => page.getByTestId('case-days').textContent()).toBe(String(aging.daysOverdue));
      expect(await page.getByTestId('case-bucket').textContent()).toBe(aging.bucket);
      expect(await page.getByTestId('case-header').textContent()).toContain(`委案时：${daysAtPlacement} 天`);
      // The left column: employer and the home address, masked.
      expect(await page.getByTestId('case-left').textContent()).toContain('深圳某科技有限公司');

      await page.getByTestId('case-tab-details').click();
      const panel = page.getByTestId('case-panel-details');
      await panel.getByTestId('facts-addresses').waitFor();
      expect(await panel.getByTestId('fact-workAddress').textContent()).toBe('广东省深圳市南山区****');
      expect(await panel.getByTestId('fact-homeAddress').textContent()).toBe('上海市浦东新区****');
      expect(await panel.getByTestId('fact-employer').textContent()).toBe('深圳某科技有限公司');
      const yuan = (s: string) => `¥${Number(s).toLocaleString('en', { minimumFractionDigits: 2 })}`;
      const [y, m, d] = first[7]!.split('/').map(Number);
      expect(await panel.getByTestId('fact-loanAmount').textContent()).toBe(yuan(first[6]!));
      expect(await panel.getByTestId('fact-loanDate').textContent()).toBe(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
      expect(await panel.getByTestId('fact-remainingPrincipal').textContent()).toBe(yuan(first[9]!));
      expect(await panel.getByTestId('fact-extra-客户等级').textContent()).toBe('A+');
      expect(await panel.getByTestId('facts-extra').textContent()).toContain('委托方其他列');
      // Nothing unmasked in the whole drawer: no street number, no full phone.
      expect(await page.getByTestId('case-drawer').textContent()).not.toMatch(/\d{3}号|1[3-9]\d{9}/);
      const shot = await browser.screenshot('case-facts-details');
      expect(shot).toContain(SCREENSHOT_DIR);
      const change = panel.getByTestId('replacement');
      expect(await change.textContent()).toContain('FACT-2');
      expect(await change.textContent()).toMatch(/家庭地址.*→ 上海市浦东新区\*\*\*\*/);
      expect(await change.textContent()).toContain('A → A+');
      await panel.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await browser.screenshot('case-facts-details-bottom');

      // The lender's schedule counts days since placement: the step is the one for day 10, not day 100+.
      const action = (a: string) => (zhCN.today.actions as Record<string, string>)[a]!;
      const byOverdue = caseStep({ basis: 'days_overdue', steps: [...DEFAULT_ESCALATION] }, aging, 'new')!;
      const bySince = caseStep({ basis: 'days_since_placement', steps: [...DEFAULT_ESCALATION] }, aging, 'new')!;
      expect(byOverdue.action).not.toBe(bySince.action);
      expect(await page.getByTestId('case-next-step').textContent()).toContain(action(byOverdue.action));
      await page.getByTestId('case-drawer-close').click();
      await page.getByTestId('case-drawer').waitFor({ state: 'hidden' });
      await page.getByTestId('nav-compliance').click();
      await page.getByTestId('compliance-tab-escalation').click();
      await page.getByTestId('escalation-steps').waitFor();
      await ui.pick('escalation-basis', 'escalation-basis-days_since_placement');
      await page.getByTestId('escalation-save').click();
      await eventually(() => page.getByTestId('escalation-kind').textContent()).toBe('委托方自定节奏');
      await browser.screenshot('case-facts-escalation-basis');
      await page.getByTestId('nav-cases').click();
      await ui.cell(ui.gridRows('cases-grid').filter({ hasText: 'FA00000001' }), 'caseNo').click();
      await ui.settled('case-drawer');
      await eventually(() => page.getByTestId('case-next-step').textContent()).toContain(action(bySince.action));
      expect(await page.getByTestId('case-header').textContent()).toContain('按委案后天数');

      // A bad file: the wizard says what is wrong, in Chinese.
      await page.getByTestId('case-drawer-close').click();
      await page.getByTestId('case-drawer').waitFor({ state: 'hidden' });
      const empty = path.join(dir, '空文件.csv');
      writeFileSync(empty, '');
      const bad = path.join(dir, '坏字节.csv');
      const good = Buffer.from(toCsv([PLACEMENT_HEADERS, ...makeRows(2, 6)]), 'utf8');
      writeFileSync(bad, Buffer.concat([good, Buffer.from([0xff, 0x0a])]));
      for (const [file, expected] of [
        [empty, '文件是空的。'],
        [bad, `文件既不是 UTF-8 也不是 GBK/GB18030：第 ${good.length} 字节处的 0xff 不是有效的 UTF-8 字节。`],
      ] as const) {
        await page.getByTestId('nav-import').click();
        await page.getByTestId('import-lender').click();
        await page.getByTestId('import-lender-FACT').click();
        await page.getByTestId('import-file-input').setInputFiles(file);
        await eventually(() => page.getByTestId('import-file-name').textContent()).toContain(path.basename(file));
        await page.getByTestId('import-read').click();
        await eventually(() => page.getByTestId('import-error').textContent()).toBe(expected);
      }
      await browser.screenshot('case-facts-bad-file');
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await browser.screenshot('case-facts-failure').catch(() => undefined);
      throw e;
    }
  }, 5 * MIN);
});
