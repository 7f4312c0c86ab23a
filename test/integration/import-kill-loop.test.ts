// kill -9 of a real `agencydesk import` at random moments, ≥ 20 times on the same store (issue 17: kill loops
// during imports): after every kill the store opens with the admin's password, integrity, the audit chain,
// the anchor and the row ↔ entry references are ok (system.check), every batch is whole (all its rows, as
// many cases) or absent — a killed import leaves no part of a batch — and every batch committed before is
// still there. Half the kills land at a random moment of the whole command (login included), half once the
// import's transaction is writing (its WAL growing). KILL_RUNS=N runs a longer loop.
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../core/backend.js';
import { removeDir, tempDir, ADMIN_PASSWORD, login } from '../helpers/store.js';
import { storeFiles } from '../../db/paths.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

const BIN = path.resolve('bin/agencydesk.mjs');
const KILLS = Number(process.env.KILL_RUNS ?? 20);
const ROWS = 30_000;

describe('kill -9 during imports, again and again', () => {
  it(`${KILLS} kills: the store opens clean each time, each batch whole or absent, nothing committed lost`, async () => {
    expect(existsSync('dist/cli/main.mjs'), 'run `npm run build` first').toBe(true);
    const dir = tempDir();
    try {
      const env = { ...process.env, AGENCYDESK_PASSWORD: ADMIN_PASSWORD, AGENCYDESK_NEW_PASSWORD: ADMIN_PASSWORD };
      const store = path.join(dir, 'store');
      const wal = `${storeFiles(store).db}-wal`;
      expect(spawnSync(process.execPath, [BIN, 'init', '--store', store], { env }).status).toBe(0);
      expect(spawnSync(process.execPath, [BIN, 'lender', 'add', '--store', store, '--code', 'KIL', '--name', '反复中断'], { env }).status).toBe(0);
      // Each run its own file (other case numbers): a batch that made it is never updated by a later one.
      const fileOf = (run: number) => {
        const file = path.join(dir, `p${run}.csv`);
        writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(ROWS, 500 + run, { caseNoPrefix: `K${run}-` })]));
        return file;
      };
      const args = (run: number) => [BIN, 'import', '--store', store, '--lender', 'KIL', '--batch', `KIL-${run}`, fileOf(run)];

      // One whole import: the committed baseline, and how long a run takes here.
      const t0 = Date.now();
      const first = spawnSync(process.execPath, args(0), { env, encoding: 'utf8' });
      expect(first.status, first.stderr).toBe(0);
      const full = Date.now() - t0;
      const committed = new Set(['KIL-0']);

      let killed = 0;
      let midTransaction = 0;
      for (let run = 1; run <= KILLS + 10 && killed < KILLS; run++) {
        const child = spawn(process.execPath, args(run), { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let said = '';
        child.stdout!.on('data', (d: Buffer) => (said += d));
        child.stderr!.on('data', (d: Buffer) => (said += d));
        const exited = new Promise((r) => child.on('exit', r));
        const start = Date.now();
        const deadline = start + Math.random() * full;
        const walBase = existsSync(wal) ? statSync(wal).size : 0;
        const extra = Math.random() * 400;
        let writingSince = 0;
        while (child.exitCode === null) {
          const writing = existsSync(wal) && statSync(wal).size > walBase + 1024 * 1024;
          if (writing && !writingSince) writingSince = Date.now();
          const now = Date.now();
          if (run % 2 === 1 ? now >= deadline : writingSince > 0 && now - writingSince >= extra) {
            child.kill('SIGKILL');
            break;
          }
          await new Promise((r) => setTimeout(r, 2));
        }
        await exited;
        if (child.signalCode === 'SIGKILL') {
          killed++;
          if (writingSince) midTransaction++;
        } else {
          expect(child.exitCode, `run ${run} finished without being killed: ${said}`).toBe(0);
          committed.add(`KIL-${run}`);
        }

        const backend = createBackend({ storeDir: store, host: 'test', sweepEveryMs: 0 });
        try {
          const admin = await login(backend, 'admin', ADMIN_PASSWORD);
          expect(await admin.call('system.check', {}), `run ${run}`).toMatchObject({ integrityOk: true, audit: { ok: true } });
          const batches = (await admin.call('batches.list', {})).batches;
          for (const b of batches) {
            expect({ batch: b.batchNo, imported: b.rowsImported, cases: (await admin.call('cases.list', { batchId: b.id, limit: 1 })).total }).toEqual({ batch: b.batchNo, imported: ROWS, cases: ROWS });
          }
          const present = new Set(batches.map((b) => b.batchNo));
          for (const c of committed) expect(present.has(c), `${c} committed before run ${run}`).toBe(true);
          // A kill after the COMMIT but before the process ended leaves a whole batch: committed from now on.
          for (const p of present) committed.add(p);
          expect((await admin.call('cases.list', { limit: 1 })).total).toBe(ROWS * present.size);
        } finally {
          backend.close();
        }
      }
      expect(killed).toBe(KILLS);
      expect(midTransaction).toBeGreaterThanOrEqual(Math.floor(KILLS / 4));
      const check = spawnSync(process.execPath, [BIN, 'check', '--store', store], { env, encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      console.log(`import kill loop: ${killed} kills (${midTransaction} while the import's transaction was writing), ${committed.size} batches committed, one import ${full} ms`);
    } finally {
      removeDir(dir);
    }
  }, 1_200_000);
});
