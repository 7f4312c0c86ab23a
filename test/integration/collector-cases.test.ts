// Each collector's cases (migration 025): a copy of case_assignments and cases kept by triggers, read by Today
// and a collector's case list. Every test store is compared with its source when its test closes it
// (test/helpers/store.ts); here: the backfill an upgraded store gets, `system.check` naming a damaged copy,
// and an assignment through the service landing in each collector's range.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeStore, rawOpen, removeDir, type TestStore } from '../helpers/store.js';
import { seedCases } from '../helpers/assign-seed.js';
import { BACKFILL, COLUMNS } from '../../db/migrations/025_collector_cases.js';
import { collectorCasesDrift } from '../../db/repos/collector-cases.js';
import type { Db } from '../../db/open.js';

let s: TestStore;
let db: Db;
let lenderId: number;
const collectors: number[] = [];
const rowsOf = () => db.prepare(`SELECT ${COLUMNS} FROM collector_cases ORDER BY collector_id, case_id`).all();

beforeAll(async () => {
  s = await makeStore();
  lenderId = (await s.admin.call('lenders.create', { code: 'CC', name: '副本' })).id;
  for (const u of ['cc1', 'cc2', 'cc3']) collectors.push((await s.admin.call('users.create', { username: u, displayName: u, role: 'collector', password: 'copy pw 1234' })).id);
  db = rawOpen(s.dir, s.recoveryKey);
  seedCases(db, lenderId, 600, 3);
}, 60_000);
afterAll(() => {
  db?.close();
  s.close();
  removeDir(s.dir);
});

describe('collector_cases', () => {
  it('holds each assigned case in its collector’s range once an assignment is applied, and nothing of the pool', async () => {
    expect(rowsOf()).toEqual([]);
    const r = await s.admin.call('assign.apply', { selection: { lenderId, unassignedOnly: true }, rule: 'balanced', pool: { teamIds: [], collectorIds: collectors.slice(0, 2) } });
    expect(r.assigned).toBe(600);
    const perCollector = db.prepare('SELECT collector_id, count(*) AS n FROM collector_cases GROUP BY collector_id ORDER BY collector_id').all() as { collector_id: number; n: number }[];
    expect(perCollector.map((x) => x.collector_id)).toEqual(collectors.slice(0, 2));
    expect(perCollector.map((x) => x.n)).toEqual(collectors.slice(0, 2).map((id) => (db.prepare('SELECT count(*) AS n FROM case_assignments WHERE collector_id = ?').get(id) as { n: number }).n));
    expect(perCollector[0]!.n + perCollector[1]!.n).toBe(600);
    expect(collectorCasesDrift(db)).toBe(0);
  });

  it('is rebuilt the same by the backfill an upgraded store gets', () => {
    db.prepare("UPDATE case_rows SET status = 'closed', stage = 'closed' WHERE id % 7 = 0").run();
    db.prepare('UPDATE case_rows SET outstanding_fen = 4242 WHERE id % 5 = 0').run();
    const before = rowsOf();
    expect(before.length).toBe(600);
    db.transaction(() => {
      db.exec('DELETE FROM collector_cases');
      db.exec(BACKFILL);
    })();
    expect(rowsOf()).toEqual(before);
  });

  it('is checked by system.check: a damaged copy is named and the store is not reported sound', async () => {
    expect((await s.admin.call('system.check', {})).integrityOk).toBe(true);
    db.prepare("UPDATE collector_cases SET stage = 'settled' WHERE case_id = (SELECT min(case_id) FROM collector_cases)").run();
    db.prepare('DELETE FROM collector_cases WHERE case_id = (SELECT max(case_id) FROM collector_cases)').run();
    const check = await s.admin.call('system.check', {});
    expect(check.integrityOk).toBe(false);
    // The changed row counts both ways (the stored one and the one it should be), the missing one once.
    expect(check.integrity).toContain('collector_cases: 3 rows differ from case_assignments and cases');
    // Repaired for the store's closing check.
    db.transaction(() => {
      db.exec('DELETE FROM collector_cases');
      db.exec(BACKFILL);
    })();
    expect((await s.admin.call('system.check', {})).integrityOk).toBe(true);
  });
});
