// Erasure at scale (issue 17): a store seeded like the dashboard benchmark (BENCH_ROWS cases, default
// 1,000,000; direct SQL), one case in ten then returned, retention set to 0 days, and one lender's due cases
// (its returned and settled ones) erased through privacy.erase: the scrubbing transactions (in the erasure worker),
// the signed certificate and the WAL truncation; another user's calls timed meanwhile; the store's size before and after.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend } from '../core/backend.js';
import { storeFiles } from '../db/paths.js';
import { rawOpen } from '../test/helpers/store.js';
import { call, PASSWORD, seededStore } from './seeded-store.js';
import { figure, rssMB, timeAsync } from './report.js';

export async function erasureBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-erasure-bench-'));
  const storeDir = path.join(dir, 'store');
  try {
    const setup = await seededStore(storeDir, `seeded (BENCH_ROWS=${process.env.BENCH_ROWS ?? 1_000_000}, SQL)`);
    const db = rawOpen(storeDir, setup.recoveryKey);
    db.prepare("UPDATE case_rows SET stage = 'returned', status = 'returned' WHERE id % 10 = 0 AND status = 'open'").run();
    db.close();
    const backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const token = (await call(backend, 'auth.login', { username: 'admin', password: PASSWORD })).token as string;
    for (const lenderId of [1, 2]) await call(backend, 'privacy.setRetention', { lenderId, retention: { afterReturnedDays: 0, afterSettledDays: 0 } }, token);
    const before = statSync(storeFiles(storeDir).db).size / 2 ** 20;
    figure('store size before (agency.db)', before, 'MB');
    const due = await timeAsync(() => call(backend, 'privacy.due', { lenderId: 1, limit: 1 }, token));
    figure(`privacy.due, lender 1 (${(due.value.total as number).toLocaleString('en')} cases due)`, due.ms, 'ms');
    // Another user works a case of the other lender meanwhile: open it, flag and unflag it (a write), each timed.
    const userId = ((await call(backend, 'users.create', { username: 'benchc', displayName: 'Bench C', role: 'collector', password: PASSWORD }, token)) as { id: number }).id;
    const rows = (await call(backend, 'cases.list', { lenderId: 2, sort: 'id', desc: false, limit: 100 }, token)).rows as { id: number; stage: string }[];
    const live = rows.find((x) => !['settled', 'closed', 'written_off', 'returned', 'paused'].includes(x.stage))!.id;
    await call(backend, 'assign.manual', { caseIds: [live], collectorId: userId, confirmSplit: true }, token);
    const other = (await call(backend, 'auth.login', { username: 'benchc', password: PASSWORD })).token as string;
    let done = false;
    const latencies: number[] = [];
    let busy = 0;
    const worker = (async () => {
      for (let i = 0; !done; i++) {
        const t = performance.now();
        const env = await backend.dispatch(i % 2 ? 'cases.get' : 'cases.setFlag', i % 2 ? { id: live } : { caseId: live, flag: 'high_risk', on: i % 4 === 0, note: '' }, { session: other });
        if (!env.ok && env.error.code === 'BUSY') busy++;
        else if (!env.ok) throw new Error(`${env.error.code} ${env.error.message}`);
        if (!done) latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const e = await timeAsync(() => call(backend, 'privacy.erase', { lenderId: 1 }, token).finally(() => (done = true)));
    await worker;
    const out = e.value as { erased: number; vacuumMs: number; freedPages: number; reclaimed: boolean };
    figure(`privacy.erase, ${out.erased.toLocaleString('en')} cases (worker: scrub; this thread: certificate; worker: WAL truncation)`, e.ms / 1000, 's');
    figure('  of which the WAL truncation (VACUUM only once, on a store from before secure_delete everywhere)', out.vacuumMs / 1000, 's');
    figure('  free pages after the scrub (zeroed, reused by later writes)', out.freedPages, 'pages');
    figure('  cases erased per second', out.erased / (e.ms / 1000), '/s');
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
    figure(`  another user's calls meanwhile (${latencies.length}, half of them writes): p50`, q(0.5), 'ms');
    figure('  … p95', q(0.95), 'ms');
    figure('  … max', q(1), 'ms');
    figure('  … answered BUSY', busy, 'calls');
    figure('store size after', statSync(storeFiles(storeDir).db).size / 2 ** 20, 'MB');
    figure('RSS afterwards', rssMB(), 'MB');
    backend.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
