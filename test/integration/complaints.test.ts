// Complaints (投诉) and case flags through the API on a real store: a complaint stops outbound contact on
// its case (rule complaint_open, never overridden) while inbound calls stay recordable, until a manager
// answers and closes it; Today leaves such a case out of "to call"; collectors see complaints on their own
// cases only; an unanswered complaint past its due date is overdue; flags filter the case list; a deceased
// borrower gets no outbound contact. Every step is audited and in the case history.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, ADMIN_PASSWORD, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-23T10:00:00+08:00');
const PW = 'complaint pw 12345';
const as: Record<string, Client> = {};
const ids: Record<string, number> = {};
let cases: number[] = [];

const phone = (caseId: number, outcome: string, extra: Record<string, unknown> = {}) => ({ caseId, channel: 'phone' as const, outcome, ...extra });
const inQueue = async (c: Client, caseId: number) => (await c.call('queue.today', {})).items.find((i) => i.caseId === caseId)?.queue ?? null;

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-complaints-');
  const lender = (await s.admin.call('lenders.create', { code: 'CMP', name: '某消费金融' })).id;
  for (const [u, role] of [['c1', 'collector'], ['c2', 'collector'], ['m1', 'manager'], ['au', 'auditor']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: u.toUpperCase(), role, password: PW })).id;
    as[u] = await login(s.backend, u, PW);
  }
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(6, 21)]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-20' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: cases.slice(0, 4), collectorId: ids.c1! });
  await s.admin.call('assign.manual', { caseIds: cases.slice(4), collectorId: ids.c2! });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('a complaint on a case', () => {
  it('holds outbound contact until a manager answers and closes it; inbound stays recordable; Today leaves it out of "to call"', async () => {
    const id = cases[0]!;
    expect(await inQueue(as.c1!, id)).toBe('new');
    const k = await as.c1!.call('complaints.record', { caseId: id, channel: 'regulator', from: 'borrower', what: '催收员语气粗暴', againstUserId: ids.c1! });
    expect(k).toMatchObject({ caseId: id, status: 'open', channel: 'regulator', from: 'borrower', against: 'c1', recordedBy: 'c1', overdue: false, collector: 'c1' });
    // Due: received + the default 7 days.
    expect(Date.parse(k.dueAt) - Date.parse(k.receivedAt)).toBe(7 * 86_400_000);
    expect(await inQueue(as.c1!, id)).toBeNull();

    const refused = await as.c1!.error('contacts.log', phone(id, 'no_answer'));
    expect(refused).toMatchObject({ code: 'COMPLIANCE', violations: [{ rule: 'complaint_open', overridable: false }] });
    // A manager cannot grant an override for it: clearing the complaint is the way.
    expect(await as.m1!.error('compliance.override', { caseId: id, rule: 'complaint_open', reason: '委托方要求继续' })).toMatchObject({ code: 'CONFLICT' });
    // The borrower calling in is recorded (and shows under contacted, not to call).
    await as.c1!.call('contacts.log', phone(id, 'connected', { direction: 'inbound', note: '借款人来电询问投诉进度' }));
    expect(await inQueue(as.c1!, id)).toBe('contacted');
    expect((await as.c1!.call('cases.list', { flag: 'complaint' })).rows.map((r) => r.id)).toEqual([id]);

    // Collectors neither answer nor close.
    expect(await as.c1!.error('complaints.answer', { complaintId: k.id, answer: '已核实' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.m1!.error('complaints.close', { complaintId: k.id })).toMatchObject({ code: 'CONFLICT' });
    const answered = await as.m1!.call('complaints.answer', { complaintId: k.id, answer: '已调取录音核实，已向借款人致歉' });
    expect(answered).toMatchObject({ status: 'answered', answeredBy: 'm1', answer: '已调取录音核实，已向借款人致歉' });
    // Answered is not cleared: still no outbound contact.
    expect(await as.c1!.error('contacts.log', phone(id, 'no_answer'))).toMatchObject({ violations: [{ rule: 'complaint_open' }] });
    expect(await as.m1!.error('complaints.answer', { complaintId: k.id, answer: 'again' })).toMatchObject({ code: 'CONFLICT' });

    const closed = await as.m1!.call('complaints.close', { complaintId: k.id, note: '借款人接受' });
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'm1', closeNote: '借款人接受' });
    expect((await as.c1!.call('contacts.check', { caseId: id, channel: 'phone' })).violations).toEqual([]);
    await as.c1!.call('contacts.log', phone(id, 'no_answer'));
    expect((await as.c1!.call('cases.list', { flag: 'complaint' })).rows).toEqual([]);

    // Every step audited and in the case history.
    for (const action of ['complaints.record', 'complaints.answer', 'complaints.close']) {
      expect((await s.admin.call('audit.list', { action, limit: 5 })).entries[0]).toMatchObject({ entityId: String(id) });
    }
    const history = (await as.c1!.call('cases.get', { id })).history.filter((h) => h.kind === 'complaint' || h.kind === 'flag');
    expect(history.map((h) => h.detail.action ?? `${String(h.detail.flag)}:${String(h.detail.on)}`).reverse()).toEqual(['record', 'complaint:true', 'answer', 'close', 'complaint:false']);
  });

  it('keeps the hold while a second complaint on the case is unfinished', async () => {
    const id = cases[1]!;
    const a = await as.c1!.call('complaints.record', { caseId: id, channel: 'phone', from: 'contact', contactSlot: 1, what: '联系人不愿被打扰' });
    const b = await as.m1!.call('complaints.record', { caseId: id, channel: 'lender', from: 'lender', what: '委托方转来投诉' });
    await as.m1!.call('complaints.answer', { complaintId: a.id, answer: '已停止联系该联系人' });
    await as.m1!.call('complaints.close', { complaintId: a.id });
    expect(await as.c1!.error('contacts.log', phone(id, 'no_answer'))).toMatchObject({ violations: [{ rule: 'complaint_open' }] });
    expect((await as.c1!.call('complaints.caseState', { caseId: id })).flags.map((f) => f.flag)).toEqual(['complaint']);
    await as.m1!.call('complaints.answer', { complaintId: b.id, answer: '已答复委托方' });
    await as.m1!.call('complaints.close', { complaintId: b.id });
    expect((await as.c1!.call('complaints.caseState', { caseId: id })).flags).toEqual([]);
  });

  it('refuses a complaint from a contact without naming them, and one received in the future', async () => {
    expect(await as.c1!.error('complaints.record', { caseId: cases[2]!, channel: 'phone', from: 'contact', what: '投诉' })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.c1!.error('complaints.record', { caseId: cases[2]!, channel: 'phone', from: 'borrower', what: '投诉', receivedAt: '2026-11-24T10:00:00+08:00' })).toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('the answer deadline', () => {
  it('is a setting (default 7 days), audited when changed', async () => {
    expect((await s.admin.call('settings.get', {})).complaintAnswerDays).toBe(7);
    await s.admin.call('settings.update', { complaintAnswerDays: 3 });
    const k = await as.c1!.call('complaints.record', { caseId: cases[2]!, channel: 'in_person', from: 'borrower', what: '上门投诉' });
    expect(Date.parse(k.dueAt) - Date.parse(k.receivedAt)).toBe(3 * 86_400_000);
    await s.admin.call('settings.update', { complaintAnswerDays: 7 });
    await as.m1!.call('complaints.answer', { complaintId: k.id, answer: '已当面解释' });
    await as.m1!.call('complaints.close', { complaintId: k.id });
  });
});

describe('who sees which complaints', () => {
  it("collectors see complaints on their own cases only; another collector's case looks missing; managers and auditors see all", async () => {
    const other = await as.c2!.call('complaints.record', { caseId: cases[4]!, channel: 'online', from: 'borrower', what: '短信频繁' });
    expect(await as.c1!.error('complaints.record', { caseId: cases[4]!, channel: 'online', from: 'borrower', what: '短信频繁' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await as.c1!.error('complaints.caseState', { caseId: cases[4]! })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await as.au!.error('complaints.record', { caseId: cases[4]!, channel: 'online', from: 'borrower', what: 'x y' })).toMatchObject({ code: 'FORBIDDEN' });
    const mine = (await as.c1!.call('complaints.list', { collectorId: ids.c2! })).complaints;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((k) => k.collector === 'c1')).toBe(true);
    expect(mine.some((k) => k.id === other.id)).toBe(false);
    for (const who of ['m1', 'au']) {
      const all = (await as[who]!.call('complaints.list', {})).complaints;
      expect(all.some((k) => k.id === other.id)).toBe(true);
      expect(all.some((k) => k.collector === 'c1')).toBe(true);
    }
    expect((await as.m1!.call('complaints.list', { collectorId: ids.c2! })).complaints.map((k) => k.id)).toEqual([other.id]);
    expect((await as.m1!.call('complaints.list', { status: ['closed'] })).complaints.every((k) => k.status === 'closed')).toBe(true);
  });
});

describe('overdue complaints', () => {
  it('are open ones whose due time has passed; answering them in time or late ends it', async () => {
    const id = cases[5]!;
    const k = await as.c2!.call('complaints.record', { caseId: id, channel: 'letter', from: 'other', what: '家属来信投诉', receivedAt: '2026-11-20T09:00:00+08:00' });
    expect(k.dueAt).toBe('2026-11-27T01:00:00.000Z');
    expect(k.overdue).toBe(false);
    clock = new Date('2026-11-27T09:30:00+08:00');
    for (const u of ['c2', 'm1']) as[u] = await login(s.backend, u, PW);
    s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
    const overdue = (await as.m1!.call('complaints.list', { overdueOnly: true })).complaints;
    expect(overdue.map((x) => x.id)).toEqual([k.id]);
    expect(overdue[0]!.overdue).toBe(true);
    await as.m1!.call('complaints.answer', { complaintId: k.id, answer: '已回复家属' });
    expect((await as.m1!.call('complaints.list', { overdueOnly: true })).complaints).toEqual([]);
    expect((await as.m1!.call('complaints.list', { caseId: id })).complaints[0]).toMatchObject({ status: 'answered', overdue: false });
  });
});

describe('case flags', () => {
  it('filter the case list, are audited and in history; deceased stops outbound contact; lost contact leaves the new tab', async () => {
    for (const u of ['c1', 'm1']) as[u] = await login(s.backend, u, PW);
    const [dead, lost] = [cases[2]!, cases[3]!];
    expect(await as.c1!.error('cases.setFlag', { caseId: dead, flag: 'complaint', on: true })).toMatchObject({ code: 'BAD_INPUT' });
    await as.c1!.call('cases.setFlag', { caseId: dead, flag: 'deceased', on: true, note: '家属告知已去世' });
    expect(await inQueue(as.c1!, lost)).toBe('new');
    await as.c1!.call('cases.setFlag', { caseId: lost, flag: 'lost_contact', on: true });
    await as.m1!.call('cases.setFlag', { caseId: lost, flag: 'high_risk', on: true });
    expect((await as.c1!.call('cases.list', { flag: 'deceased' })).rows.map((r) => r.id)).toEqual([dead]);
    expect((await as.m1!.call('cases.list', { flag: 'high_risk' })).rows.map((r) => [r.id, r.flags])).toEqual([[lost, ['lost_contact', 'high_risk']]]);
    expect(await as.c1!.error('contacts.log', phone(dead, 'no_answer'))).toMatchObject({ violations: [{ rule: 'borrower_deceased', overridable: false }] });
    await as.c1!.call('contacts.log', phone(dead, 'connected', { direction: 'inbound', note: '家属来电' }));
    const q = await as.c1!.call('queue.today', {});
    expect(q.items.find((i) => i.caseId === lost)).toBeUndefined();
    expect(q.items.find((i) => i.caseId === dead)?.queue).toBe('contacted');
    expect((await s.admin.call('audit.list', { action: 'cases.setFlag', limit: 10 })).entries).toHaveLength(3);
    expect((await as.c1!.call('cases.get', { id: dead })).history.find((h) => h.kind === 'flag')?.detail).toMatchObject({ flag: 'deceased', on: true });
    // Cleared: outbound allowed again; setting twice records once.
    await as.c1!.call('cases.setFlag', { caseId: dead, flag: 'deceased', on: false });
    await as.c1!.call('cases.setFlag', { caseId: dead, flag: 'deceased', on: false });
    expect((await as.c1!.call('contacts.check', { caseId: dead, channel: 'phone' })).violations).toEqual([]);
    expect((await s.admin.call('audit.list', { action: 'cases.setFlag', limit: 10 })).entries).toHaveLength(4);
  });
});
