// kill -9 while a large assignment is written in chunks (issue 16, core/assignment/apply.ts): a child applies a
// balanced assignment of every case (alternating between two groups of collectors, so each run moves them all)
// and is killed at a random moment, ≥ 10 times on the same store (KILL_RUNS=N for more). After each kill the store
// is opened by a backend — which finishes an interrupted assignment — and then: either the assignment never
// happened (killed before its plan was attached: every holder as before) or every planned case is held as planned,
// each moved once by it (assignment_moves), one audit entry naming the row and the row naming it, `assigned` the
// planned count; no stored plan is left; integrity, the audit chain and the row ↔ entry references hold.
import { bundleChild } from '../helpers/bundle-child.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ADMIN_PASSWORD, makeStore, removeDir, login, rawOpen, type TestStore } from '../helpers/store.js';
import { holders, seedCases, seedProfiles } from '../helpers/assign-seed.js';
import { createBackend } from '../../core/backend.js';
import { repos } from '../../db/repos/index.js';
import { auditRepo } from '../../db/repos/audit.js';
import { checkAuditRefs } from '../../db/repos/audit-refs.js';
import { computePlan } from '../../core/assignment/engine.js';

const CHILD_DIR = path.resolve('test-results/assign-kill-child');
const CHILD = path.join(CHILD_DIR, 'assign-child.mjs');
const KILLS = Number(process.env.KILL_RUNS ?? 10);
const N = Number(process.env.ASSIGN_KILL_ROWS ?? 20_000);
const CHUNK = 500; // 40 stored rows, one per write transaction (lockMs 0): most kills land between two of them
let s: TestStore;
let lenderId: number;
const groups: number[][] = [[], []];

beforeAll(async () => {
  await bundleChild('assign-child', 'test/helpers/assign-child.ts', CHILD_DIR);
  s = await makeStore();
  lenderId = (await s.admin.call('lenders.create', { code: 'AK', name: '分案' })).id;
  for (const [i, u] of ['k1', 'k2', 'k3', 'k4', 'k5'].entries()) {
    groups[i < 3 ? 0 : 1]!.push((await s.admin.call('users.create', { username: u, displayName: u, role: 'collector', password: 'kill pw 1234' })).id);
  }
  s.close();
  const db = rawOpen(s.dir, s.recoveryKey);
  try {
    seedProfiles(db, Object.fromEntries([...groups[0]!, ...groups[1]!].map((id) => [id, N])));
    seedCases(db, lenderId, N, 11);
  } finally {
    db.close();
  }
}, 240_000);
afterAll(() => {
  if (s) removeDir(s.dir);
  removeDir(CHILD_DIR);
});

async function runChild(pool: number[], killAfterMs: number | null): Promise<{ acked: { id: number; assigned: number } | null; ms: number; err: string }> {
  const child = spawn(process.execPath, [CHILD, s.dir, String(lenderId), pool.join(','), String(CHUNK), '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let buf = '';
  let err = '';
  let acked: { id: number; assigned: number } | null = null;
  let started = 0;
  let ms = 0;
  let timer: NodeJS.Timeout | undefined;
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  child.stdout.on('data', (b: Buffer) => {
    buf += b.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const w = buf.slice(0, nl).split(' ');
      buf = buf.slice(nl + 1);
      if (w[0] === 'started') {
        started = performance.now();
        if (killAfterMs !== null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      } else if (w[0] === 'A') {
        ms = performance.now() - started;
        acked = { id: Number(w[1]), assigned: Number(w[2]) };
      }
    }
  });
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  clearTimeout(timer);
  if (child.signalCode !== 'SIGKILL') expect(code, err).toBe(0);
  return { acked, ms, err };
}

/** Opens the store as the app does (finishing an interrupted assignment), then closes it again. */
async function reopen(): Promise<void> {
  const backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, heavyWorkers: 0 });
  try {
    await login(backend, 'admin', ADMIN_PASSWORD);
  } finally {
    backend.close();
  }
}

describe('kill -9 while a large assignment is written in chunks', () => {
  it(`finishes it exactly once when the store next opens, or it never happened (${KILLS} kills)`, async () => {
    const figures = { kills: 0, neverHappened: 0, resumed: 0, finishedBeforeKill: 0, applyMs: 0 };
    let duration = 0;
    let holding = 1; // the group that holds the cases now: each run moves them to the other
    for (let run = 0; figures.kills < KILLS && run < KILLS * 3; run++) {
      const pool = groups[1 - holding]!;
      // What the child will plan, from the same state (the planner is deterministic), and the holders now.
      const db0 = rawOpen(s.dir, s.recoveryKey);
      let before: Map<number, number | null>;
      let planned: Map<number, number | null>;
      let lastBefore: number;
      try {
        before = holders(db0);
        const { changes } = computePlan(repos(db0), { selection: { lenderId, unassignedOnly: false }, rule: 'balanced', pool: { teamIds: [], collectorIds: pool }, keepBorrower: true });
        planned = new Map(changes.map((c) => [c.caseId, c.to]));
        lastBefore = (db0.prepare('SELECT coalesce(max(id), 0) AS id FROM assignments').get() as { id: number }).id;
      } finally {
        db0.close();
      }
      expect(planned.size, `run ${run}`).toBeGreaterThan(N / 3);
      // The first run is not killed: it measures how long an apply takes; the others are killed within that.
      const killAt = run === 0 ? null : Math.random() * duration;
      const { acked, ms } = await runChild(pool, killAt);
      if (run === 0) {
        duration = figures.applyMs = Math.round(ms);
        expect(acked).not.toBeNull();
      }
      if (acked === null) figures.kills++;
      await reopen();

      const db = rawOpen(s.dir, s.recoveryKey);
      try {
        const msg = `run ${run} (kill at ${killAt === null ? '-' : Math.round(killAt)} ms)`;
        expect(db.prepare('SELECT (SELECT count(*) FROM assignment_pending) + (SELECT count(*) FROM assignment_pending_moves) AS n').get(), msg).toEqual({ n: 0 });
        const rows = db.prepare('SELECT id, assigned, audit_seq FROM assignments WHERE id > ?').all(lastBefore) as { id: number; assigned: number; audit_seq: number }[];
        const after = holders(db);
        if (rows.length === 0) {
          expect(acked, msg).toBeNull();
          expect([...after].filter(([id, h]) => before.get(id) !== h), msg).toEqual([]);
          figures.neverHappened++;
        } else {
          expect(rows, msg).toHaveLength(1);
          const row = rows[0]!;
          holding = 1 - holding;
          if (acked) expect(acked, msg).toEqual({ id: row.id, assigned: planned.size });
          // Every planned case held as planned; every other case as before.
          const wrong = [...after].filter(([id, h]) => (planned.has(id) ? planned.get(id) : before.get(id)) !== h);
          expect(wrong.slice(0, 5), `${msg}: ${wrong.length} cases not as planned`).toEqual([]);
          // Each planned case moved once by it, nothing else moved by it.
          expect(db.prepare('SELECT count(*) AS n FROM assignment_moves WHERE assignment_id = ?').get(row.id), msg).toEqual({ n: planned.size });
          expect(row.assigned, msg).toBe(planned.size);
          const entries = db.prepare("SELECT seq, action, detail FROM audit_log WHERE entity = 'assignment' AND entity_id = ?").all(String(row.id)) as { seq: number; action: string; detail: string }[];
          expect(entries, msg).toHaveLength(1);
          expect(entries[0]!.seq, msg).toBe(row.audit_seq);
          const detail = JSON.parse(entries[0]!.detail) as { assigned: number; skipped: number; resumed?: boolean };
          expect({ action: entries[0]!.action, assigned: detail.assigned, skipped: detail.skipped }, msg).toEqual({ action: 'assign.apply', assigned: planned.size, skipped: 0 });
          // Finished by the next opening (marked), or by the child itself (killed after its last commit, or not killed).
          if (detail.resumed) {
            expect(acked, msg).toBeNull();
            figures.resumed++;
          } else if (acked === null) figures.finishedBeforeKill++;
        }
        expect(db.pragma('integrity_check', { simple: true }), msg).toBe('ok');
        expect(auditRepo(db).verify().ok, msg).toBe(true);
        expect(checkAuditRefs(db).problems, msg).toEqual([]);
      } finally {
        db.close();
      }
    }
    console.log(`assign-kill: ${JSON.stringify(figures)}`);
    expect(figures.kills).toBeGreaterThanOrEqual(KILLS);
    expect(figures.resumed, 'some kills landed between two chunks').toBeGreaterThan(0);
    // The whole check as the app runs it.
    const backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0 });
    try {
      const r = await (await login(backend, 'admin', ADMIN_PASSWORD)).call('system.check', {});
      expect(r).toMatchObject({ integrityOk: true, audit: { ok: true }, refs: { ok: true } });
    } finally {
      backend.close();
    }
  }, 240_000 + KILLS * 20_000);
});
