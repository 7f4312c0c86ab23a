// Casework through the API on a real store: the stage machine in core, the contact log, each guardrail
// at its boundary with a manager's one-time override, corrections that keep the original, and evidence.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, rawOpen, ADMIN_PASSWORD, type TestStore, type Client } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-23T10:00:00+08:00');
const PW = 'casework pw 12';
const as: Record<string, Client> = {};
const ids: Record<string, number> = {};
let cases: number[] = [];

/** Moves the store's clock to a local time (Asia/Shanghai) on the test day; sessions idle-expire, so log in again. */
async function at(hhmm: string) {
  clock = new Date(`2026-11-23T${hhmm}:00+08:00`);
  for (const u of ['c1', 'c2', 'm1']) as[u] = await login(s.backend, u, PW);
  s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
}

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-casework-');
  const lender = (await s.admin.call('lenders.create', { code: 'PAYD', name: '平安i贷' })).id;
  for (const [u, role] of [['c1', 'collector'], ['c2', 'collector'], ['m1', 'manager'], ['au', 'auditor']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: u.toUpperCase(), role, password: PW })).id;
    as[u] = await login(s.backend, u, PW);
  }
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(8, 21)]));
  const job = await importFile(s.admin, lender, file);
  expect(job.state).toBe('done');
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: cases.slice(0, 6), collectorId: ids.c1! });
  await s.admin.call('assign.manual', { caseIds: cases.slice(6), collectorId: ids.c2! });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

const phone = (caseId: number, outcome: string, extra: Record<string, unknown> = {}) => ({ caseId, channel: 'phone' as const, outcome, ...extra });

describe('stages', () => {
  it('moves only along the state machine, by the roles it names, with the reasons it asks for', async () => {
    const id = cases[0]!;
    expect(await as.c1!.call('cases.move', { caseId: id, to: 'reminder' })).toMatchObject({ from: 'new', to: 'reminder' });
    expect(await as.c1!.error('cases.move', { caseId: id, to: 'new' })).toMatchObject({ code: 'CONFLICT', message: 'A case cannot move from reminder to new.' });
    expect(await as.c1!.error('cases.move', { caseId: id, to: 'legal_referral', reason: '拒不还款' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.m1!.error('cases.move', { caseId: id, to: 'legal_referral' })).toMatchObject({ code: 'BAD_INPUT', message: 'Moving a case to legal_referral needs a reason.' });
    expect(await as.m1!.call('cases.move', { caseId: id, to: 'legal_referral', reason: '三次承诺未兑现' })).toMatchObject({ to: 'legal_referral' });
    const detail = await as.m1!.call('cases.get', { id });
    expect(detail.stage).toBe('legal_referral');
    expect(detail.history.filter((h) => h.kind === 'stage').map((h) => h.detail)).toMatchObject([
      { from: 'reminder', to: 'legal_referral', reason: '三次承诺未兑现' },
      { from: 'new', to: 'reminder' },
    ]);
    expect((await s.admin.call('audit.list', { action: 'cases.move', limit: 5 })).entries).toHaveLength(2);
  });

  it("refuses another collector's case and an auditor's write", async () => {
    expect(await as.c2!.error('cases.move', { caseId: cases[1]!, to: 'reminder' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await as.c2!.error('contacts.log', phone(cases[1]!, 'no_answer'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await as.au!.error('contacts.log', phone(cases[1]!, 'no_answer'))).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('contact log and guardrails', () => {
  it('the third connected call passes, the fourth is refused; a manager override lets one more through, once', async () => {
    await at('10:05');
    const id = cases[1]!;
    await as.c1!.call('contacts.log', phone(id, 'no_answer'));
    for (const outcome of ['connected', 'refused', 'promised_to_pay']) await as.c1!.call('contacts.log', phone(id, outcome, { durationSec: 60 }));
    const refused = await as.c1!.error('contacts.log', phone(id, 'connected'));
    expect(refused).toMatchObject({ code: 'COMPLIANCE', violations: [{ rule: 'daily_connected_cap', overridable: true }] });
    expect(refused.message).toBe('The borrower has had 3 connected calls today; the limit is 3.');
    expect((await s.admin.call('audit.list', { action: 'contacts.refused', limit: 1 })).entries[0]).toMatchObject({ actor: 'c1', entityId: String(id) });
    // An SMS is not a call.
    await as.c1!.call('contacts.log', { caseId: id, channel: 'sms', outcome: 'connected' });

    expect(await as.c1!.error('compliance.override', { caseId: id, rule: 'daily_connected_cap', reason: '客户主动要求回电' })).toMatchObject({ code: 'FORBIDDEN' });
    const o = await as.m1!.call('compliance.override', { caseId: id, rule: 'daily_connected_cap', reason: '客户主动要求回电' });
    const logged = await as.c1!.call('contacts.log', phone(id, 'connected', { overrideId: o.overrideId, note: '客户来电要求回拨' }));
    expect(logged).toMatchObject({ overrideRule: 'daily_connected_cap', collector: 'c1', number: expect.stringMatching(/^1\d{2}\*{4}\d{4}$/) });
    expect(await as.c1!.error('contacts.log', phone(id, 'connected', { overrideId: o.overrideId }))).toMatchObject({ code: 'CONFLICT' });
  });

  it('quiet hours: 21:59 passes, 22:00 is refused, in the borrower’s time zone', async () => {
    const id = cases[2]!;
    await at('21:59');
    await as.c1!.call('contacts.log', phone(id, 'no_answer'));
    await at('22:00');
    expect(await as.c1!.error('contacts.log', phone(id, 'no_answer'))).toMatchObject({ code: 'COMPLIANCE', message: 'It is 22:00 for the borrower: no contact between 22:00 and 08:00.' });
    expect(await as.c1!.call('contacts.check', { caseId: id, channel: 'letter' })).toEqual({ violations: [], localTime: '22:00' });
    await at('10:10');
  });

  it('a contact person only after three failed attempts on the borrower, and never after they refused', async () => {
    const id = cases[3]!;
    const contact = (outcome: string) => ({ caseId: id, channel: 'phone' as const, party: 'contact' as const, contactSlot: 1, outcome });
    for (let i = 0; i < 2; i++) await as.c1!.call('contacts.log', phone(id, 'no_answer'));
    const { outcome: _o, ...intent } = contact('connected');
    expect((await as.c1!.call('contacts.check', intent)).violations.map((v) => v.rule)).toEqual(['third_party_too_early']);
    await as.c1!.call('contacts.log', phone(id, 'busy'));
    const first = await as.c1!.call('contacts.log', contact('third_party_refused'));
    expect(first).toMatchObject({ party: 'contact', contactSlot: 1, relation: expect.any(String) });
    const again = await as.c1!.error('contacts.log', contact('connected'));
    expect(again).toMatchObject({ code: 'COMPLIANCE', violations: [{ rule: 'third_party_refused', overridable: false }] });
    expect(await as.m1!.error('compliance.override', { caseId: id, rule: 'third_party_refused', reason: '无论如何' })).toMatchObject({ code: 'CONFLICT' });
  });

  it('an attempt is not dated before the case came, nor in the future', async () => {
    expect(await as.c1!.error('contacts.log', phone(cases[4]!, 'no_answer', { startedAt: '2026-11-21T02:00:00.000Z' }))).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.c1!.error('contacts.log', phone(cases[4]!, 'no_answer', { startedAt: '2026-11-24T02:00:00.000Z' }))).toMatchObject({ code: 'BAD_INPUT' });
    // 23:00 yesterday: the case came to the agency this morning (test/integration/call-times.test.ts has the rest).
    expect(await as.c1!.error('contacts.log', phone(cases[4]!, 'no_answer', { startedAt: '2026-11-22T15:00:00.000Z' }))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('came to the agency') });
  });

  it('six unanswered calls per number per day', async () => {
    const id = cases[4]!;
    for (let i = 0; i < 6; i++) await as.c1!.call('contacts.log', phone(id, i % 2 ? 'busy' : 'no_answer'));
    expect((await as.c1!.error('contacts.log', phone(id, 'no_answer'))).violations?.map((v) => v.rule)).toEqual(['daily_unanswered_cap']);
  });

  it('no contact on a paused case; field visits need two collectors', async () => {
    const id = cases[5]!;
    expect(await as.c1!.error('contacts.log', { caseId: id, channel: 'field_visit', outcome: 'connected' })).toMatchObject({ violations: [{ rule: 'field_visit_alone' }] });
    expect(await as.c1!.call('contacts.log', { caseId: id, channel: 'field_visit', outcome: 'connected', companions: [ids.c2!] })).toMatchObject({ companions: ['c2'], number: null });
    expect(await as.c1!.error('cases.move', { caseId: id, to: 'paused', reason: '住院' })).toMatchObject({ code: 'BAD_INPUT' });
    await as.c1!.call('cases.move', { caseId: id, to: 'paused', reason: '住院', pauseReason: 'hardship' });
    expect(await as.c1!.error('contacts.log', phone(id, 'no_answer'))).toMatchObject({ violations: [{ rule: 'case_paused', overridable: false }] });
    expect(await as.c1!.error('cases.move', { caseId: id, to: 'contact', reason: '已出院' })).toMatchObject({ code: 'FORBIDDEN' });
    await as.m1!.call('cases.move', { caseId: id, to: 'contact', reason: '已出院' });
    await as.c1!.call('contacts.log', phone(id, 'no_answer'));
  });

  it('a correction is a new entry pointing at the original, which stays as it was; counts follow the correction', async () => {
    const id = cases[2]!;
    const wrong = await as.c1!.call('contacts.log', phone(id, 'connected', { note: '误选' }));
    const fixed = await as.c1!.call('contacts.correct', { attemptId: wrong.id, outcome: 'no_answer', note: '实际无人接听' });
    expect(fixed).toMatchObject({ correctsId: wrong.id, outcome: 'no_answer', startedAt: wrong.startedAt, channel: 'phone' });
    const { attempts } = await as.c1!.call('contacts.list', { caseId: id });
    expect(attempts.find((a) => a.id === wrong.id)).toMatchObject({ outcome: 'connected', note: '误选', correctedById: fixed.id });
    expect(await as.c1!.error('contacts.correct', { attemptId: wrong.id, note: 'again' })).toMatchObject({ code: 'CONFLICT' });
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      expect(() => db.prepare('UPDATE contact_attempts SET outcome = ? WHERE id = ?').run('connected', fixed.id)).toThrow(/never changed/);
      expect(() => db.prepare('DELETE FROM contact_attempts WHERE id = ?').run(wrong.id)).toThrow(/never deleted/);
    } finally {
      db.close();
    }
  });

  it('a promise to pay and a follow-up put the case in the collector’s queue on their day', async () => {
    const id = cases[1]!;
    await at('11:00');
    await as.c1!.call('contacts.log', { caseId: id, channel: 'sms', outcome: 'promised_to_pay', promise: { amountFen: 50_000, date: '2026-11-23' } });
    await as.c1!.call('contacts.log', { caseId: cases[4]!, channel: 'sms', outcome: 'no_answer', nextFollowUpAt: '2026-11-23T07:00:00.000Z' });
    const q = await as.c1!.call('queue.today', {});
    // The promise was taken on a call today: the case has left "to call". The follow-up is due after today's contact: it stays.
    expect(q.items[0]).toMatchObject({ queue: 'followUps', caseId: cases[4] });
    expect(q.items.find((i) => i.caseId === id)).toMatchObject({ queue: 'contacted', lastContact: { outcome: 'promised_to_pay', direction: 'outbound' } });
  });
});

describe('per-lender limits and casework filters', () => {
  it('a lender’s own limits replace the defaults, for everyone, and are audited', async () => {
    const lenderId = (await s.admin.call('lenders.list', {})).lenders[0]!.id;
    expect(await as.c1!.call('compliance.limits', { lenderId })).toMatchObject({ quietFrom: '22:00', maxConnectedCallsPerDay: 3 });
    expect(await as.c1!.error('compliance.setLimits', { lenderId, limits: { quietFrom: '21:00' } })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.m1!.error('compliance.setLimits', { lenderId, limits: { timeZone: 'Mars/Olympus' } })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.m1!.call('compliance.setLimits', { lenderId, limits: { quietFrom: '21:00' } })).toMatchObject({ quietFrom: '21:00', quietUntil: '08:00' });
    // 21:30 Shanghai: now inside the lender's quiet hours.
    await at('21:30');
    const late = await as.c1!.error('contacts.log', phone(cases[2]!, 'no_answer'));
    expect(late).toMatchObject({ code: 'COMPLIANCE', message: 'It is 21:30 for the borrower: no contact between 21:00 and 08:00.' });
    await at('11:00');
    expect((await s.admin.call('audit.list', { action: 'compliance.setLimits', limit: 1 })).entries).toHaveLength(1);
  });

  it('the case list filters by stage, last outcome, promise and follow-up dates', async () => {
    const ids = async (filter: Record<string, unknown>) => (await s.admin.call('cases.list', { ...filter, sort: 'id', desc: false })).rows.map((r) => r.id);
    expect(await ids({ stage: 'legal_referral' })).toEqual([cases[0]]);
    expect(await ids({ stage: 'paused' })).toEqual([]);
    expect(await ids({ promiseBy: '2026-11-23' })).toEqual([cases[1]]);
    expect(await ids({ promiseBy: '2026-11-22' })).toEqual([]);
    expect(await ids({ followUpBy: '2026-11-23' })).toEqual([cases[4]]);
    expect(await ids({ outcome: 'third_party_refused' })).toEqual([cases[3]]);
    // A collector's filter still only reaches their own cases.
    expect((await as.c2!.call('cases.list', { outcome: 'third_party_refused' })).total).toBe(0);
  });
});

describe('compliance report', () => {
  it('per collector: attempts, refusals and overrides by rule, borrower-days at the call limit', async () => {
    expect(await as.c1!.error('compliance.report', { from: '2026-11-22', to: '2026-11-23' })).toMatchObject({ code: 'FORBIDDEN' });
    const au = await login(s.backend, 'au', PW);
    const r = await au.call('compliance.report', { from: '2026-11-22', to: '2026-11-23' });
    const c1 = r.rows.find((x) => x.collector === 'c1')!;
    // Corrected entries count as corrected: the wrongly logged connected call does not.
    expect(c1).toEqual({
      collector: 'c1',
      attempts: 22,
      connectedCalls: 5,
      refused: { case_paused: 1, daily_connected_cap: 1, daily_unanswered_cap: 1, field_visit_alone: 1, quiet_hours: 2, third_party_refused: 1 },
      overridden: { daily_connected_cap: 1 },
      capReachedDays: 1,
      lateEntries: 0,
      // The 21:59 call, judged by the lender's quiet hours as they are now (from 21:00).
      quietHourClaims: 1,
    });
    expect(r.flagged).toMatchObject([{ kind: 'claimed_in_quiet', collector: 'c1', caseId: cases[2], claimedAt: '2026-11-23T13:59:00.000Z' }]);
    expect((await au.call('compliance.report', { from: '2026-11-20', to: '2026-11-21' })).rows).toEqual([]);
  });
});

describe('message and letter templates', () => {
  it('renders a letter from the case with the ID number masked, and audits it', async () => {
    const { templates } = await as.c1!.call('messageTemplates.list', {});
    const letter = templates.find((t) => t.name === '催收函')!;
    const out = await as.c1!.call('messageTemplates.render', { templateId: letter.id, caseId: cases[1]!, deadline: '2026-11-30' });
    const detail = await as.c1!.call('cases.get', { id: cases[1]! });
    expect(out.kind).toBe('letter');
    expect(out.text).toContain(`${detail.borrowerName}（证件号码 ${detail.idNumber}）`);
    expect(detail.idNumber).toMatch(/\*{8}/);
    expect(out.text).toContain('请您于2026-11-30前足额还款');
    expect(out.text).toContain('华信催收服务有限公司');
    expect(out.text).not.toMatch(/\d{17}[\dX]/);
    expect((await s.admin.call('audit.list', { action: 'messageTemplates.render', limit: 1 })).entries[0]).toMatchObject({ actor: 'c1', entityId: String(cases[1]) });
    expect(await as.c2!.error('messageTemplates.render', { templateId: letter.id, caseId: cases[1]! })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a third-party message names the contact and says nothing of the debt; saving one that would is refused', async () => {
    const { templates } = await as.c1!.call('messageTemplates.list', {});
    const third = templates.find((t) => t.audience === 'third_party' && t.language === 'zh-CN')!;
    expect(await as.c1!.error('messageTemplates.render', { templateId: third.id, caseId: cases[1]! })).toMatchObject({ code: 'BAD_INPUT' });
    const out = await as.c1!.call('messageTemplates.render', { templateId: third.id, caseId: cases[1]!, contactSlot: 1 });
    expect(out.text).not.toMatch(/欠款|元|逾期/);
    const bad = await as.m1!.error('messageTemplates.save', { id: third.id, name: third.name, kind: 'sms', audience: 'third_party', language: 'zh-CN', body: '{{borrowerName}}欠{{overdueAmount}}元' });
    expect(bad).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('cannot include {{overdueAmount}}') });
    expect(await as.c1!.error('messageTemplates.save', { name: 'x', kind: 'sms', audience: 'borrower', language: 'en', body: 'hi' })).toMatchObject({ code: 'FORBIDDEN' });
    const mine = await as.m1!.call('messageTemplates.save', { name: '还款确认', kind: 'sms', audience: 'borrower', language: 'zh-CN', body: '{{borrowerName}}，已收到您的还款承诺。' });
    expect(await as.m1!.call('messageTemplates.delete', { id: mine.id })).toEqual({ deleted: true });
  });
});

describe('escalation schedule per lender', () => {
  it('the queue follows the lender’s own schedule; an empty one restores the default', async () => {
    const lenderId = (await s.admin.call('lenders.list', {})).lenders[0]!.id;
    expect(await as.c1!.call('escalation.get', { lenderId })).toMatchObject({ isDefault: true, steps: [{ fromDay: 1, action: 'sms_reminder' }, {}, {}, {}] });
    expect(await as.m1!.error('escalation.set', { lenderId, steps: [{ fromDay: 9, action: 'letter', stage: 'contact' }, { fromDay: 3, action: 'phone_call', stage: 'contact' }] })).toMatchObject({ code: 'BAD_INPUT' });
    // c1's cases were all worked today, so they sit in "contacted", still with their step.
    expect((await as.c1!.call('queue.today', {})).items.filter((i) => i.nextStep?.behind).length).toBeGreaterThan(0);
    // A lender that wants nothing but a letter, only after 400 days: nothing of c1's is behind any more.
    // (Its stage is negotiation: c1's cases reached contact with their first attempts.)
    await as.m1!.call('escalation.set', { lenderId, steps: [{ fromDay: 400, action: 'letter', stage: 'negotiation' }] });
    const q = await as.c1!.call('queue.today', {});
    expect(q.counts.escalation).toBe(0);
    expect(q.items.find((i) => i.nextStep)?.nextStep).toMatchObject({ action: 'letter', behind: false });
    expect(await as.m1!.call('escalation.set', { lenderId, steps: [] })).toMatchObject({ isDefault: true });
  });
});

describe('files attached to a case', () => {
  it('keeps the file in the store with its hash, shows it to whoever may read the case, and never loses it', async () => {
    const proof = path.join(files, '病历.pdf');
    const bytes = Buffer.from('%PDF-1.4 住院证明 ' + 'x'.repeat(5000));
    writeFileSync(proof, bytes);
    const f = await as.c1!.call('cases.attach', { caseId: cases[5]!, file: { path: proof }, note: '困难证明' });
    expect(f).toMatchObject({ name: '病历.pdf', mime: 'application/pdf', bytes: bytes.length, uploadedBy: 'c1', note: '困难证明' });
    expect((await as.m1!.call('cases.files', { caseId: cases[5]! })).files.map((x) => x.id)).toEqual([f.id]);
    const back = await as.m1!.call('cases.fileContent', { fileId: f.id });
    expect(Buffer.from(back.base64, 'base64').equals(bytes)).toBe(true);
    expect((await s.admin.call('audit.list', { action: 'cases.fileContent', limit: 1 })).entries[0]).toMatchObject({ actor: 'm1' });
    expect(await as.c2!.error('cases.fileContent', { fileId: f.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await as.c2!.error('cases.attach', { caseId: cases[5]!, file: { path: proof } })).toMatchObject({ code: 'NOT_FOUND' });
    const empty = path.join(files, 'empty.txt');
    writeFileSync(empty, '');
    expect(await as.c1!.error('cases.attach', { caseId: cases[5]!, file: { path: empty } })).toMatchObject({ code: 'BAD_INPUT', message: 'The file is empty.' });
    const big = path.join(files, 'big.bin');
    writeFileSync(big, Buffer.alloc(20 * 1024 * 1024 + 1));
    expect(await as.c1!.error('cases.attach', { caseId: cases[5]!, file: { path: big } })).toMatchObject({ code: 'BAD_INPUT', message: 'The file is larger than 20 MB.' });
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      expect(() => db.prepare('DELETE FROM case_files').run()).toThrow(/never deleted/);
    } finally {
      db.close();
    }
  });
});

describe('smaller things the screens need', () => {
  it('an open override is used without being named; a manager’s correction stays the collector’s attempt', async () => {
    const id = cases[1]!;
    expect(await as.c1!.error('contacts.log', phone(id, 'connected'))).toMatchObject({ code: 'COMPLIANCE' });
    await as.m1!.call('compliance.override', { caseId: id, rule: 'daily_connected_cap', reason: '客户来电' });
    const logged = await as.c1!.call('contacts.log', phone(id, 'connected'));
    expect(logged.overrideRule).toBe('daily_connected_cap');
    expect(await as.c1!.error('contacts.log', phone(id, 'connected'))).toMatchObject({ code: 'COMPLIANCE' });
    const fixed = await as.m1!.call('contacts.correct', { attemptId: logged.id, outcome: 'refused', note: '经核实客户拒绝' });
    expect(fixed).toMatchObject({ collector: 'c1', enteredBy: 'm1', correctsId: logged.id });
  });

  it('the case view carries its lender and next step; colleagues are listed for field visits', async () => {
    const d = await as.c1!.call('cases.get', { id: cases[5]! });
    expect(d.lenderId).toBeGreaterThan(0);
    expect(d.nextStep).toMatchObject({ action: expect.any(String), behind: expect.any(Boolean) });
    const { colleagues } = await as.c1!.call('staff.colleagues', {});
    expect(colleagues.map((c) => c.username).sort()).toEqual(['c1', 'c2', 'm1']);
    expect(await (await login(s.backend, 'au', PW)).error('staff.colleagues', {})).toMatchObject({ code: 'FORBIDDEN' });
  });
});
