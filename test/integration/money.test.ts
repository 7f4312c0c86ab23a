// Money through the API on a real store, with sums worked out by hand: a case's balance on a date,
// payments allocated in the contract's order, reversals, plans approved within limits or by the lender,
// installments paid to settlement or missed past the grace period, and promises judged from payments.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, rawOpen, ADMIN_PASSWORD, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { DEFAULT_TERMS } from '../../shared/domain/money/balance.js';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-23T10:00:00+08:00');
const PW = 'money pw 1234';
const as: Record<string, Client> = {};
const ids: Record<string, number> = {};
let cases: number[] = [];
let lender = 0;

/** Moves the store's clock to a day (10:00 in Shanghai); sessions idle-expire, so everyone logs in again. */
async function on(day: string) {
  clock = new Date(`${day}T10:00:00+08:00`);
  for (const u of ['c1', 'c2', 'm1']) as[u] = await login(s.backend, u, PW);
  s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
}

const col = (h: string) => PLACEMENT_HEADERS.indexOf(h);

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-money-');
  // The contract's terms are entered with the lender (a lender without them accrues nothing: one-balance.test.ts).
  lender = (await s.admin.call('lenders.create', { code: 'MONEY', name: '某消费金融', terms: { ...DEFAULT_TERMS, order: [...DEFAULT_TERMS.order] } })).id;
  for (const [u, role] of [['c1', 'collector'], ['c2', 'collector'], ['m1', 'manager']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: u.toUpperCase(), role, password: PW })).id;
    as[u] = await login(s.backend, u, PW);
  }
  // Every case owes ¥10,000.00 principal and ¥500.00 interest, nothing else, placed on 2026-11-01.
  const rows = makeRows(6, 7).map((r) => {
    const x = [...r];
    x[col('逾期金额')] = '10500.00';
    x[col('逾期本金')] = '10000.00';
    x[col('逾期利息')] = '500.00';
    x[col('罚息')] = '0';
    return x;
  });
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...rows]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-01' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: cases.slice(0, 5), collectorId: ids.c1! });
  await s.admin.call('assign.manual', { caseIds: cases.slice(5), collectorId: ids.c2! });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('balance', () => {
  it('accrues penalty day by day on the principal under the suggested terms entered with the lender (0.05 %/day, 24 % APR cap)', async () => {
    // 22 days (11-01 … 11-22) × ¥10,000 × 0.05 % = 22 × ¥5 = ¥110; the cap after 22 days is
    // ¥10,000 × 24 % × 22 / 365 = ¥144.65, not reached.
    const b = await as.c1!.call('money.balance', { caseId: cases[0]! });
    expect(b).toMatchObject({ asOf: '2026-11-23', placedOn: '2026-11-01', opening: { principal: 1_000_000, interest: 50_000, penalty: 0, fees: 0 } });
    expect(b.owed).toEqual({ principal: 1_000_000, interest: 50_000, penalty: 11_000, fees: 0 });
    expect(b.outstanding).toBe(1_061_000);
    expect((await as.c1!.call('money.balance', { caseId: cases[0]!, asOf: '2026-11-02' })).owed.penalty).toBe(500);
    expect(await as.c1!.error('money.balance', { caseId: cases[0]!, asOf: '2026-10-31' })).toMatchObject({ code: 'BAD_INPUT' });
  });

  it("follows the lender's terms, and a case's own terms over them", async () => {
    // A late fee of ¥30 once and penalty of 0.1 %/day would be ¥30 + 22 × ¥10 = ¥250 by 11-23, above the
    // 24 % APR cap of ¥144.65 → ¥144.65 in all, the fee first (charged first): ¥30 fee, ¥114.65 penalty.
    const terms = { penaltyPpmPerDay: 1000, penaltyOnInterest: false, lateFee: { kind: 'fixed' as const, fen: 3000 }, lateFeeEveryDays: 'once' as const, aprCapPpm: 240_000, maxChargesFen: null, order: ['fees', 'penalty', 'interest', 'principal'] as ('fees' | 'penalty' | 'interest' | 'principal')[] };
    expect(await as.c1!.error('money.setSettings', { lenderId: lender, terms })).toMatchObject({ code: 'FORBIDDEN' });
    await as.m1!.call('money.setSettings', { lenderId: lender, terms });
    expect((await as.c1!.call('money.balance', { caseId: cases[4]! })).owed).toMatchObject({ penalty: 11_465, fees: 3000 });
    // This case's own terms: no penalty at all.
    const own = await as.m1!.call('money.setCaseTerms', { caseId: cases[4]!, terms: { ...terms, penaltyPpmPerDay: 0, lateFee: null }, reason: '委托方特批停息' });
    expect(own).toMatchObject({ caseTerms: true, owed: { penalty: 0, fees: 0 }, outstanding: 1_050_000 });
    expect((await as.c1!.call('money.balance', { caseId: cases[3]! })).owed.penalty).toBe(11_465);
    // Back to the default terms for the rest of the tests.
    await as.m1!.call('money.setSettings', { lenderId: lender, terms: { ...terms, penaltyPpmPerDay: 500, lateFee: null } });
    expect((await s.admin.call('audit.list', { action: 'money.setCaseTerms', limit: 5 })).entries).toHaveLength(1);
  });

  it("keeps a collector out of another collector's money", async () => {
    expect(await as.c2!.error('money.balance', { caseId: cases[0]! })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await as.c2!.error('payments.list', { caseId: cases[0]! })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await as.c2!.error('plans.propose', { caseId: cases[0]!, kind: 'extension', reason: '收入中断', dueDate: '2026-12-31' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('payments', () => {
  it('allocates a payment fees → penalty → interest → principal, and refuses bad dates and collectors', async () => {
    const id = cases[0]!;
    expect(await as.c1!.error('payments.post', { caseId: id, paidOn: '2026-11-23', amountFen: 20_000, channel: 'alipay' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.m1!.error('payments.post', { caseId: id, paidOn: '2026-11-24', amountFen: 20_000, channel: 'alipay' })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.m1!.error('payments.post', { caseId: id, paidOn: '2026-10-30', amountFen: 20_000, channel: 'alipay' })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.m1!.error('payments.post', { caseId: id, paidOn: '2026-11-23', amountFen: 12.5, channel: 'alipay' })).toMatchObject({ code: 'BAD_INPUT' });
    // ¥200 on the 23rd: penalty ¥110 first, then ¥90 of the interest.
    const r = await as.m1!.call('payments.post', { caseId: id, paidOn: '2026-11-23', amountFen: 20_000, channel: 'alipay', payer: '本人', reference: 'ALI-1' });
    expect(r.settled).toBe(false);
    expect(r.balance.owed).toEqual({ principal: 1_000_000, interest: 41_000, penalty: 0, fees: 0 });
    expect(r.balance.paid).toEqual({ principal: 0, interest: 9_000, penalty: 11_000, fees: 0 });
    expect(r.balance.allocations).toEqual([{ paymentId: r.payment.id, date: '2026-11-23', fen: 20_000, applied: { fees: 0, penalty: 11_000, interest: 9_000, principal: 0 }, over: 0 }]);
    expect((await as.c1!.call('payments.list', { caseId: id })).payments).toMatchObject([{ amountFen: 20_000, channel: 'alipay', enteredBy: 'm1', source: 'agency' }]);
  });

  it('undoes a payment only by a reversing entry; the store refuses to change or delete one', async () => {
    const id = cases[0]!;
    const [p] = (await as.m1!.call('payments.list', { caseId: id })).payments;
    const r = await as.m1!.call('payments.reverse', { paymentId: p!.id, reason: '重复入账' });
    expect(r.payment).toMatchObject({ amountFen: -20_000, reversesId: p!.id });
    expect(r.balance.outstanding).toBe(1_061_000);
    expect(await as.m1!.error('payments.reverse', { paymentId: p!.id, reason: '再次' })).toMatchObject({ code: 'CONFLICT' });
    expect(await as.m1!.error('payments.reverse', { paymentId: r.payment.id, reason: '再次' })).toMatchObject({ code: 'CONFLICT' });
    const listed = (await as.m1!.call('payments.list', { caseId: id })).payments;
    expect(listed.map((x) => [x.amountFen, x.reversedById, x.reversesId])).toEqual([
      [20_000, r.payment.id, null],
      [-20_000, null, p!.id],
    ]);
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      expect(() => db.prepare('UPDATE payments SET amount_fen = 1 WHERE id = ?').run(p!.id)).toThrow(/never changed/);
      expect(() => db.prepare('DELETE FROM payments WHERE id = ?').run(p!.id)).toThrow(/never deleted/);
    } finally {
      db.close();
    }
  });

  it('settles a case paid in full, and reopens it when that payment is reversed', async () => {
    const id = cases[1]!;
    const r = await as.m1!.call('payments.post', { caseId: id, paidOn: '2026-11-23', amountFen: 1_061_000, channel: 'bank_transfer' });
    expect(r).toMatchObject({ settled: true, balance: { outstanding: 0 } });
    expect((await as.m1!.call('cases.get', { id })).stage).toBe('settled');
    const back = await as.m1!.call('payments.reverse', { paymentId: r.payment.id, reason: '银行退票' });
    expect(back.reopened).toBe(true);
    expect((await as.m1!.call('cases.get', { id })).stage).toBe('contact');
  });
});

describe('plans', () => {
  let planId = 0;
  it('a collector proposes 3 installments with a waiver; the schedule sums exactly; a manager approves', async () => {
    const id = cases[2]!;
    // Owed on 11-23: ¥10,000 + ¥500 interest + ¥110 penalty. Waive the interest and penalty: ¥10,000 in 3.
    const plan = await as.c1!.call('plans.propose', {
      caseId: id,
      kind: 'installments',
      reason: '失业，收入中断',
      waiver: { interest: 50_000, penalty: 11_000 },
      installments: { count: 3, firstDate: '2026-12-01' },
    });
    expect(plan).toMatchObject({ status: 'proposed', approver: 'manager', owedFen: 1_061_000, waiverFen: 61_000, totalFen: 1_000_000, graceDays: 3 });
    expect(plan.installments.map((i) => [i.dueDate, i.amountFen])).toEqual([
      ['2026-12-01', 333_334],
      ['2027-01-01', 333_333],
      ['2027-02-01', 333_333],
    ]);
    expect(await as.c1!.error('plans.propose', { caseId: id, kind: 'extension', reason: '再议', dueDate: '2026-12-31' })).toMatchObject({ code: 'CONFLICT' });
    expect(await as.c1!.error('plans.decide', { planId: plan.id, approve: true })).toMatchObject({ code: 'FORBIDDEN' });
    const approved = await as.m1!.call('plans.decide', { planId: plan.id, approve: true, note: '同意' });
    expect(approved).toMatchObject({ status: 'active', decidedBy: 'm1' });
    expect((await as.c1!.call('cases.get', { id })).stage).toBe('negotiation');
    // Frozen and waived: on 12-10 the case owes exactly the plan's total, no more penalty.
    expect(await as.c1!.call('money.balance', { caseId: id, asOf: '2026-12-10' })).toMatchObject({ frozen: true, outstanding: 1_000_000, waived: { interest: 50_000, penalty: 11_000 } });
    planId = plan.id;
  });

  it('tracks each installment and settles the case when the last is paid', async () => {
    const id = cases[2]!;
    await on('2026-12-01');
    await as.m1!.call('payments.post', { caseId: id, paidOn: '2026-12-01', amountFen: 333_334, channel: 'wechat' });
    let [plan] = (await as.c1!.call('plans.list', { caseId: id })).plans;
    expect(plan!.installments.map((i) => i.state)).toEqual(['paid', 'upcoming', 'upcoming']);
    // Paid two days late, inside the 3-day grace: the plan holds.
    await on('2027-01-03');
    await as.m1!.call('payments.post', { caseId: id, paidOn: '2027-01-03', amountFen: 333_333, channel: 'wechat' });
    await on('2027-02-01');
    const last = await as.m1!.call('payments.post', { caseId: id, paidOn: '2027-02-01', amountFen: 333_333, channel: 'wechat' });
    expect(last).toMatchObject({ settled: true, balance: { outstanding: 0 } });
    [plan] = (await as.c1!.call('plans.list', { caseId: id })).plans;
    expect(plan).toMatchObject({ id: planId, status: 'completed', endedOn: '2027-02-01', paidFen: 1_000_000 });
    expect((await as.c1!.call('cases.get', { id })).stage).toBe('settled');
  });

  it('breaks a plan the day after a missed grace period: back to collection, waiver void, schedule kept', async () => {
    await on('2027-02-01');
    const id = cases[3]!;
    const plan = await as.c1!.call('plans.propose', { caseId: id, kind: 'extension', reason: '工资延迟发放', waiver: { penalty: 10_000 }, dueDate: '2027-02-10' });
    await as.m1!.call('plans.decide', { planId: plan.id, approve: true });
    await on('2027-02-13'); // due 02-10, grace to 02-13: not yet broken
    expect((await as.c1!.call('plans.list', { caseId: id })).plans[0]).toMatchObject({ status: 'active', installments: [{ state: 'due' }] });
    await on('2027-02-14');
    const [broken] = (await as.c1!.call('plans.list', { caseId: id })).plans;
    expect(broken).toMatchObject({ status: 'broken', endedOn: '2027-02-14', installments: [{ dueDate: '2027-02-10', state: 'missed' }] });
    expect((await as.c1!.call('cases.get', { id })).stage).toBe('contact');
    const b = await as.c1!.call('money.balance', { caseId: cases[3]! });
    expect(b.waived.penalty).toBe(0);
    expect(b.frozen).toBe(false);
    expect((await s.admin.call('audit.list', { action: 'plans.broken', limit: 5 })).entries).toHaveLength(1);
  });

  it("needs the lender's approval recorded for a waiver above the agency's limits", async () => {
    await on('2027-02-14');
    const id = cases[4]!; // this case owes ¥10,500 (its own terms: no penalty)
    // Waiving the ¥500 interest of ¥10,500 (4.8 %) is within the defaults (¥5,000 and 30 %).
    const plan = await as.c1!.call('plans.propose', { caseId: id, kind: 'waiver', reason: '重病，见诊断书', waiver: { interest: 50_000 }, dueDate: '2027-03-01' });
    expect(plan).toMatchObject({ approver: 'manager', status: 'proposed' });
    await as.m1!.call('plans.decide', { planId: plan.id, approve: false, note: '需先还部分本金' });
    // With a ¥300 limit it is above what a manager may grant alone.
    await as.m1!.call('money.setSettings', { lenderId: lender, approval: { managerMaxWaiverFen: 30_000, managerMaxWaiverPpm: 300_000, graceDays: 3 } });
    const big = await as.c1!.call('plans.propose', { caseId: id, kind: 'waiver', reason: '重病，见诊断书', waiver: { interest: 50_000 }, dueDate: '2027-03-01' });
    expect(big).toMatchObject({ approver: 'lender', status: 'awaiting_lender', totalFen: 1_000_000 });
    expect(await as.m1!.error('plans.decide', { planId: big.id, approve: true })).toMatchObject({ code: 'BAD_INPUT' });
    const ok = await as.m1!.call('plans.decide', { planId: big.id, approve: true, lenderApproval: { by: '委托方 王经理', reference: 'JM-2027-031', date: '2027-02-14' } });
    expect(ok).toMatchObject({ status: 'active', lenderApproval: { reference: 'JM-2027-031' } });
    expect((await as.m1!.call('plans.list', { status: ['active'] })).plans.map((p) => p.id)).toContain(big.id);
    expect((await as.c2!.call('plans.list', { status: ['active'] })).plans).toEqual([]);
  });
});

describe('promises', () => {
  it('judges each promise from the payments: kept, partly kept, broken, pending', async () => {
    await on('2027-03-01');
    const id = cases[0]!; // c1's
    const log = (amountFen: number, date: string) => as.c1!.call('contacts.log', { caseId: id, channel: 'phone', outcome: 'promised_to_pay', durationSec: 60, promise: { amountFen, date } });
    await log(100_000, '2027-03-05');
    await on('2027-03-10');
    await log(50_000, '2027-03-12');
    await as.m1!.call('payments.post', { caseId: id, paidOn: '2027-03-10', amountFen: 30_000, channel: 'alipay' });
    await on('2027-03-13');
    await log(80_000, '2027-03-20');
    const ps = (await as.c1!.call('promises.list', { caseId: id })).promises;
    expect(ps.map((p) => [p.date, p.state, p.paidFen])).toEqual([
      ['2027-03-20', 'pending', 0],
      ['2027-03-12', 'partly_kept', 30_000],
      ['2027-03-05', 'broken', 0],
    ]);
    expect((await as.m1!.call('promises.list', { states: ['broken'] })).promises.map((p) => p.date)).toEqual(['2027-03-05']);
    expect((await as.c2!.call('promises.list', { collectorId: ids.c1! })).promises).toEqual([]);
  });

  it('judges a recurring promise instalment by instalment, each by what was paid after the one before', async () => {
    await on('2027-04-01');
    const id = cases[0]!;
    // ¥300 on the 5th of April, May and June.
    await as.c1!.call('contacts.log', { caseId: id, channel: 'phone', outcome: 'promised_to_pay', durationSec: 60, promise: { amountFen: 30_000, date: '2027-04-05', repeat: { count: 3 } } });
    await on('2027-04-05');
    await as.m1!.call('payments.post', { caseId: id, paidOn: '2027-04-05', amountFen: 30_000, channel: 'alipay' });
    await on('2027-05-20');
    await as.m1!.call('payments.post', { caseId: id, paidOn: '2027-05-20', amountFen: 10_000, channel: 'alipay' });
    const ps = (await as.c1!.call('promises.list', { caseId: id, from: '2027-04-01' })).promises;
    expect(ps.map((p) => [p.date, p.state, p.paidFen, p.instance])).toEqual([
      ['2027-06-05', 'pending', 10_000, { no: 3, of: 3 }],
      ['2027-05-05', 'broken', 0, { no: 2, of: 3 }],
      ['2027-04-05', 'kept', 30_000, { no: 1, of: 3 }],
    ]);
    // The dashboard judges the same dates the same way: in April–May 20, the first kept, the second broken.
    const dash = await s.admin.call('dashboard.get', { from: '2027-04-01', to: '2027-05-20' });
    expect(dash.promises.totals).toMatchObject({ kept: 1, partlyKept: 0, broken: 1, pending: 0 });
    const logged = (await as.c1!.call('contacts.list', { caseId: id })).attempts[0]!;
    expect(logged.promise).toEqual({ amountFen: 30_000, date: '2027-04-05', repeat: { count: 3, everyMonths: 1 } });
  });
});
