// An import's job is done at its COMMIT, but its worker goes on writing the batch's search rows with its own
// connection and its own copy of the key (core/import/pipeline.ts). When the backend shuts down (or the store
// locks), that worker is stopped too: nothing writes to the store after the backend said it closed, and the
// rows it did not write stay owed (the next writer completes them: search-chunks.test.ts).
import { describe, it, expect } from 'vitest';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, rawOpen } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { storeFiles } from '../../db/paths.js';

const ROWS = 20_000; // twenty short search transactions, each followed by a pause: well over a second of writing

describe('shutting down right after an import is done', () => {
  it('stops the worker still writing search rows; the store files do not change afterwards', async () => {
    const files = tempDir('agencydesk-import-stop-');
    const s = await makeStore({ heavyWorkers: 0 });
    try {
      const lenderId = (await s.admin.call('lenders.create', { code: 'STOP', name: '停止' })).id;
      const file = path.join(files, 'p.csv');
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(ROWS, 9)]));
      const job = await importFile(s.admin, lenderId, file);
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      await s.backend.shutdown();

      const f = storeFiles(s.dir);
      const sizes = () => [f.db, `${f.db}-wal`].map((p) => {
        try {
          const st = statSync(p);
          return `${st.size}@${st.mtimeMs}`;
        } catch {
          return 'absent';
        }
      });
      const before = sizes();
      await new Promise((r) => setTimeout(r, 1500));
      expect(sizes()).toEqual(before);
      const db = rawOpen(s.dir, s.recoveryKey);
      try {
        // The batch's search rows were not all written: the worker was stopped, not left running.
        expect((db.prepare('SELECT count(*) AS n FROM case_search_pending').get() as { n: number }).n).toBe(1);
        expect((db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n).toBe(ROWS);
      } finally {
        db.close();
      }
    } finally {
      s.close();
      removeDir(s.dir);
      removeDir(files);
    }
  }, 180_000);
});
