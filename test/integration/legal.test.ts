// Legal referral (法律诉讼) through the API on a real store: only a manager refers, with a reason, from a
// working stage (the stage machine's rule), and the case moves to legal_referral; events are append-only
// and move the status forward; the legal-cases list orders by next date and flags the overdue ones;
// collectors read only their own cases' referrals; everything is audited and in the case history.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, rawOpen, ADMIN_PASSWORD, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-23T10:00:00+08:00');
const PW = 'legal pw 12345';
const as: Record<string, Client> = {};
const ids: Record<string, number> = {};
let cases: number[] = [];
let fileId = 0;

async function on(day: string) {
  clock = new Date(`${day}T10:00:00+08:00`);
  for (const u of ['c1', 'c2', 'm1', 'au']) as[u] = await login(s.backend, u, PW);
  s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
}

const referral = { lawFirm: '北京某某律师事务所', lawyer: '王律师', referredOn: '2026-11-23', reason: '失联超过60天，委托方同意起诉' };

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-legal-');
  const lender = (await s.admin.call('lenders.create', { code: 'LAW', name: '某消费金融' })).id;
  for (const [u, role] of [['c1', 'collector'], ['c2', 'collector'], ['m1', 'manager'], ['au', 'auditor']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: u.toUpperCase(), role, password: PW })).id;
    as[u] = await login(s.backend, u, PW);
  }
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(4, 11)]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-01' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: cases.slice(0, 3), collectorId: ids.c1! });
  await s.admin.call('assign.manual', { caseIds: cases.slice(3), collectorId: ids.c2! });
  for (const id of cases) await s.admin.call('cases.move', { caseId: id, to: 'contact' });
  const proof = path.join(files, 'contract.pdf');
  writeFileSync(proof, '%PDF-1.4 loan contract');
  fileId = (await as.m1!.call('cases.attach', { caseId: cases[0]!, file: { path: proof }, note: '借款合同' })).id;
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('referring a case', () => {
  it('is refused to collectors and auditors, without a reason, and from a stage the machine does not allow; the case stays where it was', async () => {
    const id = cases[0]!;
    expect(await as.c1!.error('legal.refer', { caseId: id, ...referral })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.au!.error('legal.refer', { caseId: id, ...referral })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.m1!.error('legal.refer', { caseId: id, ...referral, reason: '  ' })).toMatchObject({ code: 'BAD_INPUT', message: 'Moving a case to legal_referral needs a reason.' });
    expect(await as.m1!.error('legal.refer', { caseId: id, ...referral, referredOn: '2026-11-24' })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.m1!.error('legal.refer', { caseId: id, ...referral, lawFirm: '' })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.m1!.error('legal.refer', { caseId: id, ...referral, fileIds: [fileId + 99] })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('not attached to this case') });
    expect(await as.m1!.error('legal.refer', { caseId: id, ...referral, nextDate: '2026-11-20' })).toMatchObject({ code: 'BAD_INPUT' });
    // A paused case cannot go to court: the stage machine has no such move.
    await as.c1!.call('cases.move', { caseId: cases[2]!, to: 'paused', reason: '住院', pauseReason: 'hardship' });
    expect(await as.m1!.error('legal.refer', { caseId: cases[2]!, ...referral })).toMatchObject({ code: 'CONFLICT', message: 'A case cannot move from paused to legal_referral.' });
    expect((await as.m1!.call('cases.get', { id: id })).stage).toBe('contact');
    expect((await as.m1!.call('legal.list', {})).referrals).toEqual([]);
  });

  it("moves a manager's referral to legal_referral, with the documents, in the case history and the audit log", async () => {
    const id = cases[0]!;
    const r = await as.m1!.call('legal.refer', { caseId: id, ...referral, fileIds: [fileId], documentNames: ['借款合同原件', '催收记录'], court: '北京市朝阳区人民法院', nextDate: '2026-12-01', nextWhat: '立案' });
    expect(r.referral).toMatchObject({ caseId: id, status: 'referred', lawFirm: referral.lawFirm, lawyer: '王律师', referredOn: '2026-11-23', court: '北京市朝阳区人民法院', courtCaseNo: '', nextDate: '2026-12-01', nextWhat: '立案', overdue: false, costFen: 0, collector: 'c1', stage: 'legal_referral', createdBy: 'm1' });
    expect(r.referral.documents).toEqual([{ fileId, name: 'contract.pdf' }, { fileId: null, name: '借款合同原件' }, { fileId: null, name: '催收记录' }]);
    expect(r.events).toEqual([]);
    const c = await as.c1!.call('cases.get', { id: id });
    expect(c.stage).toBe('legal_referral');
    const kinds = c.history.map((h) => [h.kind, h.detail.to ?? h.detail.action]);
    expect(kinds).toEqual(expect.arrayContaining([['stage', 'legal_referral'], ['legal', 'refer']]));
    expect(c.history.find((h) => h.kind === 'stage' && h.detail.to === 'legal_referral')!.detail.reason).toBe(referral.reason);
    expect((await s.admin.call('audit.list', { action: 'legal.refer', limit: 5 })).entries).toMatchObject([{ entityId: String(id), actor: 'm1' }]);
    // One running referral per case.
    expect(await as.m1!.error('legal.refer', { caseId: id, ...referral })).toMatchObject({ code: 'CONFLICT' });
  });

  it('takes a case a manager already moved to legal_referral without moving it again', async () => {
    const id = cases[1]!;
    await as.m1!.call('cases.move', { caseId: id, to: 'legal_referral', reason: '委托方要求诉讼' });
    const before = (await as.m1!.call('cases.get', { id: id })).history.filter((h) => h.kind === 'stage').length;
    const r = await as.m1!.call('legal.refer', { caseId: id, ...referral, lawyer: '李律师' });
    expect(r.referral.stage).toBe('legal_referral');
    expect((await as.m1!.call('cases.get', { id: id })).history.filter((h) => h.kind === 'stage')).toHaveLength(before);
  });
});

describe('events', () => {
  it('need what each kind needs, and move the status forward, never back', async () => {
    const [ref] = (await as.m1!.call('legal.list', { caseId: cases[0]! })).referrals;
    const rid = ref!.id;
    expect(await as.c1!.error('legal.addEvent', { referralId: rid, kind: 'note', onDate: '2026-11-23', note: 'x' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.m1!.error('legal.addEvent', { referralId: rid, kind: 'cost', onDate: '2026-11-23' })).toMatchObject({ code: 'BAD_INPUT', message: 'A cost needs its amount (fen).' });
    expect(await as.m1!.error('legal.addEvent', { referralId: rid, kind: 'cost', onDate: '2026-11-23', amountFen: 12.5 })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.m1!.error('legal.addEvent', { referralId: rid, kind: 'filing', onDate: '2026-11-23', amountFen: 100 })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.m1!.error('legal.addEvent', { referralId: rid, kind: 'filing', onDate: '2026-11-24' })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('only a hearing') });
    expect(await as.m1!.error('legal.addEvent', { referralId: rid, kind: 'filing', onDate: '2026-11-22' })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('referred on 2026-11-23') });
    expect(await as.m1!.error('legal.addEvent', { referralId: rid, kind: 'judgment', onDate: '2026-11-23' })).toMatchObject({ code: 'BAD_INPUT', message: 'Record what the judgment says.' });

    let d = await as.m1!.call('legal.addEvent', { referralId: rid, kind: 'filing', onDate: '2026-11-23', note: '已立案' });
    expect(d.referral.status).toBe('filed');
    d = await as.m1!.call('legal.addEvent', { referralId: rid, kind: 'cost', onDate: '2026-11-23', amountFen: 150_050, note: '诉讼费' });
    expect(d.referral).toMatchObject({ status: 'filed', costFen: 150_050 });
    // A hearing ahead, sooner than the next date set: it becomes the next date.
    d = await as.m1!.call('legal.addEvent', { referralId: rid, kind: 'hearing', onDate: '2026-11-28', note: '第三法庭' });
    expect(d.referral).toMatchObject({ status: 'hearing_scheduled', nextDate: '2026-11-28', nextWhat: 'hearing' });
    await on('2026-11-28');
    // The hearing recorded as held on its day clears the next date; then the judgment.
    d = await as.m1!.call('legal.addEvent', { referralId: rid, kind: 'judgment', onDate: '2026-11-28', note: '判决被告于十日内偿还借款本金及利息' });
    expect(d.referral).toMatchObject({ status: 'judgment', nextDate: null });
    // An appeal hearing later does not take the status back to hearing_scheduled.
    d = await as.m1!.call('legal.addEvent', { referralId: rid, kind: 'hearing', onDate: '2026-12-10', note: '二审' });
    expect(d.referral).toMatchObject({ status: 'judgment', nextDate: '2026-12-10' });
    d = await as.m1!.call('legal.addEvent', { referralId: rid, kind: 'cost', onDate: '2026-11-28', amountFen: 50_000, note: '律师费' });
    expect(d.referral.costFen).toBe(200_050);
    expect(d.events.map((e) => [e.kind, e.onDate, e.amountFen])).toEqual([
      ['filing', '2026-11-23', null],
      ['cost', '2026-11-23', 150_050],
      ['hearing', '2026-11-28', null],
      ['judgment', '2026-11-28', null],
      ['cost', '2026-11-28', 50_000],
      ['hearing', '2026-12-10', null],
    ]);
    expect(d.events.find((e) => e.kind === 'judgment')).toMatchObject({ note: '判决被告于十日内偿还借款本金及利息', enteredBy: 'm1' });
    expect((await s.admin.call('audit.list', { action: 'legal.event', limit: 50 })).entries).toHaveLength(6);
    expect((await as.c1!.call('cases.get', { id: cases[0]! })).history.filter((h) => h.kind === 'legal')).toHaveLength(7);
  });

  it('are never changed or deleted, even by someone holding the key', async () => {
    s.close();
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      expect(() => db.prepare("UPDATE legal_events SET note = 'x'").run()).toThrow(/never changed/);
      expect(() => db.prepare('DELETE FROM legal_events').run()).toThrow(/never deleted/);
      expect((db.prepare('SELECT count(*) AS n FROM legal_events').get() as { n: number }).n).toBe(6);
    } finally {
      db.close();
    }
    const { createBackend } = await import('../../core/backend.js');
    s.backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, now: () => clock });
    await on('2026-11-28');
  });
});

describe('the legal-cases list', () => {
  it('orders by next date, flags the ones past, and shows collectors only their own', async () => {
    const [a] = (await as.m1!.call('legal.list', { caseId: cases[0]! })).referrals;
    const [b] = (await as.m1!.call('legal.list', { caseId: cases[1]! })).referrals;
    await as.m1!.call('legal.update', { referralId: b!.id, nextDate: '2026-12-01', nextWhat: '补充证据', court: '上海市浦东新区人民法院', courtCaseNo: '(2026)沪0115民初1234号' });
    await on('2026-12-05');
    let list = await as.m1!.call('legal.list', {});
    expect(list.today).toBe('2026-12-05');
    // b's next date (12-01) passed; a's hearing (12-10) is ahead.
    expect(list.referrals.map((r) => [r.id, r.nextDate, r.overdue])).toEqual([
      [b!.id, '2026-12-01', true],
      [a!.id, '2026-12-10', false],
    ]);
    expect((await as.m1!.call('legal.list', { overdueOnly: true })).referrals.map((r) => r.id)).toEqual([b!.id]);
    expect((await as.au!.call('legal.list', {})).referrals).toHaveLength(2);
    // Collectors: their own cases only, and another's referral looks missing.
    expect((await as.c1!.call('legal.list', {})).referrals).toHaveLength(2);
    expect((await as.c2!.call('legal.list', {})).referrals).toEqual([]);
    expect(await as.c2!.error('legal.get', { referralId: a!.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await as.c2!.error('legal.list', { caseId: cases[0]! })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await as.c1!.call('legal.get', { referralId: a!.id })).events).toHaveLength(6);

    // Updates: a past next date is refused, nothing to change is refused, closing clears the next date.
    expect(await as.m1!.error('legal.update', { referralId: b!.id, nextDate: '2026-12-04' })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.m1!.error('legal.update', { referralId: b!.id, court: '上海市浦东新区人民法院' })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('Nothing to change') });
    const closed = await as.m1!.call('legal.update', { referralId: b!.id, status: 'closed', note: '和解结案' });
    expect(closed.referral).toMatchObject({ status: 'closed', nextDate: null, overdue: false });
    expect(await as.m1!.error('legal.update', { referralId: b!.id, status: 'filed' })).toMatchObject({ code: 'CONFLICT' });
    expect(await as.m1!.error('legal.addEvent', { referralId: b!.id, kind: 'hearing', onDate: '2026-12-20' })).toMatchObject({ code: 'CONFLICT' });
    await as.m1!.call('legal.addEvent', { referralId: b!.id, kind: 'cost', onDate: '2026-12-05', amountFen: 30_000, note: '尾款' });
    list = await as.m1!.call('legal.list', {});
    expect(list.referrals.map((r) => r.id)).toEqual([a!.id]);
    expect((await as.m1!.call('legal.list', { status: ['closed'] })).referrals.map((r) => r.id)).toEqual([b!.id]);
    const upd = (await s.admin.call('audit.list', { action: 'legal.update', limit: 5 })).entries;
    expect(upd[0]!.detail).toMatchObject({ before: { status: 'referred', next_date: '2026-12-01' }, after: { status: 'closed', next_date: null }, note: '和解结案' });
  });
});
