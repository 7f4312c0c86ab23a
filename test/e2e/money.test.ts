// The money journey in a real browser against the built web host, at 1366×768, the collector and the
// manager each in their own tab. Seeded through the API: a lender, a 2-case placement made today (each
// ¥10,000.00 principal + ¥500.00 interest, so nothing has accrued yet), collector zhangsan holding both,
// manager lisi. In the UI:
// - the collector attaches the borrower's proof, opens Money, proposes 3 installments waiving ¥300.00 of
//   interest (live schedule: 3 × ¥3,400.00 = ¥10,200.00), first due today;
// - the manager approves it in the Plans section, previews, prints and files the confirmation letter
//   (masked ID, the schedule), posts the first payment, posts a mistaken one and reverses it (the entry
//   and its reversal both stay), then the second and third (dated today: early payments count toward
//   later installments) → the plan completes, the case settles, the balance is ¥0.00;
// - in English, the manager sees the settled case's money, and edits the lender's money settings
//   (percentages in, ppm out). Screenshots in zh-CN and en.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { cstDay, tabUi } from './helpers/casework.js';
import { importCsv, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };
const COLLECTOR: Person = { username: 'zhangsan', displayName: '张三', password: 'Collector-pass-1' };
const MASKED_ID = /\d{6}\*{8}[\dX]{4}/;
const TODAY = cstDay(Date.now());

let host: WebHost;
let browser: BrowserSession;
let cp: Page; // the collector's tab
let mp: Page; // the manager's tab
let admin: string;
let files: string;
let lenderId = 0;
let caseId = 0;
let caseNo = '';
let idNumber = '';
let caseNo2 = '';

const col = (h: string) => PLACEMENT_HEADERS.indexOf(h);
/** An element of the open case's Money panel (the Plans page behind the drawer shows the same plan). */
const money = (testId: string) => mp.getByTestId('money-panel').getByTestId(testId);

describe('money journey (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    admin = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    const zhangsan = await callApi(host, 'users.create', { ...COLLECTOR, role: 'collector', teamId: null }, admin);
    lenderId = (await callApi(host, 'lenders.create', { code: 'PAYD', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin)).id;
    const rows = makeRows(2, 17, { caseNoPrefix: 'MN' }).map((r) => {
      const x = [...r];
      x[col('逾期金额')] = '10500.00';
      x[col('逾期本金')] = '10000.00';
      x[col('逾期利息')] = '500.00';
      x[col('罚息')] = '0';
      return x;
    });
    idNumber = rows[0]![col('身份证号')]!;
    caseNo = rows[0]![col('合同号')]!;
    caseNo2 = rows[1]![col('合同号')]!;
    const job = await importCsv(host, admin, lenderId, '平安i贷-money.csv', toCsv([PLACEMENT_HEADERS, ...rows]), 'PAYD-MONEY-1');
    expect(job.result?.imported).toBe(2);
    const listed = await callApi(host, 'cases.list', { lenderId, sort: 'id', desc: false, offset: 0, limit: 50 }, admin);
    await callApi(host, 'assign.manual', { caseIds: listed.rows.map((r) => r.id), collectorId: zhangsan.id }, admin);
    caseId = listed.rows.find((r) => r.caseNo === caseNo)!.id;
    files = mkdtempSync(path.join(tmpdir(), 'agencydesk-e2e-money-'));
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
    cp = browser.page;
    mp = await browser.context.newPage();
    mp.on('pageerror', (e) => browser.errors.push(`manager pageerror: ${e.message}`));
    mp.on('console', (m) => m.type() === 'error' && browser.errors.push(`manager console: ${m.text()}`));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  it('proposes, approves, confirms in writing and pays a plan until the case settles', async () => {
    try {
      const planId = await collectorProposes();
      await managerApproves(planId);
      await managerConfirms(planId);
      await managerPays(planId);
      await managerInEnglish();
      await managerRecordsLenderApproval();
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await cp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-money-collector.png') }).catch(() => {});
      await mp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-money-manager.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});

async function openCase(page: Page, ui: ReturnType<typeof uiSteps>, no = caseNo): Promise<void> {
  await page.getByTestId('nav-cases').click();
  await page.getByTestId('cases-search').fill(no);
  await eventually(() => ui.gridRows('cases-grid').count()).toBe(1);
  await ui.cell(ui.gridRows('cases-grid').first(), 'caseNo').click();
  await ui.settled('case-drawer');
  await eventually(() => page.getByTestId('case-drawer-title').textContent()).toContain(no);
}

async function collectorProposes(): Promise<number> {
  const ui = uiSteps(browser);
  await cp.bringToFront();
  await cp.goto(host.url);
  await ui.login(COLLECTOR.username, COLLECTOR.password);
  await cp.getByTestId('page-today').waitFor({ timeout: 30_000 });
  await openCase(cp, ui);

  // The borrower's proof, attached in the Files panel.
  await cp.getByTestId('case-tab-files').click();
  const proof = path.join(files, '失业证明.txt');
  writeFileSync(proof, '兹证明借款人于本月失业。\n');
  await cp.getByTestId('files-input').setInputFiles(proof);
  await cp.getByTestId('files-note').fill('失业证明');
  await cp.getByTestId('files-attach').click();
  await eventually(() => cp.getByTestId('files-list').textContent()).toContain('失业证明.txt');

  // Money: placed today, nothing accrued, ¥10,500.00 outstanding; nothing to post for a collector.
  await cp.getByTestId('case-tab-money').click();
  await eventually(() => cp.getByTestId('money-outstanding').textContent()).toBe('未还合计 ¥10,500.00');
  expect(await cp.getByTestId('money-total-placed').textContent()).toBe('¥10,500.00');
  expect(await cp.getByTestId('payment-post').count()).toBe(0);
  expect(await cp.getByTestId('money-frozen').count()).toBe(0);

  // Propose: 3 installments, ¥300.00 of the interest waived, the first due today.
  await cp.getByTestId('plan-propose').click();
  await ui.settled('propose-dialog');
  await cp.getByTestId('propose-reason').fill('借款人本月失业，收入中断，申请分期并减免部分利息');
  await cp.getByTestId('propose-proofs').getByRole('checkbox').first().check();
  // More than owed is refused in the form itself.
  await cp.getByTestId('propose-waiver-interest').fill('600');
  await eventually(() => cp.getByTestId('propose-dialog').textContent()).toContain('最多 ¥500.00');
  await cp.getByTestId('propose-waiver-interest').fill('300');
  await cp.getByTestId('propose-count').fill('3');
  await cp.getByTestId('propose-first-date').fill(TODAY);
  await eventually(() => cp.getByTestId('propose-total').textContent()).toBe('减免后应还：¥10,200.00');
  expect(await cp.getByTestId('propose-schedule').locator('tr').count()).toBe(4);
  expect(await cp.getByTestId('propose-schedule-sum').textContent()).toBe('合计 ¥10,200.00');
  expect(await cp.getByTestId('propose-schedule').textContent()).toContain(`1${TODAY}¥3,400.00`);
  // A collector cannot read the lender's limits: the approver comes with the answer.
  expect(await cp.getByTestId('propose-approver').textContent()).toContain('提交后显示');
  await ui.shot('money-01-propose-zh');
  await cp.getByTestId('propose-dialog-submit').click();
  await ui.notified('已提交：由经理审批');
  const { plans } = await callApi(host, 'plans.list', { caseId }, admin);
  expect(plans).toHaveLength(1);
  const plan = plans[0]!;
  expect(plan).toMatchObject({ status: 'proposed', approver: 'manager', owedFen: 1_050_000, waiverFen: 30_000, totalFen: 1_020_000, waiver: { interest: 30_000 } });
  expect(plan.proofFileIds).toHaveLength(1);
  expect(plan.installments.map((i) => i.amountFen)).toEqual([340_000, 340_000, 340_000]);
  await eventually(() => cp.getByTestId(`plan-${plan.id}-status`).textContent()).toBe('待经理审批');
  expect(await cp.getByTestId(`plan-${plan.id}`).textContent()).toContain('证明材料：失业证明.txt');
  expect(await cp.getByTestId('plan-propose').count()).toBe(0); // one open plan at a time
  await ui.shot('money-02-proposed-zh');
  // The collector's Plans section: their own plan, awaiting the manager.
  await cp.getByTestId('case-drawer-close').click();
  await cp.getByTestId('case-drawer').waitFor({ state: 'hidden' });
  await cp.getByTestId('nav-plans').click();
  await eventually(() => cp.getByTestId('plans-tab-awaiting').textContent()).toBe('待审批 (1)');
  expect(await cp.getByTestId(`plan-${plan.id}-status`).textContent()).toBe('待经理审批');
  expect(await cp.getByTestId(`plan-${plan.id}-approve`).count()).toBe(0);
  return plan.id;
}

async function managerApproves(planId: number): Promise<void> {
  const ui = tabUi(browser, mp);
  await mp.bringToFront();
  await mp.goto(host.url);
  await ui.login(MANAGER.username, MANAGER.password);
  await mp.getByTestId('page-home').waitFor({ timeout: 30_000 });
  await mp.getByTestId('nav-plans').click();
  await eventually(() => mp.getByTestId('plans-tab-awaiting').textContent()).toBe('待审批 (1)');
  expect(await mp.getByTestId(`plan-${planId}`).textContent()).toContain('由经理审批');
  await ui.shot('money-03-plans-awaiting-zh');
  await mp.getByTestId(`plan-${planId}-approve`).click();
  await ui.settled('decide-dialog');
  await mp.getByTestId('decide-note').fill('同意分期，减免利息 300 元');
  await mp.getByTestId('decide-dialog-submit').click();
  await ui.notified(`方案 #${planId} 已批准`);
  await eventually(() => mp.getByTestId('plans-tab-active').textContent()).toBe('执行中 (1)');
  await mp.getByTestId('plans-tab-active').click();
  await eventually(() => mp.getByTestId(`plan-${planId}-status`).textContent()).toBe('执行中');
  expect(await mp.getByTestId(`plan-${planId}`).textContent()).toContain('同意分期，减免利息 300 元');
  await ui.shot('money-04-plans-active-zh');
}

async function managerConfirms(planId: number): Promise<void> {
  const ui = tabUi(browser, mp);
  await mp.getByTestId(`plan-${planId}-open`).click();
  await ui.settled('case-drawer');
  expect(await mp.getByTestId('case-stage').textContent()).toBe('协商');
  const masked = (await mp.getByTestId('case-id-number').textContent())!;
  expect(masked).toMatch(MASKED_ID);
  await mp.getByTestId('case-tab-money').click();
  // Approved: the waiver applies and charges are frozen.
  await eventually(() => mp.getByTestId('money-outstanding').textContent()).toBe('未还合计 ¥10,200.00');
  expect(await mp.getByTestId('money-total-waived').textContent()).toBe('¥300.00');
  expect(await mp.getByTestId('money-frozen').textContent()).toBe('方案冻结');

  await money(`plan-${planId}-letter`).click();
  await ui.settled('letter-dialog');
  const preview = mp.getByTestId('letter-preview');
  await eventually(() => preview.textContent()).toContain(`（证件号码 ${masked}）`);
  const text = (await preview.textContent())!;
  expect(text).not.toContain(idNumber);
  expect(text).toContain('减免后您应还款项合计人民币10,200.00元，分3期');
  expect(text).toContain(`第1期：${TODAY}前还款人民币3,400.00元`);
  await ui.shot('money-05-letter-zh');
  await mp.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void (window as unknown as { printed: number }).printed++;
  });
  await mp.getByTestId('letter-print').click();
  expect(await mp.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await mp.emulateMedia({ media: 'print' });
  await mp.setViewportSize({ width: 794, height: 1123 });
  expect(await mp.getByTestId('print-letter').isVisible()).toBe(true);
  expect(await mp.getByTestId('letter-dialog').isVisible()).toBe(false);
  await mp.screenshot({ path: path.join(SCREENSHOT_DIR, 'money-06-letter-print-zh.png') });
  await mp.emulateMedia({ media: 'screen' });
  await mp.setViewportSize({ width: 1366, height: 768 });
  await mp.getByTestId('letter-file').click();
  await eventually(() => mp.getByTestId('letter-filed').textContent()).toContain('已归档为 协商还款确认书-');
  await mp.getByTestId('letter-dialog').getByRole('button', { name: '关闭' }).click();
  await mp.getByTestId('letter-dialog').waitFor({ state: 'detached' });
  await eventually(() => money(`plan-${planId}-letter`).textContent()).toBe('确认函已归档');
  const { plans } = await callApi(host, 'plans.list', { caseId }, admin);
  expect(plans[0]!.letterFileId).not.toBeNull();
}

async function post(ui: ReturnType<typeof uiSteps>, amount: string, reference: string, note: string): Promise<void> {
  await mp.getByTestId('payment-post').click();
  await ui.settled('payment-dialog');
  await mp.getByTestId('payment-amount').fill(amount);
  await ui.pick('payment-channel', 'payment-channel-wechat');
  await mp.getByTestId('payment-reference').fill(reference);
  await mp.getByTestId('payment-dialog-submit').click();
  await mp.getByTestId('payment-dialog').waitFor({ state: 'detached' });
  await ui.notified(note);
}

async function managerPays(planId: number): Promise<void> {
  const ui = tabUi(browser, mp);
  await post(ui, '3,400.00', 'WX-0001', '已登记回款 ¥3,400.00');
  await eventually(() => money(`plan-${planId}-installment-1`).textContent()).toContain('已还');
  // A payment entered twice by mistake, then reversed: both entries stay, the balance ignores them.
  await post(ui, '3,400.00', 'WX-0001', '已登记回款 ¥3,400.00');
  await eventually(() => mp.getByTestId('money-outstanding').textContent()).toBe('未还合计 ¥3,400.00');
  const { payments } = await callApi(host, 'payments.list', { caseId }, admin);
  const duplicate = payments.at(-1)!;
  await mp.getByTestId(`payment-${duplicate.id}-reverse`).click();
  await ui.settled('reverse-dialog');
  await mp.getByTestId('reverse-reason').fill('同一笔微信转账重复登记');
  await mp.getByTestId('reverse-dialog-submit').click();
  await ui.notified(`回款 #${duplicate.id} 已冲正`);
  await eventually(() => mp.getByTestId('money-outstanding').textContent()).toBe('未还合计 ¥6,800.00');
  expect(await mp.getByTestId(`payment-${duplicate.id}-reversed`).count()).toBe(1);
  const reversal = (await callApi(host, 'payments.list', { caseId }, admin)).payments.find((p) => p.reversesId === duplicate.id)!;
  expect(reversal.amountFen).toBe(-340_000);
  expect(await mp.getByTestId(`payment-${reversal.id}`).textContent()).toContain(`-¥3,400.00`);
  expect(await mp.getByTestId(`payment-${reversal.id}-reversal`).textContent()).toBe(`冲正 #${duplicate.id}`);
  await mp.getByTestId('payments-list').scrollIntoViewIfNeeded();
  await ui.shot('money-07-reversal-zh');

  // The second and third installments, paid early today: the plan completes and the case settles.
  await post(ui, '3400', 'WX-0002', '已登记回款 ¥3,400.00');
  await post(ui, '3400', 'WX-0003', '案件已结清');
  await eventually(() => mp.getByTestId('money-outstanding').textContent()).toBe('未还合计 ¥0.00');
  await eventually(() => money(`plan-${planId}-status`).textContent()).toBe('已完成');
  await eventually(() => mp.getByTestId('case-stage').textContent()).toBe('结清');
  for (const n of [1, 2, 3]) expect(await money(`plan-${planId}-installment-${n}`).textContent()).toContain('¥3,400.00¥3,400.00已还');
  expect(await mp.getByTestId('money-total-paid').textContent()).toBe('¥10,200.00');
  await ui.shot('money-08-settled-zh');
  const [plan] = (await callApi(host, 'plans.list', { caseId }, admin)).plans;
  expect(plan).toMatchObject({ status: 'completed', paidFen: 1_020_000 });
  expect((await callApi(host, 'money.balance', { caseId }, admin)).outstanding).toBe(0);
  expect((await callApi(host, 'cases.get', { id: caseId }, admin)).stage).toBe('settled');
}

async function managerInEnglish(): Promise<void> {
  const ui = tabUi(browser, mp);
  await mp.getByTestId('case-drawer-close').click();
  await mp.getByTestId('case-drawer').waitFor({ state: 'hidden' });
  await ui.switchLanguage('en');
  await openCase(mp, ui);
  await mp.getByTestId('case-tab-money').click();
  await eventually(() => mp.getByTestId('money-outstanding').textContent()).toBe('Outstanding ¥0.00');
  expect(await money('plan-1-status').textContent()).toBe('Completed');
  await ui.shot('money-09-settled-en');
  await mp.getByTestId('case-drawer-close').click();
  await mp.getByTestId('case-drawer').waitFor({ state: 'hidden' });
  await mp.getByTestId('nav-plans').click();
  await mp.getByTestId('plans-tab-broken').click();
  await eventually(() => mp.getByTestId('plans-panel-broken').textContent()).toBe('No broken promises.');
  await mp.waitForTimeout(400); // the tab indicator slides
  await ui.shot('money-10-broken-promises-en');

  // The lender's money settings: 0.1 % a day is 1,000 ppm; a 36 % APR cap; commission 10 % from day 0, 15 % from day 91.
  await mp.getByTestId('nav-lenders').click();
  await mp.getByTestId('lender-money-PAYD').click();
  await ui.settled('money-settings-dialog');
  // Nobody entered PAYD's terms: nothing accrues, and the dialog says so until they are entered.
  await eventually(() => mp.getByTestId('ms-penalty').inputValue()).toBe('0');
  expect(await mp.getByTestId('ms-aprCap').inputValue()).toBe('');
  expect(await mp.getByTestId('ms-terms-not-set').textContent()).toContain("Nobody has entered this lender's contract terms");
  await mp.getByTestId('ms-penalty').fill('0.1');
  await mp.getByTestId('ms-aprCap').fill('36');
  await ui.pick('ms-lateFeeKind', 'ms-lateFeeKind-fixed');
  await mp.getByTestId('ms-lateFee').fill('30');
  await mp.getByTestId('ms-maxPct').fill('abc');
  await mp.getByTestId('money-settings-save').click();
  await eventually(() => mp.getByTestId('money-settings-dialog').textContent()).toContain('A percentage, up to 4 decimals');
  await mp.getByTestId('ms-maxPct').fill('25');
  await mp.getByTestId('ms-maxFen').fill('100');
  await mp.getByTestId('ms-tier-add').click();
  await mp.getByTestId('ms-tier-0-day').fill('0');
  await mp.getByTestId('ms-tier-0-rate').fill('10');
  await mp.getByTestId('ms-tier-add').click();
  await mp.getByTestId('ms-tier-1-day').fill('91');
  await mp.getByTestId('ms-tier-1-rate').fill('15.5');
  await mp.getByTestId('ms-order-up-principal').click();
  await mp.mouse.move(0, 0); // no tooltip over the screenshot
  await mp.getByRole('tooltip').waitFor({ state: 'detached' });
  await ui.shot('money-11-lender-settings-en');
  await mp.getByTestId('money-settings-save').click();
  await mp.getByTestId('money-settings-dialog').waitFor({ state: 'detached' });
  await ui.notified('Money settings of PAYD saved');
  const s = await callApi(host, 'money.settings', { lenderId }, admin);
  expect(s.terms).toMatchObject({ penaltyPpmPerDay: 1_000, aprCapPpm: 360_000, lateFee: { kind: 'fixed', fen: 3_000 }, order: ['fees', 'penalty', 'principal', 'interest'] });
  expect(s.termsSet).toBe(true);
  expect(s.approval).toMatchObject({ managerMaxWaiverPpm: 250_000, managerMaxWaiverFen: 10_000 });
  expect(s.commission).toEqual([
    { fromDay: 0, ratePpm: 100_000 },
    { fromDay: 91, ratePpm: 155_000 },
  ]);
}

/** Above the lender's limits (now ¥100.00): the manager sees the lender must approve, and records it. */
async function managerRecordsLenderApproval(): Promise<void> {
  const ui = tabUi(browser, mp);
  await openCase(mp, ui, caseNo2);
  await mp.getByTestId('case-tab-money').click();
  await mp.getByTestId('plan-propose').click();
  await ui.settled('propose-dialog');
  await ui.pick('propose-kind', 'propose-kind-waiver');
  await mp.getByTestId('propose-reason').fill('Hospitalised for two months; pays the rest in one sum');
  await mp.getByTestId('propose-waiver-interest').fill('300');
  await mp.getByTestId('propose-due-date').fill(TODAY);
  await eventually(() => mp.getByTestId('propose-approver').textContent()).toContain('Approval: the lender (the waiver is above ¥100.00 or 25 % of what is owed)');
  expect(await mp.getByTestId('propose-schedule-sum').textContent()).toBe('Sums to ¥10,200.00');
  await ui.shot('money-12-propose-lender-en');
  await mp.getByTestId('propose-dialog-submit').click();
  await ui.notified('Needs the lender’s approval');
  const [plan] = (await callApi(host, 'plans.list', { status: ['awaiting_lender'] }, admin)).plans;
  expect(plan).toMatchObject({ caseNo: caseNo2, approver: 'lender', waiverFen: 30_000, totalFen: 1_020_000 });
  await mp.getByTestId('case-drawer-close').click();
  await mp.getByTestId('case-drawer').waitFor({ state: 'hidden' });

  await mp.getByTestId('nav-plans').click();
  await mp.getByTestId(`plan-${plan!.id}-approve`).click();
  await ui.settled('decide-dialog');
  await mp.getByTestId('decide-dialog-submit').click();
  await eventually(() => mp.getByTestId('decide-lender-by').getAttribute('aria-invalid')).toBe('true');
  await mp.getByTestId('decide-lender-by').fill('平安i贷 风控部 赵敏');
  await mp.getByTestId('decide-lender-reference').fill('PA-WV-2026-0042');
  await mp.getByTestId('decide-lender-date').fill(TODAY);
  await ui.shot('money-13-lender-approval-en');
  await mp.getByTestId('decide-dialog-submit').click();
  await ui.notified(`Plan #${plan!.id} approved`);
  const [approved] = (await callApi(host, 'plans.list', { caseId: plan!.caseId }, admin)).plans;
  expect(approved).toMatchObject({ status: 'active', lenderApproval: { by: '平安i贷 风控部 赵敏', reference: 'PA-WV-2026-0042', date: TODAY } });
  await mp.getByTestId('plans-tab-active').click();
  await eventually(() => mp.getByTestId(`plan-${plan!.id}`).textContent()).toContain('Lender approval: 平安i贷 风控部 赵敏, ref. PA-WV-2026-0042');
}
