// Backup at scale: a store seeded like the dashboard benchmark (BENCH_ROWS cases, default 1,000,000, with
// payments and contact attempts; direct SQL), then backup.run through the API — VACUUM INTO in a worker, the
// copy opened and integrity_check'ed, the audit chain verified, bundled, read back and hashed — then a restore
// into a new folder (unpack, hash, open with the password's slot, integrity_check again).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend } from '../core/backend.js';
import { storeFiles } from '../db/paths.js';
import { restore } from '../cli/backup.js';
import { call, PASSWORD, seededStore } from './seeded-store.js';
import { figure, rssMB, timeAsync } from './report.js';

export async function backupBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-backup-bench-'));
  const storeDir = path.join(dir, 'store');
  try {
    const setup = await seededStore(storeDir, `seeded cases, payments, attempts (BENCH_ROWS=${process.env.BENCH_ROWS ?? 1_000_000}, SQL)`);
    const backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const token = (await call(backend, 'auth.login', { username: 'admin', password: PASSWORD })).token as string;
    const dbMB = statSync(storeFiles(storeDir).db).size / 2 ** 20;
    figure('store size (agency.db)', dbMB, 'MB');

    let peak = rssMB();
    const sampler = setInterval(() => (peak = Math.max(peak, rssMB())), 50);
    const b = await timeAsync(() => call(backend, 'backup.run', { folder: path.join(dir, 'backups') }, token));
    clearInterval(sampler);
    const r = b.value as { file: string; bytes: number; manifest: { counts: { cases: number } } };
    figure(`backup.run, ${r.manifest.counts.cases.toLocaleString('en')} cases (copy + verify + bundle + read back)`, b.ms / 1000, 's');
    figure('  throughput (store size / time)', dbMB / (b.ms / 1000), 'MB/s');
    figure('  backup file', r.bytes / 2 ** 20, 'MB');
    figure('  peak RSS of the process during the backup (sampled)', peak, 'MB');
    backend.close();

    const target = path.join(dir, 'restored');
    peak = rssMB();
    const sampler2 = setInterval(() => (peak = Math.max(peak, rssMB())), 50);
    const res = await timeAsync(() => restore(target, { from: r.file, store: target }, { AGENCYDESK_USER: 'admin', AGENCYDESK_PASSWORD: PASSWORD }, { json: true, print: () => undefined }));
    clearInterval(sampler2);
    figure('restore into a new folder (unpack + hash + open + integrity_check + audit chain)', res.ms / 1000, 's');
    figure('  peak RSS during the restore (sampled)', peak, 'MB');
    figure('peak RSS of the process (whole run, seeding included)', process.resourceUsage().maxRSS / 1024, 'MB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
