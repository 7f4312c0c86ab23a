// Nobody waits for somebody else's big job: while a bulk import holds the store's write lock, a short write
// on the request path is answered BUSY at once (the backend's connection waits REQUEST_BUSY_MS, not 5 s),
// nothing of it is written, other calls keep being answered, and the same call succeeds when retried
// after the import — never INTERNAL, never lost.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir } from '../helpers/store.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';
import { waitJob } from '../helpers/import.js';
import { REQUEST_BUSY_MS } from '../../core/store-handle.js';

describe('writes during a bulk import', () => {
  it('are answered BUSY quickly, write nothing, and succeed when retried', async () => {
    const s = await makeStore();
    try {
      const lender = await s.admin.call('lenders.create', { code: 'BULK', name: '大批量' });
      const file = path.join(s.dir, 'big.csv');
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(120_000, 7)]));
      const { jobId } = await s.admin.call('import.start', { lenderId: lender.id, file: { path: file } });
      // Try a short write until one meets the import's lock (it holds it from its first batch to COMMIT).
      let busy: { ms: number; error: { code: string; retryAfterSeconds?: number } } | null = null;
      let n = 0;
      for (const until = Date.now() + 60_000; !busy && Date.now() < until; n++) {
        const t0 = performance.now();
        const env = await s.backend.dispatch('teams.create', { name: `班组${n}` }, { session: s.admin.token });
        const ms = performance.now() - t0;
        if (!env.ok) {
          expect(env.error.code).toBe('BUSY');
          busy = { ms, error: env.error };
          // Meanwhile reads are answered (WAL readers never wait for the writer).
          const r = await s.backend.dispatch('teams.list', {}, { session: s.admin.token });
          expect(r.ok).toBe(true);
          // The refused write left nothing behind.
          expect((r as { value: { teams: { name: string }[] } }).value.teams.some((t) => t.name === `班组${n}`)).toBe(false);
        } else if ((await s.admin.call('import.status', { jobId })).state !== 'running') break;
        else await new Promise((r) => setTimeout(r, 20));
      }
      expect(busy, 'no write met the import’s lock (the import was too quick to test against)').not.toBeNull();
      expect(busy!.error.retryAfterSeconds).toBeGreaterThan(0);
      // It gave up after about the short busy timeout, not SQLite's 5 s.
      expect(busy!.ms).toBeLessThan(REQUEST_BUSY_MS + 1_500);
      const job = await waitJob(s.admin, jobId);
      expect(job.state).toBe('done');
      // The client's retry (test Client retries BUSY like every real one) then succeeds.
      const team = await s.admin.call('teams.create', { name: '重试后' });
      expect(team.name).toBe('重试后');
    } finally {
      s.close();
      removeDir(s.dir);
    }
  }, 240_000);
});
