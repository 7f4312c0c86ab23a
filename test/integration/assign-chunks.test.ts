// A large assign.apply writes its moves in chunks, each its own short transaction (core/assignment/apply.ts, issue
// 16): other writers commit between two chunks — proved by order, not timing: a write on another connection sees
// part of the assignment's moves and not the rest, and a collector's "viewed" entry lands before the assignment's
// audit entry although it was sent after the first chunk committed. A second assign.apply sent meanwhile is
// answered BUSY (it waits for the first and then plans over the workloads that one left), never interleaved.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeStore, removeDir, rawOpen, type TestStore } from '../helpers/store.js';
import { seedCases, seedProfiles } from '../helpers/assign-seed.js';
import type { Db } from '../../db/open.js';

const N = Number(process.env.ASSIGN_CHUNK_ROWS ?? 30_000);
const PW = 'chunks pw 123';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a large assign.apply lets other writers in between its chunks', () => {
  let s: TestStore;
  let db: Db;
  let batchId: number;
  let viewer: number;
  const c: number[] = [];

  beforeAll(async () => {
    // Two workers, as on the server: a second heavy call is not queued behind the first.
    s = await makeStore({ heavyWorkers: 2 });
    const lenderId = (await s.admin.call('lenders.create', { code: 'CHNK', name: '分段' })).id;
    for (const u of ['k1', 'k2', 'k3']) c.push((await s.admin.call('users.create', { username: u, displayName: u, role: 'collector', password: PW })).id);
    db = rawOpen(s.dir, s.recoveryKey);
    db.pragma('busy_timeout = 5000');
    seedProfiles(db, Object.fromEntries(c.map((id) => [id, N])));
    batchId = seedCases(db, lenderId, N, 7).batchId;
    viewer = (db.prepare('SELECT id FROM cases WHERE batch_id = ? LIMIT 1').get(batchId) as { id: number }).id;
  }, 240_000);
  afterAll(() => {
    db?.close();
    s.close();
    removeDir(s.dir);
  });

  const moved = () => (db.prepare('SELECT count(*) AS n FROM case_assignments WHERE collector_id IS NOT NULL').get() as { n: number }).n;

  it('commits a write on another connection, and a collector call, between two chunks; a second apply is answered BUSY', async () => {
    await Promise.all([s.admin.call('staff.list', {}), s.admin.call('staff.list', {})]); // both workers started and warm
    let done = false;
    const apply = s.admin.call('assign.apply', { selection: { batchId, unassignedOnly: true }, rule: 'balanced', pool: { collectorIds: c } }).finally(() => (done = true));
    // Wait until part of it is written (each read sees only committed chunks).
    let seen = 0;
    while (!done && (seen = moved()) === 0) await sleep(2);
    expect(done, 'the apply finished before any of its moves was seen: it was not written in parts').toBe(false);
    // A second assignment while the first is being written: BUSY, with the reason, and nothing of it written.
    const secondCall = s.backend.dispatch('assign.apply', { selection: { batchId }, rule: 'round_robin', pool: { collectorIds: [c[0]!] } }, { session: s.admin.token });
    // A short IMMEDIATE write that records, in its own transaction, how much of the assignment it saw.
    const atProbe = db.transaction(() => {
      const n = moved();
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('test_probe', ?)").run(String(n));
      return n;
    }).immediate();
    // A collector-side call (its "viewed" audit entry is an IMMEDIATE write), sent once: not BUSY.
    const viewed = await s.backend.dispatch('cases.get', { id: viewer }, { session: s.admin.token });
    expect(viewed.ok, JSON.stringify(viewed)).toBe(true);
    const second = await secondCall;
    const stillApplying = !done;
    const plan = await apply;

    expect(plan).toMatchObject({ selected: N, assigned: N, skipped: 0 });
    expect(atProbe).toBeGreaterThan(0);
    expect(atProbe).toBeLessThan(N); // the probe committed between two chunks
    expect(seen).toBeLessThan(N);
    expect(moved()).toBe(N);
    if (stillApplying) {
      expect(second.ok).toBe(false);
      if (!second.ok) {
        expect(second.error.code).toBe('BUSY');
        expect(second.error.message).toContain('is still being written');
      }
    }
    // The collector's "viewed" entry was appended before the assignment's one entry (written with its last chunk).
    const seqOf = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { seq: number }).seq;
    const viewedSeq = seqOf("SELECT max(seq) AS seq FROM audit_log WHERE action = 'cases.view' AND entity_id = ?", String(viewer));
    const entries = db.prepare("SELECT seq FROM audit_log WHERE action = 'assign.apply' AND entity_id = ?").all(String(plan.assignmentId)) as { seq: number }[];
    expect(entries).toHaveLength(1);
    expect(viewedSeq).toBeLessThan(entries[0]!.seq);
    expect(db.prepare('SELECT audit_seq FROM assignments WHERE id = ?').get(plan.assignmentId)).toEqual({ audit_seq: entries[0]!.seq });
    expect(db.prepare('SELECT count(*) AS n FROM assignment_moves WHERE assignment_id = ?').get(plan.assignmentId)).toEqual({ n: N });
    expect(db.prepare('SELECT (SELECT count(*) FROM assignment_pending) + (SELECT count(*) FROM assignment_pending_moves) AS n').get()).toEqual({ n: 0 });
    expect(stillApplying, 'the second apply was answered while the first was still being written').toBe(true);
  }, 240_000);

  it('a second apply sent again after BUSY (as clients do) plans over the workloads the first one left', async () => {
    // All N cases are held now; round robin onto k1 alone moves the others' cases: the plan saw them held.
    let done = false;
    const apply = s.admin.call('assign.apply', { selection: { batchId }, rule: 'round_robin', pool: { collectorIds: [c[0]!] } }).finally(() => (done = true));
    // Meanwhile a collector-side write, again and again, sent once each: answered, never BUSY (timings logged only).
    const ms: number[] = [];
    while (!done) {
      const t = performance.now();
      const env = await s.backend.dispatch('cases.get', { id: viewer }, { session: s.admin.token });
      ms.push(performance.now() - t);
      expect(env.ok, JSON.stringify(env)).toBe(true);
      await sleep(10);
    }
    const r = await apply;
    ms.sort((a, b) => a - b);
    console.log(`assign-chunks: cases.get during a ${r.assigned}-move apply: ${ms.length} calls, median ${Math.round(ms[ms.length >> 1] ?? 0)} ms, max ${Math.round(ms[ms.length - 1] ?? 0)} ms`);
    const k1Had = (db.prepare('SELECT count(*) AS n FROM assignment_moves m JOIN assignments a ON a.id = m.assignment_id WHERE m.to_collector = ? AND a.id < ?').get(c[0]!, r.assignmentId) as { n: number }).n;
    expect(r.unchanged).toBe(k1Had);
    expect(r.assigned).toBe(N - k1Had);
    expect(moved()).toBe(N);
    expect(db.prepare('SELECT count(*) AS n FROM case_assignments WHERE collector_id = ?').get(c[0]!)).toEqual({ n: N });
    const check = await s.admin.call('system.check', {});
    expect(check).toMatchObject({ integrityOk: true, audit: { ok: true }, refs: { ok: true } });
  }, 240_000);
});
