// Exporting and signing the status report of 1,000,000 cases (placed 90 days ago, one in ten with a
// payment, one in five with a contact entry): the whole package as CSV, then as XLSX, through the API.
// Prints seconds, MB/s of what was written, and the peak RSS of the process (the backend runs in it).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend } from '../core/backend.js';
import { rawOpen } from '../test/helpers/store.js';
import { seed } from './assign.bench.js';
import { figure, rssMB, timeAsync } from './report.js';

const CASES = Number(process.env.BENCH_EXPORT_CASES ?? process.env.BENCH_ROWS ?? 1_000_000);
const FORMATS = (process.env.BENCH_EXPORT_FORMATS ?? 'csv,xlsx').split(',') as ('csv' | 'xlsx')[];

async function call(backend: Backend, method: string, input: unknown, session?: string) {
  const env = await backend.dispatch(method, input, { session });
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value as Record<string, unknown>;
}

/** Payments and contact entries on some of the seeded cases, and a placement date 90 days back. */
export function addActivity(dir: string, recoveryKey: string): void {
  const db = rawOpen(dir, recoveryKey);
  try {
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    db.transaction(() => {
      db.prepare('UPDATE batches SET placement_date = ?').run(day(90));
      const now = new Date().toISOString();
      const pay = db.prepare("INSERT INTO payments (case_id, paid_on, amount_fen, channel, payer, reference, note, source, entered_by, entered_at) VALUES (?, ?, ?, 'alipay', '', '', '', 'agency', 1, ?)");
      const att = db.prepare(
        "INSERT INTO contact_attempts (case_id, logged_at, started_at, collector_id, entered_by, channel, party, direction, duration_sec, outcome, note) VALUES (?, ?, ?, 1, 1, 'phone', 'borrower', 'outbound', 60, 'no_answer', '无人接听')",
      );
      for (let id = 1; id <= CASES; id++) {
        if (id % 10 === 0) pay.run(id, day(id % 60), 10_000 + (id % 5000), now);
        if (id % 5 === 0) att.run(id, now, `${day(id % 30)}T02:00:00.000Z`);
      }
    })();
  } finally {
    db.close();
  }
}

export async function exportBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-export-bench-'));
  const storeDir = path.join(dir, 'store');
  const out = path.join(dir, 'out');
  try {
    process.env.BENCH_ASSIGN_CASES = String(CASES);
    let backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const setup = (await call(backend, 'system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'Admin', password: 'bench password 1' } })) as { recoveryKey: string };
    backend.close();
    seed(storeDir, setup.recoveryKey);
    addActivity(storeDir, setup.recoveryKey);
    figure(`seeded ${CASES.toLocaleString('en')} cases (direct SQL)`, CASES, 'cases');
    backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const token = (await call(backend, 'auth.login', { username: 'admin', password: 'bench password 1' })).token as string;
    for (const format of FORMATS) {
      global.gc?.();
      let peak = rssMB();
      const base = peak;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMB())), 100);
      const r = await timeAsync(() => call(backend, 'reports.export', { lenderId: 1, batchId: 1, formats: [format], outDir: out }, token));
      clearInterval(sampler);
      const files = r.value.files as { name: string; bytes: number }[];
      const mb = files.reduce((s, f) => s + f.bytes, 0) / 1024 / 1024;
      const status = files.find((f) => f.name === `status-report.${format}`)!;
      figure(`${format.toUpperCase()} package, signed (target ${format === 'csv' ? '< 15 s' : 'streamed, < 600 MB'})`, r.ms / 1000, 's');
      figure(`  written (status report ${(status.bytes / 1024 / 1024).toFixed(0)} MB)`, mb, 'MB');
      figure('  throughput', mb / (r.ms / 1000), 'MB/s');
      figure('  peak RSS of the process', peak, 'MB');
      figure('  of which the export added', peak - base, 'MB');
      statSync(r.value.path as string);
    }
    backend.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
