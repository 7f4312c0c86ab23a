// While a worker writes, the request connection does not copy the WAL into the database file at its commits
// (SQLite's automatic checkpoint would do it on the thread that answers every user: seconds after a large import
// or assignment); it goes on doing so once no worker writes. Observed through the database file, which grows only
// when a checkpoint copies new pages into it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { storeFiles } from '../../db/paths.js';
import { makeStore, rawOpen, removeDir, type TestStore } from '../helpers/store.js';

describe('checkpoints while a worker writes', () => {
  let s: TestStore;
  beforeAll(async () => {
    s = await makeStore({ heavyWorkers: 1 });
  });
  afterAll(() => {
    s.close();
    removeDir(s.dir);
  });

  const fileSize = () => statSync(storeFiles(s.dir).db).size;

  it('are left to the worker, then done by the request connection again', async () => {
    await s.admin.call('teams.list', {});
    // Another connection (as a worker's) commits 8 MB of new pages without checkpointing them.
    const other = rawOpen(s.dir, s.recoveryKey);
    other.pragma('wal_autocheckpoint = 0');
    other.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('test_ballast', ?)").run('x'.repeat(8 * 2 ** 20));
    other.close();
    const before = fileSize();
    // A heavy call is running in the offload pool (as an assignment being written would be).
    const pool = s.backend.offload!;
    Object.defineProperty(pool, 'busy', { configurable: true, get: () => 1 });
    try {
      await s.admin.call('teams.create', { name: '写入一' });
      await s.admin.call('teams.create', { name: '写入二' });
      expect(fileSize(), 'the request connection checkpointed while a worker was writing').toBe(before);
    } finally {
      delete (pool as unknown as Record<string, unknown>).busy;
    }
    // No worker writes any more: the request connection's commits checkpoint again.
    await s.admin.call('teams.create', { name: '写入三' });
    await s.admin.call('teams.create', { name: '写入四' });
    expect(fileSize()).toBeGreaterThan(before + 4 * 2 ** 20);
  });
});
