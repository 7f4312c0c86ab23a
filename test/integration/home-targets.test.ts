// The manager's home (home.summary) and monthly recovery targets (targets.set / targets.list) on a small
// store worked out by hand; "today" is Wednesday 2026-11-18, so this week ends Sunday 11-22.
//
// Lender HA, batch placed 2026-11-01, placement ends 2026-11-25: A1, A2 (c1, team 一组), A3 (c2, 二组), A4 (pool).
// Lender HB, batch placed 2026-11-02, placement ends 2026-12-31: B1, B2 (c2).
// Payments: A1 ¥1,000 today; A3 ¥3,000 on 11-10, ¥600 on 11-16 reversed; B1 ¥100 on 11-13 (a kept promise).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, ADMIN_PASSWORD, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-01T10:00:00+08:00');
const PW = 'home targets pw 1';
const as: Record<string, Client> = {};
const ids: Record<string, number> = {};
const teams: Record<string, number> = {};
const c: Record<string, number> = {};

async function on(day: string) {
  clock = new Date(`${day}T10:00:00+08:00`);
  for (const u of ['c1', 'c2', 'm1', 'au']) as[u] = await login(s.backend, u, PW);
  s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
}

async function place(code: string, placed: string, termEnd: string, names: string[]) {
  const lenderId = (await s.admin.call('lenders.create', { code, name: `贷方${code}` })).id;
  const file = path.join(files, `${code}.csv`);
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(names.length, code.charCodeAt(1), { caseNoPrefix: code })]));
  const { jobId } = await s.admin.call('import.start', { lenderId, file: { path: file }, placementDate: placed, termEndDate: termEnd, batchNo: `${code}-1` });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  const listed = (await s.admin.call('cases.list', { lenderId, sort: 'id', desc: false })).rows;
  names.forEach((n, i) => (c[n] = listed[i]!.id));
}

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-home-');
  for (const t of ['一组', '二组']) teams[t] = (await s.admin.call('teams.create', { name: t })).id;
  for (const [u, role, team] of [['c1', 'collector', '一组'], ['c2', 'collector', '二组'], ['m1', 'manager', null], ['au', 'auditor', null]] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: `用户${u}`, role, password: PW, teamId: team ? teams[team]! : null })).id;
  }
  await on('2026-11-01');
  await place('HA', '2026-11-01', '2026-11-25', ['A1', 'A2', 'A3', 'A4']);
  await on('2026-11-02');
  await place('HB', '2026-11-02', '2026-12-31', ['B1', 'B2']);
  await s.admin.call('assign.manual', { caseIds: [c.A1!, c.A2!], collectorId: ids.c1! });
  await s.admin.call('assign.manual', { caseIds: [c.A3!, c.B1!, c.B2!], collectorId: ids.c2! });
  await on('2026-11-03');
  // Broken but more than 7 days ago: not on the home page.
  await as.c1!.call('contacts.log', { caseId: c.A1!, channel: 'phone', outcome: 'promised_to_pay', durationSec: 60, promise: { amountFen: 50_000, date: '2026-11-05' } });
  await on('2026-11-12');
  // Broken within the last 7 days (due 11-14, nothing paid).
  await as.c1!.call('contacts.log', { caseId: c.A2!, channel: 'phone', outcome: 'promised_to_pay', durationSec: 60, promise: { amountFen: 100_000, date: '2026-11-14' } });
  // Kept (¥3,000 paid 11-10 is before it was made… so paid 11-13 below): not broken.
  await as.c2!.call('contacts.log', { caseId: c.B1!, channel: 'phone', outcome: 'promised_to_pay', durationSec: 60, promise: { amountFen: 10_000, date: '2026-11-15' } });
  await on('2026-11-13');
  await as.m1!.call('payments.post', { caseId: c.B1!, paidOn: '2026-11-13', amountFen: 10_000, channel: 'bank_transfer' });
  await as.c2!.call('contacts.log', { caseId: c.A3!, channel: 'phone', outcome: 'connected', durationSec: 60 });
  await as.m1!.call('legal.refer', { caseId: c.A3!, lawFirm: '金诚律所', lawyer: '王律师', referredOn: '2026-11-13', nextDate: '2026-11-20', nextWhat: '开庭', reason: '长期拒不还款' });
  await as.c2!.call('contacts.log', { caseId: c.B2!, channel: 'phone', outcome: 'connected', durationSec: 60 });
  await as.m1!.call('legal.refer', { caseId: c.B2!, lawFirm: '金诚律所', lawyer: '王律师', referredOn: '2026-11-13', nextDate: '2026-11-30', nextWhat: '立案', reason: '长期拒不还款' });
  await on('2026-11-18');
  await as.m1!.call('payments.post', { caseId: c.A3!, paidOn: '2026-11-10', amountFen: 300_000, channel: 'bank_transfer' });
  const wrong = await as.m1!.call('payments.post', { caseId: c.A3!, paidOn: '2026-11-16', amountFen: 60_000, channel: 'bank_transfer' });
  await as.m1!.call('payments.reverse', { paymentId: wrong.payment.id, reason: '错误入账' });
  await as.m1!.call('payments.post', { caseId: c.A1!, paidOn: '2026-11-18', amountFen: 100_000, channel: 'bank_transfer' });
  await as.c1!.call('plans.propose', { caseId: c.A2!, kind: 'extension', reason: '收入中断', dueDate: '2026-12-31' });
}, 90_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('home.summary', () => {
  it('is for managers, admins and auditors; a collector is refused', async () => {
    expect(await as.c1!.error('home.summary', {})).toMatchObject({ code: 'FORBIDDEN' });
    expect((await as.au!.call('home.summary', {})).today).toBe('2026-11-18');
  });

  it('counts what waits for the manager, each by its definition', async () => {
    const h = await as.m1!.call('home.summary', {});
    expect(h).toMatchObject({
      today: '2026-11-18',
      plansAwaiting: 1,
      brokenPromises7d: 1,
      legalDueThisWeek: 1,
      weekEnd: '2026-11-22',
      complaints: { open: 0, overdue: 0 },
      // HA's four cases end 11-25, within 14 days; HB's end 12-31.
      termEnding: 4,
      termEndDays: 14,
      recoveredTodayFen: 100_000,
      month: '2026-11',
      // ¥100 (B1) + ¥3,000 (A3) + ¥600 − ¥600 + ¥1,000 (A1).
      recoveredMonthFen: 410_000,
      monthTargetFen: null,
      monthPct: null,
    });
  });

  it("recovered this month is the dashboard's figure", async () => {
    const [h, d] = await Promise.all([as.m1!.call('home.summary', {}), as.m1!.call('dashboard.get', {})]);
    expect(h.recoveredMonthFen).toBe(d.totals.recoveredFen);
  });

  it('follows the placement-end setting, and a decided plan leaves the count', async () => {
    await s.admin.call('settings.update', { termEndWarnDays: 5 });
    expect((await as.m1!.call('home.summary', {})).termEnding).toBe(0);
    await s.admin.call('settings.update', { termEndWarnDays: 7 });
    expect((await as.m1!.call('home.summary', {})).termEnding).toBe(4);
    await s.admin.call('settings.update', { termEndWarnDays: 14 });
    const [plan] = (await as.m1!.call('plans.list', { status: ['proposed'] })).plans;
    await as.m1!.call('plans.decide', { planId: plan!.id, approve: false, note: '不同意' });
    expect((await as.m1!.call('home.summary', {})).plansAwaiting).toBe(0);
  });
  it('is asked on a timer, so it does not keep an idle session alive', async () => {
    await s.admin.call('settings.update', { idleLockMinutes: 5 });
    const m = await login(s.backend, 'm1', PW);
    const start = clock;
    clock = new Date(start.getTime() + 4 * 60_000);
    await m.call('home.summary', {});
    clock = new Date(start.getTime() + 6 * 60_000);
    expect(await m.error('home.summary', {})).toMatchObject({ code: 'SESSION_EXPIRED' });
    // A call the user makes does count: the same pattern with plans.list stays logged in.
    const m2 = await login(s.backend, 'm1', PW);
    clock = new Date(start.getTime() + 10 * 60_000);
    await m2.call('plans.list', {});
    clock = new Date(start.getTime() + 12 * 60_000);
    expect((await m2.call('home.summary', {})).today).toBe('2026-11-18');
    // The Assign page's poll of an assignment being written is a timer too (shared/contract/background.ts).
    const m3 = await login(s.backend, 'm1', PW);
    clock = new Date(start.getTime() + 16 * 60_000);
    expect(await m3.call('assign.applying', {})).toEqual({ applying: [] });
    clock = new Date(start.getTime() + 18 * 60_000);
    expect(await m3.error('assign.applying', {})).toMatchObject({ code: 'SESSION_EXPIRED' });
    clock = start;
    await s.admin.call('settings.update', { idleLockMinutes: 30 });
    await on('2026-11-18');
  });
});

describe('targets', () => {
  it('only managers and admins set them; a target is for a collector, a team or the agency', async () => {
    expect(await as.c1!.error('targets.set', { month: '2026-11', amountFen: 1 })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.au!.error('targets.set', { month: '2026-11', amountFen: 1 })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.c1!.error('targets.list', {})).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.m1!.error('targets.set', { month: '2026-11', collectorId: ids.m1!, amountFen: 1 })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await as.m1!.error('targets.set', { month: '2026-11', collectorId: ids.c1!, teamId: teams['一组']!, amountFen: 1 })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.m1!.error('targets.set', { month: '2026-13', amountFen: 1 })).toMatchObject({ code: 'BAD_INPUT' });
  });

  it('progress per collector, team and agency, from the same recovered figure', async () => {
    await as.m1!.call('targets.set', { month: '2026-11', teamId: teams['一组']!, amountFen: 1_000_000 });
    await as.m1!.call('targets.set', { month: '2026-11', teamId: teams['二组']!, amountFen: 500_000 });
    await as.m1!.call('targets.set', { month: '2026-11', collectorId: ids.c1!, amountFen: 800_000 });
    // Setting again replaces.
    await as.m1!.call('targets.set', { month: '2026-11', collectorId: ids.c1!, amountFen: 400_000 });
    const l = await as.au!.call('targets.list', {});
    expect(l).toMatchObject({ month: '2026-11', agencyTargetFen: 1_500_000, recoveredFen: 410_000, agencyPct: 27.33 });
    const rows = l.targets.map((t) => [t.teamName ?? t.collectorName, t.amountFen, t.recoveredFen, t.pct]);
    expect(rows).toEqual([
      ['一组', 1_000_000, 100_000, 10],
      ['二组', 500_000, 310_000, 62],
      ['用户c1', 400_000, 100_000, 25],
    ]);
    expect(l.targets[0]!.setBy).toBe('用户m1');
    let h = await as.m1!.call('home.summary', {});
    expect([h.monthTargetFen, h.monthPct]).toEqual([1_500_000, 27.33]);
    // The agency's own target wins over the teams' sum; removing it brings the sum back.
    await as.m1!.call('targets.set', { month: '2026-11', amountFen: 2_000_000 });
    h = await as.m1!.call('home.summary', {});
    expect([h.monthTargetFen, h.monthPct]).toEqual([2_000_000, 20.5]);
    await as.m1!.call('targets.set', { month: '2026-11', amountFen: null });
    expect((await as.m1!.call('home.summary', {})).monthTargetFen).toBe(1_500_000);
    // Another month is its own: nothing set, nothing recovered yet.
    expect(await as.m1!.call('targets.list', { month: '2026-12' })).toMatchObject({ agencyTargetFen: null, recoveredFen: 0, targets: [] });
    const audit = await s.admin.call('audit.list', { action: 'targets.set' });
    expect(JSON.stringify(audit)).toContain('2026-11');
  });
});
