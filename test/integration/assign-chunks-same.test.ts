// The chunked write of a large assignment (core/assignment/apply.ts) ends where the one-transaction write ends:
// two stores seeded alike with random cases, earlier holders and capacities; one applies with small chunks, the
// other in one transaction (a chunk larger than the plan: the path a small assignment takes). Between the plan and
// the write, the same changes reach both (cases closed and re-staged, a receiving collector marked absent), so the
// moves re-checked chunk by chunk must skip exactly what the one transaction skips, and report the same figures.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { makeStore, removeDir, rawOpen, type TestStore } from '../helpers/store.js';
import { holders, seedCases, seedProfiles } from '../helpers/assign-seed.js';
import { rng } from '../helpers/placement-data.js';
import { applyTestHooks, applyTuning } from '../../core/assignment/apply.js';
import { repos } from '../../db/repos/index.js';

const PW = 'same pw 12345';
const COLLECTORS = 6;
const DEFAULT_TUNING = { ...applyTuning };

describe('chunked and one-transaction assignment writes agree', () => {
  const stores: TestStore[] = [];
  const collectors: number[][] = [[], []];

  beforeAll(async () => {
    for (let k = 0; k < 2; k++) {
      // No workers: the tuning and hooks below apply to this thread, where the apply runs.
      const s = await makeStore({ heavyWorkers: 0 });
      stores.push(s);
      for (let i = 0; i < COLLECTORS; i++) collectors[k]!.push((await s.admin.call('users.create', { username: `q${i}`, displayName: `Q${i}`, role: 'collector', password: PW })).id);
    }
    expect(collectors[0]).toEqual(collectors[1]);
  }, 120_000);
  afterEach(() => {
    applyTestHooks.afterPlan = undefined;
    applyTestHooks.afterChunk = undefined;
    applyTestHooks.afterWrite = undefined;
    Object.assign(applyTuning, DEFAULT_TUNING);
  });
  afterAll(() => {
    for (const s of stores) {
      s.close();
      removeDir(s.dir);
    }
  });

  for (const seed of [3, 17, 29]) {
    it(`same holders, figures and audit entry (random store, seed ${seed})`, async () => {
      const r = rng(seed);
      const n = 1500 + Math.floor(r() * 1500);
      const ids = collectors[0]!;
      const caps = Object.fromEntries(ids.map((id) => [id, Math.floor(n / 8 + r() * n)]));
      const earlier = ids.filter(() => r() < 0.5).slice(0, 3);
      const absent = ids[Math.floor(r() * ids.length)]!;
      const closeEvery = 30 + Math.floor(r() * 40);
      const chunk = 50 + Math.floor(r() * 150);
      const results = [];
      for (const [k, s] of stores.entries()) {
        const lenderId = (await s.admin.call('lenders.create', { code: `L${seed}`, name: `贷${seed}` })).id;
        const db = rawOpen(s.dir, s.recoveryKey);
        try {
          seedProfiles(db, caps);
          seedCases(db, lenderId, n, seed, 6);
        } finally {
          db.close();
        }
        // Earlier holders: one bucket round-robin to a few collectors (the same in both stores).
        if (earlier.length) await s.admin.call('assign.apply', { selection: { lenderId, bucket: 'M2' }, rule: 'round_robin', pool: { collectorIds: earlier } });
        // Chunked: every plan, one stored row per transaction. Whole: one transaction.
        Object.assign(applyTuning, k === 0 ? { single: 0, chunk, lockMs: 0 } : { single: Infinity });
        applyTestHooks.afterPlan = () => {
          const other = rawOpen(s.dir, s.recoveryKey);
          try {
            other.prepare("UPDATE case_rows SET stage = 'returned', status = 'returned' WHERE lender_id = ? AND id % ? = 0").run(lenderId, closeEvery);
            other.prepare("UPDATE case_rows SET stage = 'reminder' WHERE lender_id = ? AND id % ? = 1").run(lenderId, closeEvery);
            repos(other).staff.saveProfile(absent, { capacity: caps[absent]!, level: '', skills: [], regions: [], absent: true }, new Date().toISOString());
          } finally {
            other.close();
          }
        };
        let written = 0;
        applyTestHooks.afterChunk = () => void written++;
        const plan = await s.admin.call('assign.apply', { selection: { lenderId }, rule: 'balanced', pool: { collectorIds: ids }, keepBorrower: true });
        applyTestHooks.afterPlan = undefined;
        applyTestHooks.afterChunk = undefined;
        await s.admin.call('staff.update', { userId: absent, absent: false });
        const check = rawOpen(s.dir, s.recoveryKey);
        try {
          const [entry] = (await s.admin.call('audit.list', { action: 'assign.apply', limit: 1 })).entries;
          results.push({
            plan: { ...plan, assignmentId: null },
            chunks: written,
            holders: [...holders(check)],
            row: check.prepare('SELECT assigned, unassignable, detail FROM assignments WHERE id = ?').get(plan.assignmentId),
            moves: check.prepare('SELECT case_id, from_collector, to_collector FROM assignment_moves WHERE assignment_id = ? ORDER BY case_id').all(plan.assignmentId),
            entry: { ...entry!.detail, at: undefined },
          });
        } finally {
          check.close();
        }
      }
      const [chunked, whole] = results as [(typeof results)[number], (typeof results)[number]];
      expect(chunked.chunks).toBe(Math.ceil((whole.plan.assigned + whole.plan.skipped) / chunk)); // it really was written in chunks
      expect(chunked.chunks).toBeGreaterThan(3);
      expect(whole.chunks).toBe(0); // and the other in one transaction
      expect(whole.plan.skipped).toBeGreaterThan(0); // and some moves were skipped on the way
      expect(chunked.plan).toEqual(whole.plan);
      expect(chunked.holders).toEqual(whole.holders);
      expect(chunked.row).toEqual(whole.row);
      expect(chunked.moves).toEqual(whole.moves);
      expect(chunked.entry).toEqual(whole.entry);
    }, 120_000);
  }

  it('a part that meets another writer holding the lock waits for it and goes on: the assignment finishes', async () => {
    // Last: it leaves the first store different from the second.
    const s = stores[0]!;
    const lenderId = (await s.admin.call('lenders.create', { code: 'LOCK', name: '锁' })).id;
    const seeding = rawOpen(s.dir, s.recoveryKey);
    try {
      seedCases(seeding, lenderId, 600, 5);
      seedProfiles(seeding, Object.fromEntries(collectors[0]!.map((id) => [id, 100_000])));
    } finally {
      seeding.close();
    }
    // Another connection takes the write lock after the first part and keeps it through three of the next tries
    // (this thread's connection does not wait: busy timeout 0, as on the request thread).
    Object.assign(applyTuning, { single: 0, chunk: 100, lockMs: 0, gapMs: 5 });
    const other = rawOpen(s.dir, s.recoveryKey);
    let parts = 0;
    let refused = 0;
    applyTestHooks.afterChunk = () => {
      if (++parts === 1) other.exec('BEGIN IMMEDIATE');
    };
    applyTestHooks.afterWrite = () => {
      if (parts === 1 && other.inTransaction && ++refused === 3) other.exec('COMMIT');
    };
    try {
      const plan = await s.admin.call('assign.apply', { selection: { lenderId }, rule: 'round_robin', pool: { collectorIds: collectors[0]! } });
      expect(plan).toMatchObject({ selected: 600, assigned: 600, skipped: 0 });
      expect(refused).toBe(3);
      expect(parts).toBe(6);
      expect(other.prepare('SELECT count(*) AS n FROM assignment_moves WHERE assignment_id = ?').get(plan.assignmentId)).toEqual({ n: 600 });
      expect(other.prepare('SELECT count(*) AS n FROM assignment_pending').get()).toEqual({ n: 0 });
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      applyTestHooks.afterWrite = undefined;
    }
  }, 120_000);

});
