// Search the way call-centre staff do: the last digits of a phone or ID number (尾号), a contact's phone
// (saying whose contact it is), a case-number prefix in any letter case; collectors only in their own cases;
// a re-placement's new numbers found and its old ones gone.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, rawOpen, type TestStore, type Client } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
let lender = 0;
const PW = 'search pw 123';
const as: Record<string, Client> = {};
let rows: string[][] = [];
const idOf = new Map<string, number>();
// Columns of PLACEMENT_HEADERS.
const [CASE_NO, NAME, ID, MOBILE, C1NAME, C1REL, C1PHONE] = [0, 1, 2, 3, 16, 17, 18];

beforeAll(async () => {
  s = await makeStore();
  files = tempDir('agencydesk-search-');
  lender = (await s.admin.call('lenders.create', { code: 'ZALD', name: '众安' })).id;
  const ids: Record<string, number> = {};
  for (const u of ['c1', 'c2']) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: u.toUpperCase(), role: 'collector', password: PW })).id;
    as[u] = await login(s.backend, u, PW);
  }
  rows = makeRows(40, 5, { caseNoPrefix: 'ZA2025' });
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...rows]));
  expect((await importFile(s.admin, lender, file)).state).toBe('done');
  for (const r of (await s.admin.call('cases.list', { sort: 'id', desc: false, limit: 500 })).rows) idOf.set(r.caseNo, r.id);
  const all = [...idOf.values()];
  await s.admin.call('assign.manual', { caseIds: all.slice(0, 20), collectorId: ids.c1! });
  await s.admin.call('assign.manual', { caseIds: all.slice(20), collectorId: ids.c2! });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

const search = (c: Client, q: string) => c.call('cases.list', { q, sort: 'id', desc: false, limit: 500 });

describe('search', () => {
  it('the last 4 digits of the borrower’s mobile find the case and say so', async () => {
    const row = rows[3]!;
    const r = await search(s.admin, row[MOBILE]!.slice(-4));
    const hit = r.rows.find((x) => x.id === idOf.get(row[CASE_NO]!));
    expect(hit).toMatchObject({ mobile: expect.stringMatching(new RegExp(`${row[MOBILE]!.slice(-4)}$`)), matched: [{ field: 'mobile', slot: null }] });
    // Every other hit has those digits at the end of one of its numbers.
    for (const x of r.rows) expect(x.matched!.length).toBeGreaterThan(0);
    expect(r.total).toBe(r.rows.length);
    // More digits narrow it: the last 7.
    expect((await search(s.admin, row[MOBILE]!.slice(-7))).rows.map((x) => x.id)).toEqual([idOf.get(row[CASE_NO]!)]);
  });

  it('the last digits of an ID number, an X included', async () => {
    const row = rows.find((x) => x[ID]!.endsWith('X')) ?? rows[5]!;
    const tail = row[ID]!.slice(-6).toLowerCase();
    const r = await search(s.admin, tail);
    expect(r.rows.find((x) => x.id === idOf.get(row[CASE_NO]!))).toMatchObject({ matched: [{ field: 'idNumber' }] });
  });

  it("a contact's phone, whole or its tail, names the contact: 联系人1 张三(父亲)", async () => {
    const row = rows[7]!;
    const want = { field: 'contact', slot: 1, name: row[C1NAME], relation: row[C1REL] };
    const whole = await search(s.admin, row[C1PHONE]!);
    expect(whole.rows.map((x) => x.id)).toEqual([idOf.get(row[CASE_NO]!)]);
    expect(whole.rows[0]!.matched).toEqual([want]);
    const tail = await search(s.admin, row[C1PHONE]!.slice(-4));
    expect(tail.rows.find((x) => x.id === idOf.get(row[CASE_NO]!))!.matched).toContainEqual(want);
  });

  it('a case-number prefix in any letter case; the start of a name as before', async () => {
    const lower = await search(s.admin, 'za20250000001');
    expect(lower.rows.map((x) => x.caseNo)).toEqual(Array.from({ length: 10 }, (_, i) => `ZA20250000001${i}`).filter((n) => idOf.has(n)));
    expect(lower.rows.length).toBe(10);
    expect((await search(s.admin, 'ZA20250000004')).rows.map((x) => x.caseNo)).toEqual(['ZA202500000040']);
    expect((await search(s.admin, 'Za202500000040')).rows.map((x) => x.caseNo)).toEqual(['ZA202500000040']);
    const name = rows[9]![NAME]!;
    expect((await search(s.admin, name)).rows.map((x) => x.borrowerName)).toContain(name);
    expect((await search(s.admin, name)).rows[0]!.matched).toBeUndefined();
  });

  it('a collector finds only their own cases, whatever the digits', async () => {
    const theirs = rows[25]!; // c2's
    for (const q of [theirs[MOBILE]!.slice(-4), theirs[MOBILE]!, theirs[C1PHONE]!, theirs[CASE_NO]!.toLowerCase(), theirs[ID]!.slice(-4)]) {
      const mine = await search(as.c1!, q);
      expect(mine.rows.map((x) => x.id)).not.toContain(idOf.get(theirs[CASE_NO]!));
      for (const x of mine.rows) expect(x.collector).toBe('c1');
      expect((await search(as.c2!, q)).rows.map((x) => x.id)).toContain(idOf.get(theirs[CASE_NO]!));
    }
  });

  it('search rows a killed import left owed are written by the next tail search', async () => {
    const row = rows[15]!;
    const id = idOf.get(row[CASE_NO]!)!;
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      // As after a kill between the import's COMMIT and its search rows: owed since an hour ago, rows gone.
      db.prepare('DELETE FROM case_search WHERE k >= ? AND k < ?').run(id * 8, id * 8 + 8);
      db.prepare("INSERT INTO case_search_pending (batch_id, since) SELECT batch_id, '2000-01-01T00:00:00.000Z' FROM cases WHERE id = ?").run(id);
    } finally {
      db.close();
    }
    expect((await search(s.admin, row[MOBILE]!.slice(-6))).rows.map((x) => x.id)).toContain(id);
    const check = rawOpen(s.dir, s.recoveryKey);
    try {
      expect(check.prepare('SELECT count(*) AS n FROM case_search_pending').get()).toEqual({ n: 0 });
    } finally {
      check.close();
    }
  });

  it('a re-placement with new numbers: the new ones are found, the old ones no longer', async () => {
    const row = rows[11]!;
    const changed = [...row];
    changed[MOBILE] = '13912345678';
    changed[C1PHONE] = '13787654321';
    const file = path.join(files, 'again.csv');
    writeFileSync(file, toCsv([PLACEMENT_HEADERS, changed]));
    expect((await importFile(s.admin, lender, file)).state).toBe('done');
    const id = idOf.get(row[CASE_NO]!);
    expect((await search(s.admin, '12345678')).rows.map((x) => x.id)).toEqual([id]);
    expect((await search(s.admin, '87654321')).rows.find((x) => x.id === id)!.matched).toEqual([{ field: 'contact', slot: 1, name: row[C1NAME], relation: row[C1REL] }]);
    expect((await search(s.admin, row[MOBILE]!)).rows.map((x) => x.id)).not.toContain(id);
    expect((await search(s.admin, row[C1PHONE]!)).rows.map((x) => x.id)).not.toContain(id);
  });
});
