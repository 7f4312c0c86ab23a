// The search rows an import owes after its COMMIT are written a few thousand cases per short transaction
// (db/repos/case-search.ts, issue 16), not in one transaction that held the write lock for seconds: each
// transaction records the batch's progress with its rows, so a writer killed -9 between two of them leaves the
// rest owed and the next writer goes on from there; the result is the rows a one-shot write gives.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeStore, removeDir, tempDir, rawOpen, type TestStore } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { caseSearchInsert } from '../../db/migrations/014_search_calltimes.js';
import { writePendingCaseSearch, SEARCH_CHUNK_CASES } from '../../db/repos/case-search.js';

const ROWS = 3_000;
const CHILD = fileURLToPath(new URL('../helpers/search-writer-child.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Row = { k: number; term: string; full: string };

describe('search rows in short transactions', () => {
  let s: TestStore;
  let files: string;
  let batchId: number;
  let range: { lo: number; hi: number };

  beforeAll(async () => {
    s = await makeStore({ heavyWorkers: 0 });
    files = tempDir('agencydesk-search-chunks-');
    const lenderId = (await s.admin.call('lenders.create', { code: 'SRCH', name: '搜索' })).id;
    const file = path.join(files, 'p.csv');
    writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(ROWS, 7)]));
    const job = await importFile(s.admin, lenderId, file);
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    batchId = job.result!.batch!.id;
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      const r = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM cases WHERE batch_id = ?').get(batchId) as { lo: number; hi: number };
      range = { lo: r.lo * 8, hi: r.hi * 8 + 7 };
    } finally {
      db.close();
    }
  }, 120_000);
  afterAll(() => {
    s.close();
    removeDir(s.dir);
    removeDir(files);
  });

  const rowsNow = (db: ReturnType<typeof rawOpen>): Row[] => db.prepare('SELECT k, term, full FROM case_search WHERE k BETWEEN ? AND ? ORDER BY k').all(range.lo, range.hi) as Row[];

  it('the import wrote its batch in more than one transaction, and owes nothing', async () => {
    expect(ROWS).toBeGreaterThan(SEARCH_CHUNK_CASES); // so that the import's writer took more than one
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      // The job is done when its COMMIT is; its worker writes the search rows right after.
      for (const until = Date.now() + 30_000; (db.prepare('SELECT count(*) AS n FROM case_search_pending').get() as { n: number }).n > 0; ) {
        if (Date.now() > until) throw new Error('the import worker did not write its search rows');
        await sleep(50);
      }
      expect(db.prepare("SELECT count(*) AS n FROM meta WHERE key LIKE 'case_search_done:%'").get()).toEqual({ n: 0 });
      // What one INSERT…SELECT over the whole batch writes (rolled back: only to compare).
      const written = rowsNow(db);
      db.exec('BEGIN');
      db.prepare('DELETE FROM case_search WHERE k BETWEEN ? AND ?').run(range.lo, range.hi);
      db.exec(caseSearchInsert(`c.batch_id = ${batchId}`));
      const oneShot = rowsNow(db);
      db.exec('ROLLBACK');
      expect(oneShot.length).toBeGreaterThan(ROWS * 2);
      expect(written).toEqual(oneShot);
    } finally {
      db.close();
    }
  });

  it('a writer killed between two transactions leaves the rest owed; the next one goes on and the rows are whole', async () => {
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      const whole = rowsNow(db);
      // As right after the import's COMMIT: the batch's rows owed, none written.
      db.prepare('DELETE FROM case_search WHERE k BETWEEN ? AND ?').run(range.lo, range.hi);
      db.prepare("INSERT INTO case_search_pending (batch_id, since) VALUES (?, '2000-01-01T00:00:00.000Z')").run(batchId);

      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, s.dir, s.recoveryKey, '200', '150'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const progress = () => Number((db.prepare("SELECT value FROM meta WHERE key = ?").get(`case_search_done:${batchId}`) as { value: string } | undefined)?.value ?? 0);
      // Kill it once at least two of its transactions have committed (and long before its 15th).
      for (const until = Date.now() + 60_000; progress() === 0 || rowsNow(db).length < 2 * 200 * 2; ) {
        if (Date.now() > until) throw new Error('the writer made no progress');
        await sleep(20);
      }
      child.kill('SIGKILL');
      expect(await exited).toBeNull();

      const done = progress();
      const partial = rowsNow(db);
      expect(done).toBeGreaterThan(range.lo / 8);
      expect(done).toBeLessThan(range.hi / 8);
      expect(db.prepare('SELECT count(*) AS n FROM case_search_pending WHERE batch_id = ?').get(batchId)).toEqual({ n: 1 });
      // Exactly the cases up to the recorded progress have their rows, whole: nothing of a chunk that did not commit.
      expect(partial).toEqual(whole.filter((x) => Math.floor(x.k / 8) <= done));

      expect(writePendingCaseSearch(db, { pauseMs: 0 })).toBe(1);
      expect(rowsNow(db)).toEqual(whole);
      expect(db.prepare('SELECT count(*) AS n FROM case_search_pending').get()).toEqual({ n: 0 });
      expect(progress()).toBe(0);
    } finally {
      db.close();
    }
  }, 120_000);
});
