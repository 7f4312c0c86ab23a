// Today's tabs (queue.today, issue 18): for a seeded collector with cases in every queue — promises due,
// follow-ups due, new, behind the escalation schedule, contacted today — plus cases in none (a complaint, a
// death, lost contact, a paused case), each tab's count is exactly its rows, each case appears once, and the
// cases in no tab are the held ones. Another day the same invariant holds with different queues.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, type TestStore, type Client } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { QUEUES } from '../../shared/contract/assignment.js';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-20T10:00:00+08:00');
const PW = 'today counts pw 1';
let c1: Client;
let m1: Client;
let cases: number[] = [];

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-today-counts-');
  const lender = (await s.admin.call('lenders.create', { code: 'TC', name: '今日贷' })).id;
  const c1Id = (await s.admin.call('users.create', { username: 'c1', displayName: 'C1', role: 'collector', password: PW })).id;
  await s.admin.call('users.create', { username: 'm1', displayName: 'M1', role: 'manager', password: PW });
  c1 = await login(s.backend, 'c1', PW);
  m1 = await login(s.backend, 'm1', PW);
  const file = path.join(files, 'tc.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(30, 77, { caseNoPrefix: 'TC' })]));
  expect((await importFile(s.admin, lender, file)).state).toBe('done');
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false, limit: 100 })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: cases, collectorId: c1Id });
  // Day 1: promises due on day 3 (0–3), follow-ups due on day 3 (4–7), a connected call only (8–11:
  // out of "new", later behind the schedule), complaints (12, 13), deceased (14), lost contact (15),
  // paused (16). The rest (17–29) stay new.
  for (const i of [0, 1, 2, 3]) await c1.call('contacts.log', { caseId: cases[i]!, channel: 'phone', outcome: 'promised_to_pay', durationSec: 60, promise: { amountFen: 10_000, date: '2026-11-22' } });
  for (const i of [4, 5, 6, 7]) await c1.call('contacts.log', { caseId: cases[i]!, channel: 'phone', outcome: 'no_answer', nextFollowUpAt: '2026-11-22T02:00:00.000Z' });
  for (const i of [8, 9, 10, 11]) await c1.call('contacts.log', { caseId: cases[i]!, channel: 'phone', outcome: 'connected', durationSec: 30 });
  for (const i of [12, 13]) await c1.call('complaints.record', { caseId: cases[i]!, channel: 'phone', from: 'borrower', what: '投诉来电频繁' });
  await c1.call('cases.setFlag', { caseId: cases[14]!, flag: 'deceased', on: true });
  await c1.call('cases.setFlag', { caseId: cases[15]!, flag: 'lost_contact', on: true });
  await m1.call('cases.move', { caseId: cases[16]!, to: 'paused', reason: '困难', pauseReason: 'hardship' });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

/** counts[q] === rows of q for every tab, each case once, and which cases no tab shows. */
async function checkDay() {
  const day = await c1.call('queue.today', { limit: 1000 });
  for (const q of QUEUES) expect(day.counts[q], q).toBe(day.items.filter((i) => i.queue === q).length);
  const ids = day.items.map((i) => i.caseId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(day.counts.open).toBe(cases.length);
  const none = cases.filter((c) => !ids.includes(c)).map((c) => cases.indexOf(c));
  return { counts: day.counts, none, queueOf: (i: number) => day.items.find((x) => x.caseId === cases[i])?.queue ?? null };
}

describe("Today's tab counts", () => {
  it('match their rows on the day the work was logged', async () => {
    const d = await checkDay();
    // Worked today: contacted (promises, follow-ups, calls); a pause is not a contact.
    expect(d.counts.contacted).toBe(12);
    expect(d.none.sort((a, b) => a - b)).toEqual([12, 13, 14, 15, 16]);
    expect(d.counts.new).toBe(13);
  });

  it('match their rows two days later, when promises and follow-ups fall due', async () => {
    clock = new Date('2026-11-22T16:00:00+08:00');
    c1 = await login(s.backend, 'c1', PW);
    const d = await checkDay();
    expect([d.counts.promises, d.counts.followUps, d.counts.contacted]).toEqual([4, 4, 0]);
    expect(d.counts.new).toBe(13);
    // Complaints, the deceased, lost contact (nothing scheduled) and the paused case are in no tab.
    // The connected-only cases (8–11) are in the escalation tab if behind their schedule, else in none.
    expect(d.none.filter((i) => i < 12 || i > 16).every((i) => i >= 8 && i <= 11)).toBe(true);
    expect([12, 13, 14, 15, 16].every((i) => d.none.includes(i))).toBe(true);
    expect(d.counts.escalation).toBe([8, 9, 10, 11].filter((i) => d.queueOf(i) === 'escalation').length);
    // The "to call" tab the page shows is the sum of the four to-call queues.
    const toCall = QUEUES.filter((q) => q !== 'contacted').reduce((n, q) => n + d.counts[q], 0);
    expect(toCall).toBe(cases.length - d.none.length);
  });
});
