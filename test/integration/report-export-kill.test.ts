// kill -9 of a real `agencydesk export` while it writes the package, and again while it zips it: nothing is
// left under the package's final name (only a dot-named .partial entry), the next export removes that and
// works, and the audit log shows the killed export as started, never as produced.
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../core/backend.js';
import { removeDir, tempDir, ADMIN_PASSWORD, login } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

const BIN = path.resolve('bin/agencydesk.mjs');

/** Runs `agencydesk export` and kills it (SIGKILL) as soon as `ready(outDir entries)` says so. */
async function killDuring(store: string, out: string, env: NodeJS.ProcessEnv, ready: (names: string[]) => boolean): Promise<string[]> {
  const child = spawn(process.execPath, [BIN, 'export', '--store', store, '--lender', 'BIG', '--batch', 'BIG-1', '--out', path.join(out, 'pkg.zip')], { env, stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', r));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const names = existsSync(out) ? readdirSync(out) : [];
    if (ready(names)) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the export did not reach the point to kill it (seen: ${names.join(', ')})`);
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGKILL');
  await exited;
  return readdirSync(out);
}

const big = (dir: string) => {
  try {
    return readdirSync(dir).some((n) => statSync(path.join(dir, n)).size > 256 * 1024);
  } catch {
    return false;
  }
};

describe('kill -9 in the middle of an export', () => {
  it('leaves nothing under the final name, and the next export sweeps the partial package and works', async () => {
    expect(existsSync('dist/cli/main.mjs'), 'run `npm run build` first').toBe(true);
    const dir = tempDir();
    try {
      const env = { ...process.env, AGENCYDESK_PASSWORD: ADMIN_PASSWORD, AGENCYDESK_NEW_PASSWORD: ADMIN_PASSWORD };
      const store = path.join(dir, 'store');
      const out = path.join(dir, 'out');
      expect(spawnSync(process.execPath, [BIN, 'init', '--store', store], { env }).status).toBe(0);
      expect(spawnSync(process.execPath, [BIN, 'lender', 'add', '--store', store, '--code', 'BIG', '--name', '大批量'], { env }).status).toBe(0);
      const file = path.join(dir, 'big.csv');
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(40_000, 77)]));
      expect(spawnSync(process.execPath, [BIN, 'import', '--store', store, '--lender', 'BIG', '--batch', 'BIG-1', file], { env }).status).toBe(0);

      // 1. While the reports are being written (a partial folder holding a file of some size).
      const left1 = await killDuring(store, out, env, (names) => names.some((n) => n.endsWith('.partial') && big(path.join(out, n))));
      expect(left1.length).toBeGreaterThan(0);
      expect(left1.filter((n) => !n.startsWith('.'))).toEqual([]);
      expect(left1.every((n) => n.endsWith('.partial'))).toBe(true);

      // 2. While the signed package is being zipped (the partial .zip exists): still nothing under the final name.
      const left2 = await killDuring(store, out, env, (names) => names.some((n) => /\.zip\.\d+\.partial$/.test(n)));
      expect(left2.filter((n) => !n.startsWith('.'))).toEqual([]);
      expect(left2.some((n) => /\.zip\.\d+\.partial$/.test(n))).toBe(true);

      // The next export removes what the killed ones left and produces a package that verifies.
      const r = spawnSync(process.execPath, [BIN, 'export', '--store', store, '--lender', 'BIG', '--batch', 'BIG-1', '--out', path.join(out, 'pkg.zip'), '--json'], { env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const produced = (JSON.parse(r.stdout) as { path: string }).path;
      expect(readdirSync(out)).toEqual([path.basename(produced)]);
      const v = spawnSync(process.execPath, [BIN, 'verify', produced], { encoding: 'utf8' });
      expect(v.status, v.stdout).toBe(0);

      // On the record: the killed exports reached "started" (the second one: right before signing) but
      // never "produced"; only the finished one is listed.
      const backend = createBackend({ storeDir: store, host: 'test', sweepEveryMs: 0 });
      try {
        const admin = await login(backend, 'admin', ADMIN_PASSWORD);
        expect((await admin.call('reports.exports', {})).exports.map((e) => e.path)).toEqual([produced]);
        const done = (await admin.call('audit.list', { action: 'reports.export', limit: 10 })).entries;
        expect(done).toHaveLength(1);
        const started = (await admin.call('audit.list', { action: 'reports.exportStarted', limit: 10 })).entries;
        expect(started.length).toBeGreaterThanOrEqual(2);
        expect((await admin.call('system.check', {})).audit).toMatchObject({ ok: true });
      } finally {
        backend.close();
      }
    } finally {
      removeDir(dir);
    }
  }, 300_000);
});
