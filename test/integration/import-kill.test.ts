// Killing the process mid-import (kill -9) leaves the store exactly as before, and importing again works.
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../core/backend.js';
import { removeDir, tempDir, ADMIN_PASSWORD, login } from '../helpers/store.js';
import { storeFiles } from '../../db/paths.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { waitJob } from '../helpers/import.js';

const BIN = path.resolve('bin/agencydesk.mjs');

describe('kill -9 in the middle of an import', () => {
  it('leaves no trace of the batch, and the same file imports afterwards', async () => {
    expect(existsSync('dist/cli/main.mjs'), 'run `npm run build` first').toBe(true);
    const dir = tempDir();
    const file = path.join(dir, 'big.csv');
    try {
      const env = { ...process.env, AGENCYDESK_PASSWORD: ADMIN_PASSWORD, AGENCYDESK_NEW_PASSWORD: ADMIN_PASSWORD };
      const store = path.join(dir, 'store');
      expect(spawnSync(process.execPath, [BIN, 'init', '--store', store], { env }).status).toBe(0);
      expect(spawnSync(process.execPath, [BIN, 'lender', 'add', '--store', store, '--code', 'BIG', '--name', '大批量'], { env }).status).toBe(0);
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(200_000, 71)]));

      const child = spawn(process.execPath, [BIN, 'import', '--store', store, '--lender', 'BIG', file], { env, stdio: 'ignore' });
      // Wait until the import has written a good part of its transaction into the WAL, then kill it.
      const wal = storeFiles(store).db + '-wal';
      const deadline = Date.now() + 60_000;
      while (!(existsSync(wal) && statSync(wal).size > 8 * 1024 * 1024)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error('the import did not get going');
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));

      const backend = createBackend({ storeDir: store, host: 'test', sweepEveryMs: 0 });
      try {
        const admin = await login(backend, 'admin', ADMIN_PASSWORD);
        expect((await admin.call('cases.list', { limit: 1 })).total).toBe(0);
        expect((await admin.call('batches.list', {})).batches).toEqual([]);
        const check = await admin.call('system.check', {});
        expect(check).toMatchObject({ integrityOk: true, audit: { ok: true } });
        const lender = (await admin.call('lenders.list', {})).lenders[0]!;
        const { jobId } = await admin.call('import.start', { lenderId: lender.id, file: { path: file } });
        const job = await waitJob(admin, jobId, 300_000);
        expect(job.error ?? null).toBeNull();
        expect(job.result).toMatchObject({ imported: 200_000, rejected: 0 });
        expect((await admin.call('cases.list', { limit: 1 })).total).toBe(200_000);
      } finally {
        backend.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});
