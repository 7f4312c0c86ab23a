// The managers' dashboard on a small store whose every figure is worked out by hand below: recovery by
// lender, batch, bucket and collector (reversals netted), promises kept (judged from payments), right-
// party contact by the agency's configured outcome classes, roll rates between buckets, cases per stage;
// the period and lender filters; who may see it.
//
// Lender DA, batch placed 2026-11-01 (days overdue at placement → bucket):
//   A1 ¥10,000  20 d (M1)  c1    A2 ¥20,000  15 d (M1)  c1    A3 ¥30,000  45 d (M2)  c2    A4 ¥40,000 100 d (M3+) pool
// Lender DB, batch placed 2026-11-10:
//   B1  ¥5,000   5 d (M1)  c2    B2  ¥5,000  85 d (M3)  c2
// Payments: A1 ¥1,000 on 11-05 and ¥500 on 11-20; A3 ¥3,000 on 11-15 (reversed) and ¥600 on 11-16; B1 ¥5,000 on 11-12.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, ADMIN_PASSWORD, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-01T10:00:00+08:00');
const PW = 'dashboard pw 12';
const as: Record<string, Client> = {};
const ids: Record<string, number> = {};
const c: Record<string, number> = {};
const lenders: Record<string, number> = {};

async function on(day: string, time = '10:00') {
  clock = new Date(`${day}T${time}:00+08:00`);
  for (const u of ['c1', 'c2', 'm1', 'au']) as[u] = await login(s.backend, u, PW);
  s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
}

const col = (h: string) => PLACEMENT_HEADERS.indexOf(h);

async function place(code: string, on: string, rows: [string, number, number][]) {
  lenders[code] = (await s.admin.call('lenders.create', { code, name: `贷方${code}` })).id;
  const base = makeRows(rows.length, code.charCodeAt(1), { caseNoPrefix: code });
  const data = rows.map(([, yuan, days], i) => {
    const x = [...base[i]!];
    x[col('逾期金额')] = yuan.toFixed(2);
    x[col('逾期本金')] = yuan.toFixed(2);
    x[col('逾期利息')] = '0';
    x[col('罚息')] = '0';
    x[col('逾期天数')] = String(days);
    return x;
  });
  const file = path.join(files, `${code}.csv`);
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...data]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lenders[code]!, file: { path: file }, placementDate: on, batchNo: `${code}-1` });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  const listed = (await s.admin.call('cases.list', { lenderId: lenders[code]!, sort: 'id', desc: false })).rows;
  rows.forEach(([name], i) => (c[name] = listed[i]!.id));
}

const call = (who: string, caseId: number, outcome: string, promise?: { amountFen: number; date: string }, channel: 'phone' | 'sms' = 'phone') =>
  as[who]!.call('contacts.log', { caseId, channel, outcome, durationSec: 60, ...(promise ? { promise } : {}) });

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-dashboard-');
  for (const [u, role] of [['c1', 'collector'], ['c2', 'collector'], ['m1', 'manager'], ['au', 'auditor']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: `催收员${u}`, role, password: PW })).id;
    as[u] = await login(s.backend, u, PW);
  }
  await place('DA', '2026-11-01', [['A1', 10_000, 20], ['A2', 20_000, 15], ['A3', 30_000, 45], ['A4', 40_000, 100]]);
  await s.admin.call('assign.manual', { caseIds: [c.A1!, c.A2!], collectorId: ids.c1! });
  await s.admin.call('assign.manual', { caseIds: [c.A3!], collectorId: ids.c2! });
  // An outcome code of the agency's own, of the "connected" class: it counts as a right-party contact.
  await s.admin.call('outcomes.save', { code: 'callback_agreed', labels: { 'zh-CN': '约定回电', en: 'Agreed to call back' }, class: 'connected', active: true, create: true });

  await on('2026-11-03');
  await as.c1!.call('cases.move', { caseId: c.A1!, to: 'contact' });
  await call('c1', c.A1!, 'promised_to_pay', { amountFen: 100_000, date: '2026-11-05' }); // kept: ¥1,000 paid on 11-05
  await call('c1', c.A2!, 'no_answer');
  await on('2026-11-10');
  await place('DB', '2026-11-10', [['B1', 5_000, 5], ['B2', 5_000, 85]]);
  await s.admin.call('assign.manual', { caseIds: [c.B1!, c.B2!], collectorId: ids.c2! });
  await on('2026-11-12');
  await call('c2', c.B1!, 'promised_to_pay', { amountFen: 600_000, date: '2026-11-14' }); // partly kept: ¥5,000 of ¥6,000
  await call('c2', c.A3!, 'connected', { amountFen: 200_000, date: '2026-11-23' }); // pending on 11-23 (due today)
  await call('c2', c.B2!, 'callback_agreed');
  await call('c2', c.B2!, 'no_answer', undefined, 'sms'); // not a call: not counted
  await on('2026-11-15');
  await call('c1', c.A2!, 'promised_to_pay', { amountFen: 50_000, date: '2026-11-18' }); // broken: nothing paid
  await on('2026-11-23');
  const pay = (caseId: number, paidOn: string, amountFen: number) => as.m1!.call('payments.post', { caseId, paidOn, amountFen, channel: 'bank_transfer' });
  await pay(c.A1!, '2026-11-05', 100_000);
  await pay(c.A1!, '2026-11-20', 50_000);
  const wrong = await pay(c.A3!, '2026-11-15', 300_000);
  await as.m1!.call('payments.reverse', { paymentId: wrong.payment.id, reason: '错误入账' });
  await pay(c.A3!, '2026-11-16', 60_000);
  await pay(c.B1!, '2026-11-12', 500_000);
}, 90_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('dashboard', () => {
  it('is for managers, admins and auditors, and refuses a period that makes no sense', async () => {
    expect(await as.c1!.error('dashboard.get', {})).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.m1!.error('dashboard.get', { from: '2026-11-20', to: '2026-11-10' })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('starts (2026-11-20) after it ends') });
    expect(await as.m1!.error('dashboard.get', { to: '2026-11-24' })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('after today') });
    expect(await as.m1!.error('dashboard.get', { lenderId: 999 })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await as.m1!.error('dashboard.get', { from: '2026-02-30' })).toMatchObject({ code: 'BAD_INPUT' });
    const d = await as.au!.call('dashboard.get', {});
    expect(d).toMatchObject({ from: '2026-11-01', to: '2026-11-23', periodDays: 23, lenderId: null });
  });

  it('recovery by lender, batch, bucket and collector, reversals netted', async () => {
    const d = await as.m1!.call('dashboard.get', { from: '2026-11-01', to: '2026-11-23' });
    // Placed ¥110,000; recovered ¥1,000 + ¥500 + (¥3,000 − ¥3,000 + ¥600) + ¥5,000 = ¥7,100 → 6.45 %.
    expect(d.totals).toMatchObject({ cases: 6, placedFen: 11_000_000, recoveredFen: 710_000, payingCases: 3, recoveryPct: 6.45 });
    const rows = (r: { label: string; cases: number; placedFen: number; recoveredFen: number; recoveryPct: number | null }[]) => r.map((x) => [x.label, x.cases, x.placedFen, x.recoveredFen, x.recoveryPct]);
    // DB: ¥5,000 of ¥10,000 = 50 %; DA: ¥2,100 of ¥100,000 = 2.1 %.
    expect(rows(d.recovery.byLender)).toEqual([['贷方DB', 2, 1_000_000, 500_000, 50], ['贷方DA', 4, 10_000_000, 210_000, 2.1]]);
    expect(rows(d.recovery.byBatch)).toEqual([['DB-1', 2, 1_000_000, 500_000, 50], ['DA-1', 4, 10_000_000, 210_000, 2.1]]);
    // M1: A1 + A2 + B1 = ¥35,000, paid ¥6,500 → 18.57 %; M2: A3 ¥600 of ¥30,000 = 2 %; M3: B2; M3+: A4.
    expect(rows(d.recovery.byBucket)).toEqual([['M1', 3, 3_500_000, 650_000, 18.57], ['M2', 1, 3_000_000, 60_000, 2], ['M3', 1, 500_000, 0, 0], ['M3+', 1, 4_000_000, 0, 0]]);
    // c2: A3 + B1 + B2 = ¥40,000, ¥5,600 → 14 %; c1: A1 + A2 = ¥30,000, ¥1,500 → 5 %; the pool: A4.
    expect(rows(d.recovery.byCollector)).toEqual([['催收员c2', 3, 4_000_000, 560_000, 14], ['催收员c1', 2, 3_000_000, 150_000, 5], ['', 1, 4_000_000, 0, 0]]);
    expect(d.recovery.byCollector.map((r) => r.key)).toEqual([String(ids.c2), String(ids.c1), '']);
    // A case's first logged attempt moves it from new to contact; the case paid in full (its lender's terms
    // not set, so nothing accrued on it) settled.
    expect(d.stages).toEqual([
      { stage: 'new', cases: 1, placedFen: 4_000_000 },
      { stage: 'contact', cases: 4, placedFen: 6_500_000 },
      { stage: 'settled', cases: 1, placedFen: 500_000 },
    ]);
  });

  it('promises kept: kept / (kept + partly + broken), pending ones apart, per collector who made them', async () => {
    const d = await as.m1!.call('dashboard.get', { from: '2026-11-01', to: '2026-11-23' });
    expect(d.promises.totals).toMatchObject({ made: 4, kept: 1, partlyKept: 1, broken: 1, pending: 1, promisedFen: 950_000, keptPct: 33.33 });
    // Paid towards them: ¥1,000 (A1) + ¥5,000 (B1) + ¥600 (A3, pending, paid 11-16 within 11-12…11-23) + 0.
    expect(d.promises.totals.paidFen).toBe(100_000 + 500_000 + 60_000);
    expect(d.promises.byCollector.map((p) => [p.label, p.made, p.kept, p.partlyKept, p.broken, p.pending, p.keptPct])).toEqual([
      ['催收员c1', 2, 1, 0, 1, 0, 50],
      ['催收员c2', 2, 0, 1, 0, 1, 0],
    ]);
  });

  it("right-party contact by the agency's outcome classes (its own connected code included, SMS left out)", async () => {
    const d = await as.m1!.call('dashboard.get', { from: '2026-11-01', to: '2026-11-23' });
    // c1: A1 promised (connected), A2 no answer, A2 promised → 2 of 3; c2: B1, A3, B2 (callback_agreed) → 3 of 3.
    expect(d.contact.byCollector.map((r) => [r.label, r.attempts, r.connected, r.rpcPct])).toEqual([
      ['催收员c1', 3, 2, 66.67],
      ['催收员c2', 3, 3, 100],
    ]);
    expect(d.contact.totals).toMatchObject({ attempts: 6, connected: 5, rpcPct: 83.33 });
    // Outside the period nothing counts.
    expect((await as.m1!.call('dashboard.get', { from: '2026-11-16', to: '2026-11-23' })).contact.totals).toMatchObject({ attempts: 0, connected: 0, rpcPct: null });
  });

  it('roll rates from the days overdue at placement plus the days since, for the cases that paid nothing', async () => {
    // Period 11-10 … 11-23 (13 days on): days at the start / end —
    //   A1 29 (M1) paid · A2 24 (M1) → 37 (M2) rolled · B1 5 (M1) paid · A3 54 (M2) paid ·
    //   B2 85 (M3) → 98 (M3+) rolled · A4 109 (M3+) → 122 stayed.
    const d = await as.m1!.call('dashboard.get', { from: '2026-11-10', to: '2026-11-23' });
    expect(d.roll).toEqual([
      { bucket: 'M1', cohort: 3, paid: 2, stayed: 0, rolled: 1, to: [{ bucket: 'M2', cases: 1 }], rollPct: 33.33 },
      { bucket: 'M2', cohort: 1, paid: 1, stayed: 0, rolled: 0, to: [], rollPct: 0 },
      { bucket: 'M3', cohort: 1, paid: 0, stayed: 0, rolled: 1, to: [{ bucket: 'M3+', cases: 1 }], rollPct: 100 },
      { bucket: 'M3+', cohort: 1, paid: 0, stayed: 1, rolled: 0, to: [{ bucket: 'M3+', cases: 1 }], rollPct: 0 },
    ]);
    // Recovered in 11-10 … 11-23: ¥500 + ¥600 + ¥5,000.
    expect(d.totals.recoveredFen).toBe(610_000);
    // From 11-05 the DB batch (placed 11-10) was not there yet: no cohort for it.
    const early = await as.m1!.call('dashboard.get', { from: '2026-11-05', to: '2026-11-06' });
    expect(early.roll.reduce((n, r) => n + r.cohort, 0)).toBe(4);
    expect(early.totals).toMatchObject({ cases: 4, recoveredFen: 100_000 });
  });

  it('filters by lender and by period end', async () => {
    const d = await as.m1!.call('dashboard.get', { lenderId: lenders.DB! });
    expect(d.totals).toMatchObject({ cases: 2, placedFen: 1_000_000, recoveredFen: 500_000, recoveryPct: 50 });
    expect(d.recovery.byLender.map((r) => r.label)).toEqual(['贷方DB']);
    expect(d.promises.totals).toMatchObject({ made: 1, partlyKept: 1, keptPct: 0 });
    expect(d.contact.totals).toMatchObject({ attempts: 2, connected: 2 });
    // A period ending before DB's placement leaves its cases out.
    const before = await as.m1!.call('dashboard.get', { from: '2026-11-01', to: '2026-11-09' });
    expect(before.totals).toMatchObject({ cases: 4, placedFen: 10_000_000, recoveredFen: 100_000 });
  });
});
