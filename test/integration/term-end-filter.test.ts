// The case list's 委案到期日 filter (cases.list termEnd, issue 18): open cases whose placement ends from today
// to today + N days, or has ended (before today); a case's own 委案到期日 from the file wins over its batch's.
// "Today" is 2026-11-18.
//
// Lender TA, batch ends 2026-11-25: A1, A2 (c1), A3 (pool), A4 (closed: written off).
// Lender TB, batch ends 2026-12-31; the file gives B1 its own end 2026-11-20 and B2 2026-11-10; B3 none.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
const clock = new Date('2026-11-18T10:00:00+08:00');
const PW = 'term end pw 1234';
const c: Record<string, number> = {};
let c1: Client;
let m1: Client;

async function place(code: string, termEnd: string, names: string[], ownEnds?: string[]) {
  const lenderId = (await s.admin.call('lenders.create', { code, name: `贷方${code}` })).id;
  const rows = makeRows(names.length, code.charCodeAt(1), { caseNoPrefix: code });
  const table = ownEnds ? [[...PLACEMENT_HEADERS, '委案到期日'], ...rows.map((r, i) => [...r, ownEnds[i]!])] : [PLACEMENT_HEADERS, ...rows];
  const file = path.join(files, `${code}.csv`);
  writeFileSync(file, toCsv(table));
  const { jobId } = await s.admin.call('import.start', { lenderId, file: { path: file }, placementDate: '2026-11-01', termEndDate: termEnd, batchNo: `${code}-1` });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  const listed = (await s.admin.call('cases.list', { lenderId, sort: 'id', desc: false })).rows;
  names.forEach((n, i) => (c[n] = listed[i]!.id));
}

const names = (rows: { id: number }[]) => rows.map((r) => Object.keys(c).find((k) => c[k] === r.id)).sort();

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-term-');
  const c1Id = (await s.admin.call('users.create', { username: 'c1', displayName: '用户c1', role: 'collector', password: PW })).id;
  await s.admin.call('users.create', { username: 'm1', displayName: '用户m1', role: 'manager', password: PW });
  c1 = await login(s.backend, 'c1', PW);
  m1 = await login(s.backend, 'm1', PW);
  await place('TA', '2026-11-25', ['A1', 'A2', 'A3', 'A4']);
  await place('TB', '2026-12-31', ['B1', 'B2', 'B3'], ['2026-11-20', '2026-11-10', '']);
  await s.admin.call('assign.manual', { caseIds: [c.A1!, c.A2!, c.B2!], collectorId: c1Id });
  await m1.call('cases.move', { caseId: c.A4!, to: 'written_off', reason: '无法联系' });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('cases.list termEnd', () => {
  it('lists open cases ending from today to today + N days, a case’s own date before its batch’s', async () => {
    expect(names((await m1.call('cases.list', { termEnd: 7 })).rows)).toEqual(['A1', 'A2', 'A3', 'B1']);
    expect(names((await m1.call('cases.list', { termEnd: 2 })).rows)).toEqual(['B1']);
    expect((await m1.call('cases.list', { termEnd: 1 })).total).toBe(0);
    expect(names((await m1.call('cases.list', { termEnd: 60 })).rows)).toEqual(['A1', 'A2', 'A3', 'B1', 'B3']);
  });

  it('lists open cases whose placement has ended', async () => {
    const r = await m1.call('cases.list', { termEnd: 'ended' });
    expect(r.total).toBe(1);
    expect(names(r.rows)).toEqual(['B2']);
  });

  it('combines with the other filters, and a collector still sees only their own cases', async () => {
    expect(names((await m1.call('cases.list', { termEnd: 7, unassigned: true })).rows)).toEqual(['A3', 'B1']);
    expect(names((await c1.call('cases.list', { termEnd: 7 })).rows)).toEqual(['A1', 'A2']);
    expect(names((await c1.call('cases.list', { termEnd: 'ended' })).rows)).toEqual(['B2']);
  });

  it('agrees with the manager home’s count for its warning window', async () => {
    const h = await m1.call('home.summary', {});
    expect((await m1.call('cases.list', { termEnd: h.termEndDays })).total).toBe(h.termEnding);
  });
});
