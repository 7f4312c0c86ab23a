// Collectors' own reads (queue.today, cases.list) answered by the team server's reader pool, a worker thread with
// its own connection (core/offload/heavy.ts READER_METHODS): the same answers as on the request thread, each
// collector still only their own cases, a manager's view unchanged, permission checked before any worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../core/backend.js';
import { login, makeStore, removeDir, tempDir, type Client, type TestStore } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

const PW = 'reader pw 123';
let s: TestStore;
let files: string;
const ids: Record<string, number> = {};

beforeAll(async () => {
  s = await makeStore({ readerWorkers: 1, heavyWorkers: 0 });
  files = tempDir('agencydesk-readers-');
  const lenderId = (await s.admin.call('lenders.create', { code: 'READ', name: '读取' })).id;
  for (const [u, role] of [['r1', 'collector'], ['r2', 'collector'], ['rm', 'manager']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: u.toUpperCase(), role, password: PW })).id;
  }
  const file = path.join(files, 'placement.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(300, 21)]));
  const job = await importFile(s.admin, lenderId, file);
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  const batchId = job.result!.batch!.id;
  // 200 of the 300 cases to the two collectors; the rest stay in the pool.
  const cases = (await s.admin.call('cases.list', { batchId, limit: 300, sort: 'id' })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: cases.slice(0, 120), collectorId: ids.r1! });
  await s.admin.call('assign.manual', { caseIds: cases.slice(120, 200), collectorId: ids.r2! });
}, 240_000);
let closed = false;
afterAll(() => {
  if (!closed) s.close();
  removeDir(s.dir);
  removeDir(files);
});

const CALLS: [string, Record<string, unknown>][] = [
  ['queue.today', { limit: 50 }],
  ['cases.list', { limit: 50 }],
  ['cases.list', { limit: 50, offset: 50, sort: 'caseNo' }],
  ['cases.list', { limit: 20, desc: false }],
  // Asking for another collector's cases: a collector is answered with their own, whatever they ask.
  ['cases.list', { limit: 50, collectorIdOther: true }],
];

async function answers(who: Client, other: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const [m, raw] of CALLS) {
    const { collectorIdOther, ...input } = raw as Record<string, unknown> & { collectorIdOther?: boolean };
    const env = await who.backend.dispatch(m, collectorIdOther ? { ...input, collectorId: other } : input, { session: who.token });
    expect(env.ok, `${m}: ${JSON.stringify(env)}`).toBe(true);
    out.push((env as { value: unknown }).value);
  }
  return out;
}

describe('the reader pool', () => {
  it('answers collectors exactly as the request thread does, each with their own cases only', async () => {
    const r1 = await login(s.backend, 'r1', PW);
    const r2 = await login(s.backend, 'r2', PW);
    const rm = await login(s.backend, 'rm', PW);
    const viaReaders = [await answers(r1, ids.r2!), await answers(r2, ids.r1!)];
    const managerList = await rm.call('cases.list', { collectorId: ids.r1!, limit: 200 });
    expect(s.backend.readers!.workers.length, 'no call went to the reader pool').toBeGreaterThan(0);
    // Each collector saw only their own cases.
    const r1List = viaReaders[0]![1] as { total: number; rows: { collector: string | null }[] };
    expect(r1List.total).toBe(120);
    expect(new Set(r1List.rows.map((r) => r.collector))).toEqual(new Set(['r1']));
    expect((viaReaders[1]![4] as { total: number }).total).toBe(80);
    expect(managerList.total).toBe(120);
    // A collector asking for another's queue is refused before any worker.
    const refused = await s.backend.dispatch('queue.today', { collectorId: ids.r2!, limit: 5 }, { session: r1.token });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // The same store through a backend that answers everything on its request thread.
    s.close();
    closed = true;
    const plain = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, heavyWorkers: 0, readerWorkers: 0 });
    try {
      expect(plain.readers).toBeNull();
      const p1 = await login(plain, 'r1', PW);
      const p2 = await login(plain, 'r2', PW);
      expect([await answers(p1, ids.r2!), await answers(p2, ids.r1!)]).toEqual(viaReaders);
    } finally {
      plain.close();
    }
  }, 120_000);
});
