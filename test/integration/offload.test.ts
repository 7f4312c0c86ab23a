// Heavy methods off the request path (issue 16, core/offload/): a heavy call runs in a worker thread with its
// own connection, so short calls are answered while it runs; its result is the one the request thread gives;
// permission and input are checked before anything reaches a worker; a write that meets another
// connection's lock waits inside the worker instead of being answered BUSY; the audit chain stays whole with
// two connections appending; the collectors' live version moves; a worker that dies answers a clear error
// and the next call works; the workers go when the store locks.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, rawOpen, ADMIN_PASSWORD, type TestStore, type Client } from '../helpers/store.js';
import { createBackend } from '../../core/backend.js';
import { importFile } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { HEAVY_METHODS } from '../../core/offload/heavy.js';
import { contract } from '../../shared/contract/registry.js';

const PW = 'offload pw 123';
const ROWS = Number(process.env.OFFLOAD_TEST_ROWS ?? 5_000);
let s: TestStore;
let files: string;
let lenderId: number;
let batchId: number;
const ids: Record<string, number> = {};
const as: Record<string, Client> = {};

beforeAll(async () => {
  s = await makeStore({ heavyWorkers: Number(process.env.OFFLOAD_TEST_WORKERS ?? 1) });
  files = tempDir('agencydesk-offload-');
  lenderId = (await s.admin.call('lenders.create', { code: 'OFFL', name: '离线' })).id;
  for (const [u, role] of [['c1', 'collector'], ['c2', 'collector'], ['m1', 'manager']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: u.toUpperCase(), role, password: PW })).id;
    as[u] = await login(s.backend, u, PW);
  }
  const file = path.join(files, 'big.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(ROWS, 11)]));
  const job = await importFile(s.admin, lenderId, file);
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  batchId = job.result!.batch!.id;
}, 240_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

/** Starts `heavy`, then sends `short` again and again until `heavy` answers; how many short answers came first. */
async function shortCallsDuring(heavy: Promise<unknown>, short: () => Promise<unknown>): Promise<number> {
  let done = false;
  const finished = heavy.finally(() => (done = true));
  let before = 0;
  while (!done) {
    await short();
    if (!done) before++;
    // Requests arrive as I/O events: let the event loop run (in-process calls resolve in microtasks only).
    await new Promise((r) => setImmediate(r));
  }
  await finished;
  return before;
}

describe('heavy methods in a worker', () => {
  it('lists only methods a worker can run: none needs sessions, jobs or settings of the main thread', () => {
    for (const m of HEAVY_METHODS.keys()) {
      expect(contract[m], m).toBeDefined();
      expect(contract[m].access, m).not.toBe('public');
    }
    for (const m of ['auth.login', 'auth.logout', 'import.start', 'import.status', 'reports.export', 'backup.run', 'settings.update', 'queue.today'] as const) expect(HEAVY_METHODS.has(m), m).toBe(false);
  });

  it('refuses a collector FORBIDDEN and bad input BAD_INPUT before anything reaches a worker', async () => {
    const b = createBackend({ storeDir: s.dir + '-perm', host: 'test', sweepEveryMs: 0, heavyWorkers: 1 });
    try {
      const setup = await b.dispatch('system.setup', { agencyName: '权限', admin: { username: 'admin', displayName: 'A', password: ADMIN_PASSWORD } });
      expect(setup.ok).toBe(true);
      const admin = (setup as { value: { session: { token: string } } }).value.session.token;
      await b.dispatch('users.create', { username: 'cx', displayName: 'CX', role: 'collector', password: PW }, { session: admin });
      const cx = await login(b, 'cx', PW);
      expect(await cx.error('dashboard.get', { from: '2026-01-01', to: '2026-01-31' })).toMatchObject({ code: 'FORBIDDEN' });
      expect(await cx.error('assign.apply', { selection: { lenderId: 1 }, rule: 'balanced' })).toMatchObject({ code: 'FORBIDDEN' });
      // Permission before validation: a collector's malformed call is FORBIDDEN too.
      expect(await cx.error('assign.apply', { nonsense: true })).toMatchObject({ code: 'FORBIDDEN' });
      expect(b.offload!.workers).toHaveLength(0);
      const adminClient = cx.as(admin);
      expect(await adminClient.error('dashboard.get', { from: 'yesterday' })).toMatchObject({ code: 'BAD_INPUT' });
      expect(b.offload!.workers).toHaveLength(0);
      // An allowed, well-formed call is the first to start one.
      await adminClient.call('staff.list', {});
      expect(b.offload!.workers).toHaveLength(1);
    } finally {
      b.close();
      removeDir(s.dir + '-perm');
    }
  }, 60_000);

  it('answers short calls while a heavy read runs (on the request thread none would come first)', async () => {
    const preview = { selection: { batchId }, rule: 'balanced' as const, pool: { collectorIds: [ids.c1!, ids.c2!] } };
    await as.m1!.call('staff.list', {}); // the worker started and warm
    for (const heavy of [() => as.m1!.call('assign.preview', preview), () => as.m1!.call('dashboard.get', {})]) {
      const before = await shortCallsDuring(heavy(), () => as.c1!.call('cases.list', { limit: 20 }));
      expect(before).toBeGreaterThan(0);
    }
  }, 60_000);

  it('waits inside the worker for another connection’s write lock while others are answered, then applies', async () => {
    const liveBefore = (await as.c1!.call('live.version', {})).version;
    const auditBefore = (await s.admin.call('audit.list', { action: 'assign.apply', limit: 5 })).entries.length;
    // Another connection (as an import would) holds the write lock: the heavy write cannot commit yet.
    const other = rawOpen(s.dir, s.recoveryKey);
    other.exec('BEGIN IMMEDIATE');
    let released = false;
    let answeredBeforeRelease = 0;
    // Sent once, not retried as clients retry BUSY: the answer must be the result itself.
    const apply = s.backend.dispatch('assign.apply', { selection: { batchId }, rule: 'balanced', pool: { collectorIds: [ids.c1!, ids.c2!] } }, { session: as.m1!.token }).then((env) => {
      expect(released, `assign.apply answered while the lock was still held: ${JSON.stringify(env)}`).toBe(true);
      return env;
    });
    try {
      // Reads keep being answered on the request thread while the worker waits (bounded loop, not a timer).
      for (let i = 0; i < 20; i++) {
        await as.c1!.call('cases.list', { limit: 10 });
        await as.m1!.call('cases.list', { batchId, limit: 10 });
        answeredBeforeRelease++;
      }
    } finally {
      released = true;
      other.exec('COMMIT');
      other.close();
    }
    expect(answeredBeforeRelease).toBe(20);
    const env = await apply;
    expect(env.ok, JSON.stringify(env)).toBe(true); // not BUSY: the worker waited and retried
    const plan = (env as { value: { assigned: number; assignmentId: number | null } }).value;
    expect(plan.assigned).toBeGreaterThan(0); // up to the collectors' capacity
    expect(plan.assignmentId).not.toBeNull();
    // What it wrote is what the request thread reads, and the collectors' screens see it move.
    expect((await as.c1!.call('live.version', {})).version).not.toBe(liveBefore);
    const c1 = (await as.c1!.call('cases.list', { limit: 1 })).total;
    const c2 = (await as.c2!.call('cases.list', { limit: 1 })).total;
    expect(c1 + c2).toBe(plan.assigned);
    expect((await s.admin.call('audit.list', { action: 'assign.apply', limit: 5 })).entries.length).toBe(auditBefore + 1);
  }, 120_000);

  it('keeps one audit chain while the worker and the request thread append at the same time', async () => {
    const { rows } = await as.c1!.call('cases.list', { limit: 30 });
    const viewsBefore = (await s.admin.call('audit.list', { action: 'cases.view', limit: 500 })).entries.length;
    // The worker moves cases (assign.apply) while the request thread opens cases (each appends cases.view;
    // while the worker holds the write lock they are answered BUSY and sent again, as clients do).
    const heavy = as.m1!.call('assign.apply', { selection: { batchId }, rule: 'round_robin', pool: { collectorIds: [ids.c1!, ids.c2!] } });
    let views = 0;
    await shortCallsDuring(heavy, async () => {
      for (const r of rows.slice(0, 5)) {
        if (views >= 400) return; // within one page of the audit list
        await as.m1!.call('cases.get', { id: r.id });
        views++;
      }
    });
    expect(views).toBeGreaterThan(0);
    const log = await s.admin.call('audit.list', { action: 'cases.view', limit: 500 });
    expect(log.entries.length).toBe(viewsBefore + views);
    const v = await s.admin.call('audit.verify', {}); // itself a heavy method: run by the worker
    expect(v.ok).toBe(true);
    expect(v.brokenAt).toBeNull();
  }, 120_000);

  it('answers a clear error when its worker dies, and the next call works', async () => {
    await as.m1!.call('staff.list', {});
    const [worker] = s.backend.offload!.workers;
    expect(worker).toBeDefined();
    const dying = s.backend.dispatch('assign.preview', { selection: { batchId }, rule: 'balanced', pool: { collectorIds: [ids.c1!] } }, { session: as.m1!.token });
    await worker!.terminate(); // as a crash: the thread is gone mid-call
    const env = await dying;
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.code).toBe('INTERNAL');
      expect(env.error.message).toMatch(/background worker.*stopped unexpectedly/);
    }
    const again = await as.m1!.call('assign.preview', { selection: { batchId }, rule: 'balanced', pool: { collectorIds: [ids.c1!] } });
    expect(again.selected).toBe(ROWS);
    expect(s.backend.offload!.workers).toHaveLength(1);
    expect(s.backend.offload!.workers[0]).not.toBe(worker);
  }, 60_000);
});

describe('the same answers as the request thread', () => {
  it('dashboard, assignment preview, staff, compliance and audit verify match a backend without workers', async () => {
    const month = { from: '2026-01-01', to: '2026-12-31' };
    const calls: [string, Record<string, unknown>][] = [
      ['dashboard.get', {}],
      ['dashboard.get', { lenderId }],
      ['assign.preview', { selection: { batchId }, rule: 'balanced', pool: { collectorIds: [ids.c1!, ids.c2!] } }],
      ['staff.list', {}],
      ['compliance.report', month],
      ['commission.statement', { lenderId, month: '2026-12' }],
    ];
    const answers = async (who: Client) => {
      const out: unknown[] = [];
      for (const [m, input] of calls) {
        const env = await who.backend.dispatch(m, input, { session: who.token });
        expect(env.ok, `${m}: ${JSON.stringify(env)}`).toBe(true);
        // Timing is the only figure that may differ.
        out.push(JSON.parse(JSON.stringify((env as { value: unknown }).value), (k, v: unknown) => (k === 'tookMs' ? 0 : v)));
      }
      return out;
    };
    const inWorker = await answers(s.admin);
    expect(s.backend.offload!.workers.length).toBeGreaterThan(0);
    // The same store through a backend that runs everything on its request thread.
    s.close();
    const plain = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, heavyWorkers: 0 });
    try {
      expect(plain.offload).toBeNull();
      const admin = await login(plain, 'admin', ADMIN_PASSWORD);
      expect(await answers(admin)).toEqual(inWorker);
    } finally {
      plain.close();
    }
    // Back to a backend with workers for afterAll.
    s.backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, heavyWorkers: 1 });
    s.close = () => s.backend.close();
  }, 120_000);

  it('stops its workers when the store locks (they hold the key)', async () => {
    const admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
    await admin.call('staff.list', {});
    expect(s.backend.offload!.workers).toHaveLength(1);
    await admin.call('auth.logout', {});
    // The last session ended: the store locked and the pool stopped.
    await new Promise((r) => setTimeout(r, 50));
    expect(s.backend.offload!.workers).toHaveLength(0);
    expect(await admin.error('staff.list', {})).toMatchObject({ code: 'UNAUTHENTICATED' });
  }, 60_000);
});
