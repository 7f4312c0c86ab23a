// Who may call comes before what they sent, on every host (issue 17, finding 7), and an object reached
// through a child id (payment, plan, contact entry, file) of another collector's case answers NOT_FOUND
// naming the child — never "No case with id N", which would confirm that case exists.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { startWebHost, type WebHost } from '../helpers/web-host.js';

let s: TestStore;
let files: string;
const clock = new Date('2026-11-23T10:00:00+08:00');
const PW = 'access pw 1234';
const as: Record<string, Client> = {};
let hisCase = 0; // c2's case
const child: Record<string, number> = {};

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-access-');
  const lender = (await s.admin.call('lenders.create', { code: 'ACC', name: '测试银行' })).id;
  const ids: Record<string, number> = {};
  for (const [u, role] of [['c1', 'collector'], ['c2', 'collector'], ['m1', 'manager']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: u, role, password: PW })).id;
    as[u] = await login(s.backend, u, PW);
  }
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(2, 17)]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-01' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  const cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: [cases[0]!], collectorId: ids.c1! });
  await s.admin.call('assign.manual', { caseIds: [cases[1]!], collectorId: ids.c2! });
  hisCase = cases[1]!;
  // Children of c2's case: a contact entry, a file, a payment, an approved plan.
  child.attempt = (await as.c2!.call('contacts.log', { caseId: hisCase, channel: 'phone', outcome: 'no_answer' })).id;
  writeFileSync(path.join(files, 'proof.txt'), '收入证明');
  child.file = (await as.c2!.call('cases.attach', { caseId: hisCase, file: { path: path.join(files, 'proof.txt') } })).id;
  child.payment = (await as.m1!.call('payments.post', { caseId: hisCase, paidOn: '2026-11-20', amountFen: 10_000, channel: 'alipay' })).payment.id;
  child.plan = (await as.c2!.call('plans.propose', { caseId: hisCase, kind: 'extension', reason: '收入中断', dueDate: '2026-12-31' })).id;
  await as.m1!.call('plans.decide', { planId: child.plan, approve: true });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('core dispatch: session and permission before the input', () => {
  it('answers UNAUTHENTICATED, not the schema, to a caller without a session', async () => {
    const env = await s.backend.dispatch('users.create', { username: 7, role: 'nobody' }, {});
    expect(env).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(JSON.stringify(env)).not.toMatch(/issues|username|role/);
  });

  it('answers FORBIDDEN, not the schema, to a collector calling an admin method with junk', async () => {
    const env = await s.backend.dispatch('users.create', { username: 7, role: 'nobody' }, { session: as.c1!.token });
    expect(env).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(JSON.stringify(env)).not.toMatch(/issues/);
    // Allowed callers still get the schema's complaint.
    const admin = await s.backend.dispatch('users.create', { username: 7 }, { session: s.admin.token });
    expect(admin).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', issues: expect.any(Array) } });
  });
});

describe('child ids of another collector’s case', () => {
  const noCase = /case with id/i;
  it.each([
    ['contacts.correct', () => ({ attemptId: child.attempt, note: '更正' }), () => `No contact log entry ${child.attempt}.`],
    ['cases.fileContent', () => ({ fileId: child.file }), () => `No file with id ${child.file}.`],
    ['plans.letter', () => ({ planId: child.plan, language: 'zh-CN' }), () => `No plan with id ${child.plan}.`],
    ['plans.fileLetter', () => ({ planId: child.plan, language: 'zh-CN', text: 'x' }), () => `No plan with id ${child.plan}.`],
  ] as const)('%s answers NOT_FOUND naming the child', async (method, input, message) => {
    const err = await as.c1!.error(method, input());
    expect(err).toEqual({ code: 'NOT_FOUND', message: message() });
    expect(err.message).not.toMatch(noCase);
    // The owner is still served.
    if (method === 'cases.fileContent') expect((await as.c2!.call('cases.fileContent', { fileId: child.file! })).name).toBe('proof.txt');
  });

  it('a child that does not exist answers the same way as one of another collector', async () => {
    expect(await as.c1!.error('cases.fileContent', { fileId: 999_999 })).toEqual({ code: 'NOT_FOUND', message: 'No file with id 999999.' });
    expect(await as.c1!.error('contacts.correct', { attemptId: 999_999, note: 'x' })).toEqual({ code: 'NOT_FOUND', message: 'No contact log entry 999999.' });
  });

  it('managers reach children of every case (payments.reverse names the payment when it is missing)', async () => {
    expect(await as.m1!.error('payments.reverse', { paymentId: 999_999, reason: '错账' })).toEqual({ code: 'NOT_FOUND', message: 'No payment with id 999999.' });
    expect(await as.c1!.error('payments.reverse', { paymentId: child.payment!, reason: '错账' })).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('web host: the same order over HTTP', () => {
  let host: WebHost;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    host = await startWebHost(dir);
  }, 30_000);
  afterAll(async () => {
    await host.stop();
    removeDir(dir);
  });

  it('answers UNAUTHENTICATED / FORBIDDEN before BAD_INPUT', async () => {
    const post = async (method: string, input: unknown, session?: string) =>
      (await fetch(`${host.origin}/api/call`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-AgencyDesk-Token': host.token }, body: JSON.stringify({ method, input, session }) })).json();
    await post('system.setup', { agencyName: 'Web', admin: { username: 'admin', displayName: 'A', password: 'web admin pw 1' } });
    const admin = (await post('auth.login', { username: 'admin', password: 'web admin pw 1' })).value.token as string;
    expect(await post('users.create', { username: 1 })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    await post('users.create', { username: 'c9', displayName: 'c9', role: 'collector', password: PW }, admin);
    const collector = (await post('auth.login', { username: 'c9', password: PW })).value.token as string;
    const forbidden = await post('users.create', { username: 1 }, collector);
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(forbidden.error.issues).toBeUndefined();
    expect(await post('users.create', { username: 1 }, admin)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    // Public methods are still validated.
    expect(await post('auth.login', { username: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});
