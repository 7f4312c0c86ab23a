// Inbound is not outreach, honest call times, and the first attempt moving a new case on: through the API
// on a real store, with the store's clock moved through one working day (Asia/Shanghai).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, ADMIN_PASSWORD, type TestStore, type Client } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-23T07:03:00+08:00');
const PW = 'call times pw 1';
const as: Record<string, Client> = {};
const ids: Record<string, number> = {};
let cases: number[] = [];

/** Moves the store's clock to a local time (day 23 or 24 of November 2026, Shanghai); logs everyone in again. */
async function at(hhmm: string, day = 23) {
  clock = new Date(`2026-11-${day}T${hhmm}:00+08:00`);
  for (const u of ['c1', 'c2', 'm1']) as[u] = await login(s.backend, u, PW);
  s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
}
const cst = (hhmm: string, day = 23) => new Date(`2026-11-${day}T${hhmm}:00+08:00`).toISOString();
const phone = (caseId: number, outcome: string, extra: Record<string, unknown> = {}) => ({ caseId, channel: 'phone' as const, outcome, ...extra });

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-calltimes-');
  const lender = (await s.admin.call('lenders.create', { code: 'PAYD', name: '平安i贷' })).id;
  for (const [u, role] of [['c1', 'collector'], ['c2', 'collector'], ['m1', 'manager']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: u.toUpperCase(), role, password: PW })).id;
  }
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(6, 77)]));
  // Imported and assigned at 07:03, as in the issue.
  expect((await importFile(s.admin, lender, file)).state).toBe('done');
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: cases.slice(0, 5), collectorId: ids.c1! });
  await s.admin.call('assign.manual', { caseIds: cases.slice(5), collectorId: ids.c2! });
  await at('07:03');
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('honest call times', () => {
  it('at 07:05 a call is refused for quiet hours, and 15:00 yesterday is refused too: the case came at 07:03', async () => {
    await at('07:05');
    expect(await as.c1!.error('contacts.log', phone(cases[0]!, 'no_answer'))).toMatchObject({ code: 'COMPLIANCE', violations: [{ rule: 'quiet_hours' }] });
    const backdated = await as.c1!.error('contacts.log', phone(cases[0]!, 'no_answer', { startedAt: cst('15:00', 22) }));
    expect(backdated).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('came to the agency at 2026-11-22 23:03 UTC') });
    // A manager is held to the same: the claim reaches before the agency had the case.
    expect(await as.m1!.error('contacts.log', phone(cases[0]!, 'no_answer', { startedAt: cst('15:00', 22), lateReason: '补录' }))).toMatchObject({ code: 'BAD_INPUT' });
    expect((await as.c1!.call('contacts.list', { caseId: cases[0]! })).attempts).toEqual([]);
  });

  it('not before the collector logging it held the case (from the assignment moves)', async () => {
    await at('09:00');
    await s.admin.call('assign.manual', { caseIds: [cases[4]!], collectorId: ids.c2! });
    await at('10:00');
    await s.admin.call('assign.manual', { caseIds: [cases[4]!], collectorId: ids.c1! });
    await at('10:30');
    // 09:30: c2 held it then, not c1.
    expect(await as.c1!.error('contacts.log', phone(cases[4]!, 'no_answer', { startedAt: cst('09:30') }))).toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('You hold this case since 2026-11-23 02:00 UTC'),
    });
    expect(await as.c1!.call('contacts.log', phone(cases[4]!, 'no_answer', { startedAt: cst('10:05') }))).toMatchObject({ startedAt: cst('10:05') });
  });

  it('the window for logging afterwards is a setting; older entries take a manager and a reason; the audit keeps both times', async () => {
    await at('12:40');
    // 10:30 is 130 minutes ago; the window is 2 hours.
    expect((await s.admin.call('settings.get', {})).attemptLateWindowMinutes).toBe(120);
    const c1late = await as.c1!.error('contacts.log', phone(cases[1]!, 'no_answer', { startedAt: cst('10:30') }));
    expect(c1late).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('within 120 minutes') });
    expect(await as.m1!.error('contacts.log', phone(cases[1]!, 'no_answer', { startedAt: cst('10:30') }))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('say why') });
    const entered = await as.m1!.call('contacts.log', phone(cases[1]!, 'no_answer', { startedAt: cst('10:30'), lateReason: '系统故障，纸质记录补录' }));
    expect(entered).toMatchObject({ startedAt: cst('10:30'), loggedAt: cst('12:40'), lateReason: '系统故障，纸质记录补录', enteredBy: 'm1' });
    const audit = (await s.admin.call('audit.list', { action: 'contacts.log', limit: 1 })).entries[0]!;
    expect(audit.detail).toMatchObject({ attemptId: entered.id, claimedAt: cst('10:30'), enteredAt: cst('12:40'), lateMinutes: 130, lateReason: '系统故障，纸质记录补录' });
    // Within the window no reason is asked, and none is kept.
    expect(await as.c1!.call('contacts.log', phone(cases[1]!, 'no_answer', { startedAt: cst('11:00') }))).toMatchObject({ lateReason: null });
    // A wider window is the agency's choice (audited like any setting).
    await s.admin.call('settings.update', { attemptLateWindowMinutes: 180 });
    expect(await as.c1!.call('contacts.log', phone(cases[2]!, 'no_answer', { startedAt: cst('10:30') }))).toMatchObject({ lateReason: null });
    await s.admin.call('settings.update', { attemptLateWindowMinutes: 120 });
  });

  it('the compliance report lists late entries and quiet-hour claims per collector', async () => {
    // Next morning 07:30: a manager enters yesterday's 18:00 call (entered inside quiet hours, claimed outside).
    await at('07:30', 24);
    await as.m1!.call('contacts.log', phone(cases[3]!, 'no_answer', { startedAt: cst('18:00'), lateReason: '外勤回来补录' }));
    // 22:30 with a manager's override: claimed inside quiet hours.
    await at('22:30');
    await as.m1!.call('compliance.override', { caseId: cases[3]!, rule: 'quiet_hours', reason: '借款人约定晚间回电' });
    await as.c1!.call('contacts.log', phone(cases[3]!, 'connected', { durationSec: 60 }));
    await at('08:30', 24);
    const r = await as.m1!.call('compliance.report', { from: '2026-11-23', to: '2026-11-23' });
    expect(r.rows.find((x) => x.collector === 'm1')).toMatchObject({ lateEntries: 2, quietHourClaims: 1 });
    // c1's 10:30 entry at 12:40 went in while the window was 3 hours; the report judges by today's window.
    expect(r.rows.find((x) => x.collector === 'c1')).toMatchObject({ lateEntries: 1, quietHourClaims: 1 });
    const kinds = r.flagged.map((f) => [f.kind, f.collector, f.claimedAt]);
    expect(kinds).toEqual([
      ['late_entry', 'm1', cst('10:30')],
      ['late_entry', 'c1', cst('10:30')],
      ['late_entry', 'm1', cst('18:00')],
      ['entered_in_quiet', 'm1', cst('18:00')],
      ['claimed_in_quiet', 'c1', cst('22:30')],
    ]);
    expect(r.flagged[2]).toMatchObject({ enteredAt: cst('07:30', 24), lateReason: '外勤回来补录', lateMinutes: 810, caseId: cases[3] });
  });
});

describe('inbound is not outreach', () => {
  it('an inbound call from contact 1 is recorded where an outbound one is refused as too early', async () => {
    await at('10:00', 24);
    const id = cases[0]!;
    const contact1 = { caseId: id, channel: 'phone' as const, party: 'contact' as const, contactSlot: 1 };
    // Reproduce: outbound to contact 1 is too early (no failed attempts on the borrower yet).
    expect((await as.c1!.call('contacts.check', contact1)).violations.map((v) => v.rule)).toEqual(['third_party_too_early']);
    expect(await as.c1!.error('contacts.log', { ...contact1, outcome: 'connected' })).toMatchObject({ code: 'COMPLIANCE', violations: [{ rule: 'third_party_too_early' }] });
    expect((await as.c1!.call('contacts.check', { ...contact1, direction: 'inbound' })).violations).toEqual([]);
    const a = await as.c1!.call('contacts.log', { ...contact1, direction: 'inbound', outcome: 'connected', durationSec: 90, note: '父亲来电询问' });
    expect(a).toMatchObject({ direction: 'inbound', party: 'contact', contactSlot: 1, relation: expect.any(String) });
  });

  it('an inbound call is recorded in quiet hours, on a paused case, after the day’s caps, and does not count towards them', async () => {
    const id = cases[2]!;
    await at('23:10', 24);
    expect(await as.c1!.error('contacts.log', phone(id, 'no_answer'))).toMatchObject({ violations: [{ rule: 'quiet_hours' }] });
    await as.c1!.call('contacts.log', phone(id, 'connected', { direction: 'inbound', note: '借款人夜间来电' }));
    await at('10:00', 24);
    for (let i = 0; i < 3; i++) await as.c1!.call('contacts.log', phone(id, 'connected', { direction: 'inbound' }));
    // Three inbound connected calls: the agency's own three outbound ones are still allowed.
    for (let i = 0; i < 3; i++) await as.c1!.call('contacts.log', phone(id, 'connected'));
    expect(await as.c1!.error('contacts.log', phone(id, 'connected'))).toMatchObject({ violations: [{ rule: 'daily_connected_cap' }] });
    await as.c1!.call('contacts.log', phone(id, 'connected', { direction: 'inbound' }));
    await as.c1!.call('cases.move', { caseId: id, to: 'paused', reason: '住院', pauseReason: 'hardship' });
    expect((await as.c1!.error('contacts.log', phone(id, 'no_answer'))).violations?.map((v) => v.rule)).toContain('case_paused');
    expect(await as.c1!.call('contacts.log', { caseId: id, channel: 'field_visit', direction: 'inbound', outcome: 'hardship_claimed', note: '家属来访送病历' })).toMatchObject({ direction: 'inbound' });
  });
});

describe('the first attempt moves a new case to contact', () => {
  it('through the stage machine, in the case history and the audit log, once', async () => {
    await at('11:00', 24);
    const id = cases[5]!;
    expect((await as.c2!.call('cases.get', { id })).stage).toBe('new');
    const a = await as.c2!.call('contacts.log', phone(id, 'no_answer'));
    const d = await as.c2!.call('cases.get', { id });
    expect(d.stage).toBe('contact');
    expect(d.history.filter((h) => h.kind === 'stage').map((h) => h.detail)).toEqual([{ from: 'new', to: 'contact', reason: null, pauseReason: null, auto: 'first_attempt', attemptId: a.id }]);
    const moves = (await s.admin.call('audit.list', { action: 'cases.move', limit: 50 })).entries.filter((e) => e.entityId === String(id));
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ actor: 'c2' });
    await as.c2!.call('contacts.log', phone(id, 'no_answer'));
    expect((await as.c2!.call('cases.get', { id })).history.filter((h) => h.kind === 'stage')).toHaveLength(1);
  });
});
