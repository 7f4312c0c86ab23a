// A promise to pay is about the future: contacts.log refuses one dated before the day of the call (which, for
// an entry made within the late window just after midnight, is the day before) and saves nothing; the same rule
// refuses a plan's due date or first installment before today. "Today" is the agency's day (Asia/Shanghai).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-23T10:00:00+08:00');
const PW = 'promise pw 1234';
let c1: Client;
let cases: number[] = [];

const promise = (caseId: number, date: string, extra: { startedAt?: string } = {}) => ({
  caseId,
  channel: 'phone' as const,
  direction: 'inbound' as const,
  outcome: 'promised_to_pay',
  durationSec: 60,
  promise: { amountFen: 50_000, date },
  ...extra,
});

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-promise-date-');
  const lender = (await s.admin.call('lenders.create', { code: 'PDATE', name: '承诺日期' })).id;
  const c1Id = (await s.admin.call('users.create', { username: 'c1', displayName: 'C1', role: 'collector', password: PW })).id;
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(3, 5)]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-01' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: cases, collectorId: c1Id });
  c1 = await login(s.backend, 'c1', PW);
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('a promise to pay is not dated in the past', () => {
  it('refuses a promise due before today with a keyed BAD_INPUT and keeps nothing of the attempt', async () => {
    const id = cases[0]!;
    for (const date of ['2020-01-01', '2026-11-22']) {
      expect(await c1.error('contacts.log', promise(id, date))).toMatchObject({
        code: 'BAD_INPUT',
        key: 'promiseBeforeMadeOn',
        params: { date: '2026-11-23' },
        message: 'A promise to pay is about the future: its date cannot be before the day it is made (2026-11-23).',
      });
    }
    expect((await c1.call('contacts.list', { caseId: id })).attempts).toEqual([]);
    expect((await c1.call('promises.list', { caseId: id })).promises).toEqual([]);
    expect((await s.admin.call('audit.list', { action: 'contacts.log' })).entries).toEqual([]);
  });

  it('takes a promise due today or later, pending (not broken)', async () => {
    const id = cases[1]!;
    await c1.call('contacts.log', promise(id, '2026-11-23'));
    await c1.call('contacts.log', promise(id, '2026-12-01'));
    const ps = (await c1.call('promises.list', { caseId: id })).promises;
    expect(ps.map((p) => [p.date, p.state])).toEqual([
      ['2026-12-01', 'pending'],
      ['2026-11-23', 'pending'],
    ]);
  });

  it('judges "today" in the agency’s time zone, and a late entry by the day of the call', async () => {
    const id = cases[2]!;
    // 00:30 on 11-24 in Shanghai is still 11-23 in UTC: 11-23 is already yesterday.
    clock = new Date('2026-11-24T00:30:00+08:00');
    c1 = await login(s.backend, 'c1', PW);
    expect(await c1.error('contacts.log', promise(id, '2026-11-23'))).toMatchObject({ code: 'BAD_INPUT', params: { date: '2026-11-24' } });
    // A call at 23:50 the evening before, entered within the late window: the borrower promised for that day.
    const late = await c1.call('contacts.log', promise(id, '2026-11-23', { startedAt: '2026-11-23T15:50:00.000Z' }));
    expect(late.promise).toMatchObject({ date: '2026-11-23' });
    expect(await c1.error('contacts.log', promise(id, '2026-11-22', { startedAt: '2026-11-23T15:50:00.000Z' }))).toMatchObject({ params: { date: '2026-11-23' } });
  });

  it("a plan's due date and first installment follow the same rule", async () => {
    clock = new Date('2026-11-25T10:00:00+08:00');
    c1 = await login(s.backend, 'c1', PW);
    const plan = { caseId: cases[0]!, reason: '收入中断，下月还清' };
    expect(await c1.error('plans.propose', { ...plan, kind: 'extension', dueDate: '2026-11-24' })).toMatchObject({ code: 'BAD_INPUT', key: 'planDateBeforeToday', params: { date: '2026-11-25' } });
    expect(await c1.error('plans.propose', { ...plan, kind: 'installments', installments: { count: 3, firstDate: '2026-11-24' } })).toMatchObject({ code: 'BAD_INPUT', key: 'planFirstBeforeToday' });
    expect(await c1.call('plans.propose', { ...plan, kind: 'extension', dueDate: '2026-11-25' })).toMatchObject({ status: 'proposed' });
  });
});
