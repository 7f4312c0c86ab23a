// How far a large assignment has got (assign.applying): what the Apply dialog and the other managers' Assign page
// read while the parts are written in a worker thread (as on the desktop and the team server). The figures come from the
// stored plan itself (assignment_pending): parts planned, parts written, never backwards, gone once it is done.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeStore, removeDir, rawOpen, type TestStore, type Client } from '../helpers/store.js';
import { seedCases, seedProfiles } from '../helpers/assign-seed.js';
import { applyTuning } from '../../core/assignment/apply.js';
import type { MethodOutput } from '../../shared/contract/registry.js';

const PW = 'applying pw 12345';
const CASES = 12_000;

describe('an assignment being written, as the managers see it', () => {
  let s: TestStore;
  let collector: Client;
  const ids: number[] = [];
  let lenderId = 0;

  beforeAll(async () => {
    // One heavy worker: the apply runs there, and this thread answers assign.applying meanwhile.
    s = await makeStore({ heavyWorkers: 1 });
    for (let i = 0; i < 4; i++) ids.push((await s.admin.call('users.create', { username: `w${i}`, displayName: `W${i}`, role: 'collector', password: PW })).id);
    lenderId = (await s.admin.call('lenders.create', { code: 'APL', name: '进度贷' })).id;
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      seedCases(db, lenderId, CASES, 7);
      seedProfiles(db, Object.fromEntries(ids.map((id) => [id, CASES]))); // room for every case
    } finally {
      db.close();
    }
    const ok = await s.admin.call('auth.login', { username: 'w0', password: PW });
    collector = s.admin.as(ok.token);
  }, 120_000);
  afterAll(() => {
    s.close();
    removeDir(s.dir);
  });

  it('counts its parts up while it is written, then lists nothing', async () => {
    expect(await s.admin.call('assign.applying', {})).toEqual({ applying: [] });
    const seen: MethodOutput<'assign.applying'>['applying'] = [];
    const logFlags: boolean[] = [];
    let finished = false;
    const applied = s.admin.call('assign.apply', { selection: { lenderId }, rule: 'balanced', pool: { collectorIds: ids } }).finally(() => (finished = true));
    while (!finished) {
      const now = await s.admin.call('assign.applying', {});
      seen.push(...now.applying);
      // The log lists it meanwhile, marked as still being written (its count is the plan's until the end).
      const [logged] = (await s.admin.call('assign.log', { limit: 1 })).assignments;
      if (logged && now.applying.length) logFlags.push(logged.applying);
      await new Promise((r) => setTimeout(r, 10));
    }
    const plan = await applied;
    expect(plan.assigned).toBe(CASES);
    // Seen while under way, more than once, as one assignment: the one the apply then reported.
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen.map((p) => p.assignmentId))).toEqual(new Set([plan.assignmentId]));
    const parts = Math.ceil(CASES / applyTuning.chunk);
    for (const p of seen) {
      expect(p).toMatchObject({ actor: 'admin', actorName: '管理员', rule: 'balanced', moves: CASES, parts });
      expect(p.partsDone).toBeGreaterThanOrEqual(0);
      expect(p.partsDone).toBeLessThan(parts);
    }
    const done = seen.map((p) => p.partsDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(new Set(done).size).toBeGreaterThanOrEqual(2); // seen counting, not only before or after
    expect(done[done.length - 1]).toBeGreaterThan(0);
    expect(await s.admin.call('assign.applying', {})).toEqual({ applying: [] });
    expect(logFlags).toContain(true);
    expect((await s.admin.call('assign.log', { limit: 1 })).assignments[0]).toMatchObject({ id: plan.assignmentId, applying: false, assigned: CASES });
  });

  it('is for managers: a collector is refused', async () => {
    expect((await collector.error('assign.applying', {})).code).toBe('FORBIDDEN');
  });
});
