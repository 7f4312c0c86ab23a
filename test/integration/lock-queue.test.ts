// A call that meets another connection's write lock is queued by the backend and tried again with timers: the
// request thread never sleeps in SQLite's busy handler, so other users' calls are answered meanwhile, and the
// queued write commits as soon as the lock is free — or, after LOCK_QUEUE_MS, is answered BUSY having written
// nothing (clients retry it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_QUEUE_MS } from '../../core/backend.js';
import { makeStore, rawOpen, removeDir, type TestStore } from '../helpers/store.js';

describe('writes meeting another connection’s write lock', () => {
  let s: TestStore;
  beforeAll(async () => {
    s = await makeStore();
  });
  afterAll(() => {
    s.close();
    removeDir(s.dir);
  });

  const teams = async () => (await s.admin.call('teams.list', {})).teams.map((t) => t.name);

  it('are queued without holding up other calls, and commit once the lock is released', async () => {
    const other = rawOpen(s.dir, s.recoveryKey);
    other.exec('BEGIN IMMEDIATE');
    let released = false;
    let readsWhileQueued = 0;
    // Sent once through dispatch (no client retry): the answer must be the result itself.
    const write = s.backend.dispatch('teams.create', { name: '排队写入' }, { session: s.admin.token }).then((env) => ({ env, released }));
    try {
      // Reads go on being answered while the write waits (a sleeping busy handler would block them all).
      for (let i = 0; i < 10; i++) {
        expect(await teams()).not.toContain('排队写入');
        readsWhileQueued++;
      }
    } finally {
      released = true;
      other.exec('COMMIT');
      other.close();
    }
    expect(readsWhileQueued).toBe(10);
    const { env, released: whenAnswered } = await write;
    expect(whenAnswered, `answered while the lock was held: ${JSON.stringify(env)}`).toBe(true);
    expect(env.ok, JSON.stringify(env)).toBe(true);
    expect(await teams()).toContain('排队写入');
  });

  it('are answered BUSY with a retry-after when the lock outlasts the queue, having written nothing', async () => {
    const other = rawOpen(s.dir, s.recoveryKey);
    other.exec('BEGIN IMMEDIATE');
    try {
      const t0 = performance.now();
      const env = await s.backend.dispatch('teams.create', { name: '未写入' }, { session: s.admin.token });
      const waited = performance.now() - t0;
      expect(env.ok).toBe(false);
      const error = (env as { error: { code: string; retryAfterSeconds?: number } }).error;
      expect(error.code).toBe('BUSY');
      expect(error.retryAfterSeconds).toBeGreaterThan(0);
      // It was queued, not refused at once (and not held forever).
      expect(waited).toBeGreaterThanOrEqual(LOCK_QUEUE_MS * 0.5);
      console.log(`queued ${waited.toFixed(0)} ms before BUSY (LOCK_QUEUE_MS ${LOCK_QUEUE_MS})`);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await teams()).not.toContain('未写入');
  });
});
