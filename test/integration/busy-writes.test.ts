// Nobody waits for somebody else's big job: while a bulk import holds the store's write lock, a short write
// on the request path is queued by the backend (tried again with timers, never by sleeping on the request
// thread), other calls keep being answered meanwhile, and the write either commits once the import has or,
// after LOCK_QUEUE_MS, is answered BUSY having written nothing — and then succeeds when the client retries.
// Never INTERNAL, never lost.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir } from '../helpers/store.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';
import { waitJob } from '../helpers/import.js';
import { LOCK_QUEUE_MS } from '../../core/backend.js';

describe('writes during a bulk import', () => {
  it('are queued while reads go on, then commit or answer BUSY having written nothing', async () => {
    const s = await makeStore();
    try {
      const lender = await s.admin.call('lenders.create', { code: 'BULK', name: '大批量' });
      const file = path.join(s.dir, 'big.csv');
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(120_000, 7)]));
      const { jobId } = await s.admin.call('import.start', { lenderId: lender.id, file: { path: file } });
      // Try a short write until one meets the import's lock (it holds it from its first batch to COMMIT): one
      // that takes longer than a lone write does, while reads were answered during it.
      let met: { ms: number; ok: boolean; error?: { code: string; retryAfterSeconds?: number }; reads: number; name: string } | null = null;
      for (let n = 0, until = Date.now() + 60_000; !met && Date.now() < until; n++) {
        const name = `班组${n}`;
        let done = false;
        const t0 = performance.now();
        const write = s.backend.dispatch('teams.create', { name }, { session: s.admin.token }).finally(() => (done = true));
        let reads = 0;
        while (!done) {
          const r = await s.backend.dispatch('teams.list', {}, { session: s.admin.token });
          expect(r.ok).toBe(true);
          if (!done) reads++;
          // As between a server's requests: timers (the queued write's next try) get their turn.
          await new Promise((r) => setImmediate(r));
        }
        const env = await write;
        const ms = performance.now() - t0;
        if (reads >= 3) met = { ms, ok: env.ok, reads, name, ...(env.ok ? {} : { error: env.error }) };
        else if ((await s.admin.call('import.status', { jobId })).state !== 'running') break;
        else await new Promise((r) => setTimeout(r, 20));
      }
      expect(met, 'no write met the import’s lock (the import was too quick to test against)').not.toBeNull();
      console.log(`a write met the import's lock: ${met!.ok ? 'committed' : met!.error!.code} after ${met!.ms.toFixed(0)} ms, ${met!.reads} reads answered meanwhile`);
      const names = (await s.admin.call('teams.list', {})).teams.map((t) => t.name);
      if (met!.ok) expect(names).toContain(met!.name);
      else {
        expect(met!.error!.code).toBe('BUSY');
        expect(met!.error!.retryAfterSeconds).toBeGreaterThan(0);
        expect(met!.ms).toBeGreaterThanOrEqual(LOCK_QUEUE_MS * 0.5);
        // The refused write left nothing behind.
        expect(names).not.toContain(met!.name);
      }
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
