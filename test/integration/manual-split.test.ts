// A manual move that would split a borrower's cases asks first (issue 18): assign.manual answers with the
// borrower's other open cases (held elsewhere) and changes nothing, unless confirmSplit is given; the
// caller then moves them all or only the ones chosen. A move that splits nobody goes through at once.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, type TestStore, type Client } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
const PW = 'split pw 12345';
const ids: Record<string, number> = {};
let m1: Client;
// Borrower 甲 has three cases (P1 and P2 at lender SPA, Q1 at SPB), borrower 乙 one (P3).
const c: Record<string, number> = {};
const ID_COL = PLACEMENT_HEADERS.indexOf('身份证号');

async function place(code: string, rows: string[][]) {
  const lenderId = (await s.admin.call('lenders.create', { code, name: `贷方${code}` })).id;
  const file = path.join(files, `${code}.csv`);
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...rows]));
  expect((await importFile(s.admin, lenderId, file)).state).toBe('done');
  return (await s.admin.call('cases.list', { lenderId, sort: 'id', desc: false })).rows.map((r) => r.id);
}

const holder = async (caseId: number) => {
  const id = (await m1.call('cases.get', { id: caseId })).collectorId;
  return Object.keys(ids).find((u) => ids[u] === id) ?? null;
};

beforeAll(async () => {
  s = await makeStore();
  files = tempDir('agencydesk-split-');
  for (const [u, role] of [['c1', 'collector'], ['c2', 'collector'], ['m1', 'manager']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: `员工${u}`, role, password: PW })).id;
  }
  m1 = await login(s.backend, 'm1', PW);
  const a = makeRows(3, 21, { caseNoPrefix: 'SPA' });
  a[1]![ID_COL] = a[0]![ID_COL]!;
  const pa = await place('SPA', a);
  [c.P1, c.P2, c.P3] = [pa[0]!, pa[1]!, pa[2]!];
  const b = makeRows(1, 22, { caseNoPrefix: 'SPB' });
  b[0]![ID_COL] = a[0]![ID_COL]!;
  c.Q1 = (await place('SPB', b))[0]!;
  // All of 甲's cases with c1 (one move: nothing to split), 乙's with c1 too.
  expect(await m1.call('assign.manual', { caseIds: [c.P1!, c.P2!, c.Q1!, c.P3!], collectorId: ids.c1! })).toMatchObject({ changed: 4, splits: [] });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('assign.manual keep-together', () => {
  it("moving one of a borrower's cases answers with the others and changes nothing", async () => {
    const r = await m1.call('assign.manual', { caseIds: [c.P1!], collectorId: ids.c2! });
    expect(r.changed).toBe(0);
    expect(r.assignmentId).toBeNull();
    expect(r.splits.map((x) => x.caseId).sort()).toEqual([c.P2!, c.Q1!].sort());
    expect(r.splits[0]).toMatchObject({ collectorName: '员工c1', borrowerName: expect.any(String), caseNo: expect.stringMatching(/^SP[AB]/), lenderCode: expect.stringMatching(/^SP[AB]$/), withCaseId: c.P1! });
    expect(await holder(c.P1!)).toBe('c1');
    // Recalling it to the pool would split them just the same.
    expect((await m1.call('assign.manual', { caseIds: [c.P1!], collectorId: null })).splits).toHaveLength(2);
    expect(await holder(c.P1!)).toBe('c1');
  });

  it('a borrower with no other case moves at once', async () => {
    expect(await m1.call('assign.manual', { caseIds: [c.P3!], collectorId: ids.c2! })).toMatchObject({ changed: 1, splits: [] });
    expect(await holder(c.P3!)).toBe('c2');
  });

  it('confirmed, it moves the chosen ones only: the split is the manager’s decision, recorded', async () => {
    const r = await m1.call('assign.manual', { caseIds: [c.P1!, c.P2!], collectorId: ids.c2!, confirmSplit: true });
    expect(r).toMatchObject({ changed: 2, splits: [] });
    expect([await holder(c.P1!), await holder(c.P2!), await holder(c.Q1!)]).toEqual(['c2', 'c2', 'c1']);
    const audit = await s.admin.call('audit.list', { action: 'assign.manual' });
    expect(JSON.stringify(audit)).toContain('splitConfirmed');
  });

  it('moving all of them asks nothing', async () => {
    expect(await m1.call('assign.manual', { caseIds: [c.P1!, c.P2!, c.Q1!], collectorId: ids.c1! })).toMatchObject({ changed: 2, splits: [] });
    expect([await holder(c.P1!), await holder(c.P2!), await holder(c.Q1!)]).toEqual(['c1', 'c1', 'c1']);
  });
});
