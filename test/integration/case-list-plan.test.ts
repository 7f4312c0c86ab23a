// A collector's own case list by amount or by id takes its page from their range of collector_cases (migration
// 025; db/repos/cases.ts listCases) instead of sorting every case they hold. Both plans must give the same
// rows, in the same order, with the same total — also after amounts change and cases move between collectors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases, listTuning } from '../../db/repos/cases.js';
import type { Db } from '../../db/open.js';
import { makeStore, rawOpen, removeDir, type TestStore } from '../helpers/store.js';
import { seedCases } from '../helpers/assign-seed.js';
import { rng } from '../helpers/placement-data.js';

describe('a collector’s case list by amount', () => {
  let s: TestStore;
  let db: Db;
  const collectors: number[] = [];

  beforeAll(async () => {
    s = await makeStore();
    const lenderId = (await s.admin.call('lenders.create', { code: 'PLAN', name: '计划' })).id;
    for (const u of ['p1', 'p2', 'p3', 'p4']) collectors.push((await s.admin.call('users.create', { username: u, displayName: u, role: 'collector', password: 'plan pw 123' })).id);
    db = rawOpen(s.dir, s.recoveryKey);
    const { batchId } = seedCases(db, lenderId, 4000, 11);
    // Uneven holdings (p1 few, p4 many), some cases in the pool, some with a payment-adjusted outstanding.
    const r = rng(5);
    const assignment = Number(db.prepare("INSERT INTO assignments (at, actor_id, kind, rule, assigned, unassignable, detail) VALUES (?, 1, 'manual', 'manual', 0, 0, '{}')").run(new Date().toISOString()).lastInsertRowid);
    const hold = db.prepare('INSERT INTO case_assignments (case_id, collector_id, assignment_id, assigned_at) VALUES (?, ?, ?, ?)');
    const ids = (db.prepare('SELECT id FROM cases WHERE batch_id = ? ORDER BY id').all(batchId) as { id: number }[]).map((x) => x.id);
    db.transaction(() => {
      for (const id of ids) {
        const x = r();
        if (x < 0.1) continue;
        hold.run(id, collectors[x < 0.13 ? 0 : x < 0.3 ? 1 : x < 0.55 ? 2 : 3]!, assignment, new Date().toISOString());
      }
      // Equal amounts too: the order then falls to the id.
      db.prepare('UPDATE case_rows SET outstanding_fen = 123400 WHERE id % 17 = 0').run();
    })();
  }, 120_000);
  afterAll(() => {
    listTuning.useCollectorCases = true;
    db?.close();
    s.close();
    removeDir(s.dir);
  });

  const samePages = () => {
    let ownSome = false;
    for (const collectorId of collectors) {
      for (const sort of ['outstandingFen', 'id'] as const) {
        for (const desc of [true, false]) {
          for (const offset of [0, 20, 50, 200, 900, 5000]) {
            const q = { collectorId, sort, desc, offset, limit: 50 };
            listTuning.useCollectorCases = true;
            const a = listCases(db, q);
            ownSome ||= listTuning.ownRange;
            listTuning.useCollectorCases = false;
            const b = listCases(db, q);
            expect(listTuning.ownRange).toBe(false);
            expect(a.total).toBe(b.total);
            // The total counted through the cases table, as any other filter is.
            const joined = (db.prepare('SELECT count(*) AS n FROM cases c JOIN case_assignments a ON a.case_id = c.id WHERE a.collector_id = ?').get(collectorId) as { n: number }).n;
            expect(a.total).toBe(joined);
            expect(a.rows.map((x) => x.id)).toEqual(b.rows.map((x) => x.id));
            expect(a.rows).toEqual(b.rows);
          }
        }
      }
    }
    expect(ownSome, 'no list took its page from collector_cases: this test compared one plan with itself').toBe(true);
  };

  it('gives the same pages whichever plan it takes', () => samePages());

  it('still does after payments change amounts, cases move between collectors and go back to the pool', () => {
    const r = rng(9);
    const assignment = Number(db.prepare("INSERT INTO assignments (at, actor_id, kind, rule, assigned, unassignable, detail) VALUES (?, 1, 'manual', 'manual', 0, 0, '{}')").run(new Date().toISOString()).lastInsertRowid);
    const ids = (db.prepare('SELECT id FROM cases ORDER BY id').all() as { id: number }[]).map((x) => x.id);
    db.transaction(() => {
      for (const id of ids) {
        const x = r();
        if (x < 0.05) db.prepare('UPDATE case_rows SET outstanding_fen = ? WHERE id = ?').run(Math.floor(r() * 1_000_000), id);
        else if (x < 0.1) db.prepare('INSERT INTO case_assignments (case_id, collector_id, assignment_id, assigned_at) VALUES (?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET collector_id = excluded.collector_id, assignment_id = excluded.assignment_id').run(id, collectors[Math.floor(r() * 4)]!, assignment, new Date().toISOString());
        else if (x < 0.12) db.prepare('UPDATE case_assignments SET collector_id = NULL, assignment_id = ? WHERE case_id = ?').run(assignment, id);
        else if (x < 0.14) db.prepare("UPDATE case_rows SET status = 'closed', stage = 'closed' WHERE id = ?").run(id);
      }
    })();
    samePages();
  });
});
