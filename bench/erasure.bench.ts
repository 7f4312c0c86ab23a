// Erasure at scale (issue 17): a store seeded like the dashboard benchmark (BENCH_ROWS cases, default
// 1,000,000; direct SQL), one case in ten then returned, retention set to 0 days, and one lender's due cases
// (its returned and settled ones) erased through privacy.erase: the scrubbing transactions, the signed
// certificate, the VACUUM and the WAL truncation; the store's size before and after.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend } from '../core/backend.js';
import { storeFiles } from '../db/paths.js';
import { rawOpen } from '../test/helpers/store.js';
import { seedDashboard } from './dashboard.bench.js';
import { figure, rssMB, timeAsync } from './report.js';

const PASSWORD = 'bench password 1';

async function call(backend: Backend, method: string, input: unknown, session?: string) {
  const env = await backend.dispatch(method, input, { session });
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value as Record<string, unknown>;
}

export async function erasureBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-erasure-bench-'));
  const storeDir = path.join(dir, 'store');
  try {
    let backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const setup = (await call(backend, 'system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'Admin', password: PASSWORD } })) as { recoveryKey: string };
    backend.close();
    const seeded = await timeAsync(async () => seedDashboard(storeDir, setup.recoveryKey));
    figure(`seeded (BENCH_ROWS=${process.env.BENCH_ROWS ?? 1_000_000}, SQL)`, seeded.ms / 1000, 's');
    const db = rawOpen(storeDir, setup.recoveryKey);
    db.prepare("UPDATE cases SET stage = 'returned', status = 'returned' WHERE id % 10 = 0 AND status = 'open'").run();
    db.close();
    backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const token = (await call(backend, 'auth.login', { username: 'admin', password: PASSWORD })).token as string;
    for (const lenderId of [1, 2]) await call(backend, 'privacy.setRetention', { lenderId, retention: { afterReturnedDays: 0, afterSettledDays: 0 } }, token);
    const before = statSync(storeFiles(storeDir).db).size / 2 ** 20;
    figure('store size before (agency.db)', before, 'MB');
    const due = await timeAsync(() => call(backend, 'privacy.due', { lenderId: 1, limit: 1 }, token));
    figure(`privacy.due, lender 1 (${(due.value.total as number).toLocaleString('en')} cases due)`, due.ms, 'ms');
    const e = await timeAsync(() => call(backend, 'privacy.erase', { lenderId: 1 }, token));
    const out = e.value as { erased: number; vacuumMs: number; freedPages: number };
    figure(`privacy.erase, ${out.erased.toLocaleString('en')} cases (scrub + certificate + VACUUM)`, e.ms / 1000, 's');
    figure('  of which VACUUM + WAL truncation', out.vacuumMs / 1000, 's');
    figure('  free pages before the VACUUM', out.freedPages, 'pages');
    figure('  cases erased per second (without the VACUUM)', out.erased / ((e.ms - out.vacuumMs) / 1000), '/s');
    figure('store size after', statSync(storeFiles(storeDir).db).size / 2 ** 20, 'MB');
    figure('RSS afterwards', rssMB(), 'MB');
    backend.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
