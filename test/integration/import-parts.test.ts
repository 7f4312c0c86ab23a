// A placement import into a lender that already has cases is written in parts (migration 026,
// core/import/pipeline.ts): other writers commit between the parts, nobody sees any of the batch until it
// publishes (new cases appear, re-placed ones change, all at one commit), and a load that fails or is killed
// half-way is undone, leaving the store as it was.
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, rawOpen, removeDir, tempDir, login, ADMIN_PASSWORD, type TestStore } from '../helpers/store.js';
import { importFile, waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { createBackend } from '../../core/backend.js';
import { storeFiles } from '../../db/paths.js';

const DAYS = PLACEMENT_HEADERS.indexOf('逾期天数');
const BIN = path.resolve('bin/agencydesk.mjs');

type Raw = ReturnType<typeof rawOpen>;
const n = (db: Raw, sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
/** The summary tables hold exactly the cases everyone sees (none of a load in progress, none twice). */
const dashboardAgrees = (db: Raw) => expect(n(db, 'SELECT coalesce(sum(cases), 0) AS n FROM dashboard_stock')).toBe(n(db, 'SELECT count(*) AS n FROM cases'));

describe('a placement import in parts', () => {
  let s: TestStore;
  let lenderId: number;
  let dir: string;
  const first = makeRows(2_000, 5, { caseNoPrefix: 'A' });

  beforeAll(async () => {
    s = await makeStore();
    dir = tempDir('agencydesk-parts-');
    lenderId = (await s.admin.call('lenders.create', { code: 'PART', name: '分段银行' })).id;
    writeFileSync(path.join(dir, 'first.csv'), toCsv([PLACEMENT_HEADERS, ...first]));
    const job = await importFile(s.admin, lenderId, path.join(dir, 'first.csv'));
    expect(job.result).toMatchObject({ imported: 2_000 });
  });
  afterAll(() => {
    s.close();
    removeDir(dir);
  });

  it('lets other writes commit between its parts, and shows nothing of the batch until it publishes', async () => {
    // 40,000 new cases, and 300 of the first file's cases placed again with 30 more days overdue.
    const replaced = first.slice(0, 300).map((r) => r.map((v, i) => (i === DAYS ? String(Number(v) + 30) : v)));
    const file = path.join(dir, 'second.csv');
    writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(40_000, 6, { caseNoPrefix: 'B' }), ...replaced]));
    const daysBefore = Number(first[0]![DAYS]);
    const raw = rawOpen(s.dir, s.recoveryKey);
    try {
      const { jobId } = await s.admin.call('import.start', { lenderId, file: { path: file } });
      let seenMidLoad = 0;
      let wroteMidLoad = 0;
      for (;;) {
        const job = await s.admin.call('import.status', { jobId });
        const load = raw.prepare('SELECT batch_id AS b FROM case_loading').get() as { b: number } | undefined;
        if (load) {
          const written = n(raw, 'SELECT count(*) AS n FROM case_rows WHERE batch_id = ?', load.b);
          const seen = n(raw, 'SELECT count(*) AS n FROM cases WHERE batch_id = ?', load.b);
          if (written > 0) {
            seenMidLoad++;
            // Parts committed, and still out of sight: no new case, no re-placed case changed, no figure moved.
            expect(seen).toBe(0);
            expect(n(raw, 'SELECT count(*) AS n FROM cases')).toBe(2_000);
            expect(n(raw, "SELECT days_overdue AS n FROM cases WHERE case_no = 'A00000001'")).toBe(daysBefore);
            dashboardAgrees(raw);
            expect((await s.admin.call('batches.list', {})).batches.map((b) => b.id)).not.toContain(load.b);
            // A user's write (through the backend, like a collector's call) commits while the load is still in progress.
            await s.admin.call('lenders.update', { id: lenderId, contact: `mid-load ${seenMidLoad}` });
            if (raw.prepare('SELECT 1 FROM case_loading').get()) wroteMidLoad++;
          }
        }
        if (job.state !== 'running') {
          expect(job.error ?? null).toBeNull();
          expect(job.result).toMatchObject({ imported: 40_000, updated: 300, rejected: 0 });
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(seenMidLoad).toBeGreaterThan(0);
      expect(wroteMidLoad).toBeGreaterThan(0);
      // Published: every case at once, the re-placed ones changed with their history, the figures with them.
      expect(n(raw, 'SELECT count(*) AS n FROM case_loading')).toBe(0);
      expect(n(raw, 'SELECT count(*) AS n FROM case_loading_updates')).toBe(0);
      expect(n(raw, 'SELECT count(*) AS n FROM cases')).toBe(42_000);
      expect(n(raw, "SELECT days_overdue AS n FROM cases WHERE case_no = 'A00000001'")).toBe(daysBefore + 30);
      expect(n(raw, "SELECT count(*) AS n FROM case_history WHERE kind = 'replaced'")).toBe(300);
      dashboardAgrees(raw);
    } finally {
      raw.close();
    }
    expect((await s.admin.call('cases.list', { limit: 1 })).total).toBe(42_000);
    expect((await s.admin.call('system.check', {})).integrityOk).toBe(true);
  });

  it('a case number twice in the file: the second row is refused, whether the case is new or placed before', async () => {
    const again = makeRows(3, 9, { caseNoPrefix: 'C' });
    const file = path.join(dir, 'twice.csv');
    writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...again, again[0]!, first[5]!, first[5]!]));
    const job = await importFile(s.admin, lenderId, file);
    expect(job.result).toMatchObject({ imported: 3, updated: 1, rejected: 2 });
    expect(job.result!.rejections.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^case number C00000001 appears again \(first at row 2\)/),
      expect.stringMatching(/^case number A00000006 appears again \(first at row 6\)/),
    ]);
  });

  it('two imports at once: one load at a time, each published whole', async () => {
    const other = (await s.admin.call('lenders.create', { code: 'PAR2', name: '并行银行' })).id;
    const a = path.join(dir, 'together-a.csv');
    const b = path.join(dir, 'together-b.csv');
    writeFileSync(a, toCsv([PLACEMENT_HEADERS, ...makeRows(30_000, 21, { caseNoPrefix: 'TA' })]));
    writeFileSync(b, toCsv([PLACEMENT_HEADERS, ...makeRows(20_000, 22, { caseNoPrefix: 'TB' })]));
    const before = (await s.admin.call('cases.list', { limit: 1 })).total;
    const [ja, jb] = await Promise.all([s.admin.call('import.start', { lenderId, file: { path: a } }), s.admin.call('import.start', { lenderId: other, file: { path: b } })]);
    const [da, db] = await Promise.all([waitJob(s.admin, ja.jobId), waitJob(s.admin, jb.jobId)]);
    expect(da.result).toMatchObject({ imported: 30_000 });
    expect(db.result).toMatchObject({ imported: 20_000 });
    expect((await s.admin.call('cases.list', { limit: 1 })).total).toBe(before + 50_000);
    const raw = rawOpen(s.dir, s.recoveryKey);
    try {
      expect(n(raw, 'SELECT count(*) AS n FROM case_loading')).toBe(0);
      expect(n(raw, 'SELECT count(*) AS n FROM cases')).toBe(n(raw, 'SELECT count(*) AS n FROM case_rows'));
      dashboardAgrees(raw);
    } finally {
      raw.close();
    }
  });

  it('cancelled half-way: what its parts wrote is undone (by a worker of its own), and nothing shows meanwhile', async () => {
    const file = path.join(dir, 'cancelled.csv');
    writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(120_000, 8, { caseNoPrefix: 'E' })]));
    const raw = rawOpen(s.dir, s.recoveryKey);
    try {
      const before = { cases: n(raw, 'SELECT count(*) AS n FROM case_rows'), batches: n(raw, 'SELECT count(*) AS n FROM batches'), seen: n(raw, 'SELECT count(*) AS n FROM cases') };
      const { jobId } = await s.admin.call('import.start', { lenderId, file: { path: file } });
      const deadline = Date.now() + 60_000;
      while (n(raw, 'SELECT count(*) AS n FROM case_rows') < before.cases + 5_000) {
        if (Date.now() > deadline) throw new Error('the load did not get going');
        await new Promise((r) => setTimeout(r, 5));
      }
      await s.admin.call('import.cancel', { jobId });
      expect((await waitJob(s.admin, jobId)).state).toBe('cancelled');
      expect(n(raw, 'SELECT count(*) AS n FROM cases')).toBe(before.seen);
      for (const until = Date.now() + 60_000; n(raw, 'SELECT count(*) AS n FROM case_loading') > 0; ) {
        if (Date.now() > until) throw new Error('the cancelled load was not undone');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(n(raw, 'SELECT count(*) AS n FROM case_rows')).toBe(before.cases);
      expect(n(raw, 'SELECT count(*) AS n FROM batches')).toBe(before.batches);
      dashboardAgrees(raw);
    } finally {
      raw.close();
    }
  });

  it('refused at the end (the lender blocks a file with a bad row): the parts written are taken out again', async () => {
    await s.admin.call('lenders.update', { id: lenderId, rejectPolicy: 'block_file' });
    const rows = makeRows(30_000, 7, { caseNoPrefix: 'D' });
    rows[rows.length - 1]![2] = '110105199001011234'; // an ID number whose check digit is wrong
    const file = path.join(dir, 'blocked.csv');
    writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...rows]));
    const raw = rawOpen(s.dir, s.recoveryKey);
    try {
      const before = { cases: n(raw, 'SELECT count(*) AS n FROM case_rows'), batches: n(raw, 'SELECT count(*) AS n FROM batches') };
      const job = await importFile(s.admin, lenderId, file);
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ code: 'BAD_INPUT' });
      expect(job.error!.message).toMatch(/blocks the whole file: nothing was imported/);
      expect(n(raw, 'SELECT count(*) AS n FROM case_rows')).toBe(before.cases);
      expect(n(raw, 'SELECT count(*) AS n FROM batches')).toBe(before.batches);
      expect(n(raw, 'SELECT count(*) AS n FROM case_loading')).toBe(0);
      expect(n(raw, 'SELECT count(*) AS n FROM dashboard_defer')).toBe(0);
      dashboardAgrees(raw);
    } finally {
      raw.close();
      await s.admin.call('lenders.update', { id: lenderId, rejectPolicy: 'skip_rows' });
    }
  });
});

describe('kill -9 while an import is written in parts', () => {
  it('the parts stay out of sight, and the next unlock takes them out; the same file imports afterwards', async () => {
    expect(existsSync('dist/cli/main.mjs'), 'run `npm run build` first').toBe(true);
    const dir = tempDir('agencydesk-parts-kill-');
    try {
      const env = { ...process.env, AGENCYDESK_PASSWORD: ADMIN_PASSWORD, AGENCYDESK_NEW_PASSWORD: ADMIN_PASSWORD };
      const store = path.join(dir, 'store');
      const small = path.join(dir, 'small.csv');
      const big = path.join(dir, 'big.csv');
      expect(spawnSync(process.execPath, [BIN, 'init', '--store', store], { env }).status).toBe(0);
      expect(spawnSync(process.execPath, [BIN, 'lender', 'add', '--store', store, '--code', 'KILL', '--name', '中断银行'], { env }).status).toBe(0);
      writeFileSync(small, toCsv([PLACEMENT_HEADERS, ...makeRows(1_000, 11, { caseNoPrefix: 'S' })]));
      writeFileSync(big, toCsv([PLACEMENT_HEADERS, ...makeRows(150_000, 12, { caseNoPrefix: 'K' })]));
      expect(spawnSync(process.execPath, [BIN, 'import', '--store', store, '--lender', 'KILL', small], { env }).status).toBe(0);

      const child = spawn(process.execPath, [BIN, 'import', '--store', store, '--lender', 'KILL', big], { env, stdio: 'ignore' });
      // Parts commit into the WAL (the import checkpoints only at its end): well into the load, kill it.
      const wal = storeFiles(store).db + '-wal';
      const deadline = Date.now() + 60_000;
      while (!(existsSync(wal) && statSync(wal).size > 24 * 1024 * 1024)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error('the import did not get going');
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));

      const said = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const backend = createBackend({ storeDir: store, host: 'test', sweepEveryMs: 0 });
      try {
        const admin = await login(backend, 'admin', ADMIN_PASSWORD);
        // Committed parts were there to undo, and the unlock undid them before anyone worked.
        expect(said.mock.calls.some((c) => /undid 1 placement import/.test(String(c[0])))).toBe(true);
        said.mockRestore();
        expect((await admin.call('cases.list', { limit: 1 })).total).toBe(1_000);
        expect((await admin.call('batches.list', {})).batches).toHaveLength(1);
        expect(await admin.call('system.check', {})).toMatchObject({ integrityOk: true, audit: { ok: true } });
        const lender = (await admin.call('lenders.list', {})).lenders[0]!;
        const { jobId } = await admin.call('import.start', { lenderId: lender.id, file: { path: big } });
        const job = await waitJob(admin, jobId, 300_000);
        expect(job.error ?? null).toBeNull();
        expect(job.result).toMatchObject({ imported: 150_000, rejected: 0 });
        expect((await admin.call('cases.list', { limit: 1 })).total).toBe(151_000);
      } finally {
        said.mockRestore();
        backend.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});
