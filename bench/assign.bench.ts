// Assigning 1,000,000 open cases across 200 collectors with the balanced rule, through the API
// (select, plan, write every move with its case history, audit, commit, encrypted). Prints the time, the
// spread of the collectors' totals, and what a collector's queue and the staff list then cost.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend } from '../core/backend.js';
import { rawOpen } from '../test/helpers/store.js';
import { rng } from '../test/helpers/placement-data.js';
import { figure, timeAsync } from './report.js';
import { applyTestHooks, applyTuning } from '../core/assignment/apply.js';

const CASES = Number(process.env.BENCH_ASSIGN_CASES ?? process.env.BENCH_ROWS ?? 1_000_000);
const COLLECTORS = 200;
// The write in parts (core/assignment/apply.ts): BENCH_ASSIGN_LOCK_MS sets the work per transaction;
// BENCH_ASSIGN_ONE_TXN=1 writes every move in one transaction instead (as before issue 16's chunking).
if (process.env.BENCH_ASSIGN_LOCK_MS) applyTuning.lockMs = Number(process.env.BENCH_ASSIGN_LOCK_MS);
if (process.env.BENCH_ASSIGN_ONE_TXN === '1') applyTuning.single = Infinity;
const PROVINCES = ['北京', '上海', '广东', '浙江', '四川', '湖北', '江苏', '山东'];
const BUCKETS: [string, number][] = [['M1', 15], ['M2', 45], ['M3', 75], ['M3+', 150]];

async function call(backend: Backend, method: string, input: unknown, session?: string) {
  const env = await backend.dispatch(method, input, { session });
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value as Record<string, unknown>;
}

/** Seeds cases and collectors straight into the store (the import has its own benchmark). */
export function seed(dir: string, recoveryKey: string): void {
  const db = rawOpen(dir, recoveryKey);
  try {
    const r = rng(42);
    const now = new Date().toISOString();
    db.transaction(() => {
      const team = Number(db.prepare("INSERT INTO teams (name, created_at) VALUES ('催收一部', ?)").run(now).lastInsertRowid);
      const user = db.prepare("INSERT INTO users (username, display_name, role, team_id, status, created_at, updated_at) VALUES (?, ?, 'collector', ?, 'active', ?, ?)");
      const profile = db.prepare('INSERT INTO collector_profiles (user_id, capacity, updated_at) VALUES (?, ?, ?)');
      // Room for an even share and a little more: capacity must not be what limits the balance.
      const capacity = Math.ceil((CASES / COLLECTORS) * 1.2);
      for (let i = 1; i <= COLLECTORS; i++) {
        const id = Number(user.run(`c${String(i).padStart(3, '0')}`, `催收员${i}`, team, now, now).lastInsertRowid);
        profile.run(id, capacity, now);
      }
      const lender = Number(db.prepare("INSERT INTO lenders (code, name, created_at, updated_at) VALUES ('BENCH', '基准', ?, ?)").run(now, now).lastInsertRowid);
      const batch = Number(
        db
          .prepare(
            `INSERT INTO batches (lender_id, batch_no, placement_date, source_name, source_sha256, source_bytes, source_format, mapping,
               rows_total, rows_imported, rows_updated, rows_rejected, amount_fen, imported_at, imported_by)
             VALUES (?, 'BENCH-1', ?, 'seed', 'seed', 0, 'csv', '{}', ?, ?, 0, 0, 0, ?, 1)`,
          )
          .run(lender, now.slice(0, 10), CASES, CASES, now).lastInsertRowid,
      );
      const ins = db.prepare(
        `INSERT INTO case_rows (lender_id, case_no, batch_id, first_batch_id, borrower_name, id_number, province, mobile, overdue_amount_fen,
           days_overdue, bucket, created_at, updated_at) VALUES (?, ?, ?, ?, '张三', ?, ?, '13800000000', ?, ?, ?, ?, ?)`,
      );
      for (let i = 0; i < CASES; i++) {
        // One borrower in twenty has a second case: keep-together has groups to place.
        const borrower = r() < 0.05 && i > 0 ? i - 1 : i;
        const [bucket, days] = BUCKETS[Math.floor(r() * BUCKETS.length)]!;
        ins.run(lender, `CASE${i}`, batch, batch, `11010519900101${String(borrower).padStart(4, '0')}`, PROVINCES[borrower % PROVINCES.length]!, 100_000 + Math.floor(r() * 4_900_000), days, bucket, now, now);
      }
    })();
  } finally {
    db.close();
  }
}

export async function assignBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-assign-bench-'));
  const storeDir = path.join(dir, 'store');
  try {
    let backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const setup = (await call(backend, 'system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'Admin', password: 'bench password 1' } })) as { recoveryKey: string };
    backend.close();
    const seeded = await timeAsync(async () => seed(storeDir, setup.recoveryKey));
    figure(`seeded ${CASES.toLocaleString('en')} cases, ${COLLECTORS} collectors (direct SQL)`, seeded.ms / 1000, 's');

    // No offload worker: the plan's end is timed in this thread (the worker runs the same code).
    backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0, heavyWorkers: 0 });
    const token = ((await call(backend, 'auth.login', { username: 'admin', password: 'bench password 1' })).token as string) ?? '';
    const input = { selection: { lenderId: 1 }, rule: 'balanced' };
    const preview = await timeAsync(() => call(backend, 'assign.preview', input, token));
    figure('preview: balanced plan, nothing written', preview.ms / 1000, 's');

    const rssBefore = process.resourceUsage().maxRSS / 1024;
    let planned = 0;
    const locks: number[] = [];
    applyTestHooks.afterPlan = () => void (planned = performance.now());
    applyTestHooks.afterWrite = (ms) => void locks.push(ms);
    const apply = await timeAsync(() => call(backend, 'assign.apply', input, token));
    const written = performance.now();
    applyTestHooks.afterPlan = undefined;
    applyTestHooks.afterWrite = undefined;
    const plan = apply.value as { assigned: number; spread: number; perCollector: { openAmountAfterFen: number }[] };
    figure(`assign.apply balanced, ${plan.assigned.toLocaleString('en')} cases → ${plan.perCollector.length} collectors`, apply.ms / 1000, 's');
    figure('  rate', plan.assigned / (apply.ms / 1000), 'cases/s');
    // Everything after the plan's read transaction: the write transaction (the only time the write lock is
    // held: re-check and write every move, log row, audit entry, COMMIT) and the answer's validation.
    // Chunked: the lock is held only inside each write transaction, released (with a pause) in between.
    figure(`  of which the write (${locks.length} write transactions, ${applyTuning.gapMs} ms pauses between)`, (written - planned) / 1000, 's');
    const sorted = [...locks].sort((a, b) => a - b);
    figure('  write transaction (write lock held), median', sorted[Math.floor(sorted.length / 2)]!, 'ms');
    figure('  longest single write transaction (write lock held)', sorted[sorted.length - 1]!, 'ms');
    figure('  write lock held in all', locks.reduce((a, b) => a + b, 0) / 1000, 's');
    figure('  spread (max − min total) / mean (target < 1 %)', plan.spread * 100, '%');
    figure('  peak RSS of the process', Math.max(rssBefore, process.resourceUsage().maxRSS / 1024), 'MB');

    const staff = await timeAsync(() => call(backend, 'staff.list', {}, token));
    figure('staff.list (200 collectors with open workload)', staff.ms, 'ms');
    const someone = (staff.value.staff as { userId: number }[])[7]!.userId;
    const queue = await timeAsync(() => call(backend, 'queue.today', { collectorId: someone }, token));
    figure(`queue.today of one collector (${(queue.value.counts as { open: number }).open} open cases)`, queue.ms, 'ms');
    const page = await timeAsync(() => call(backend, 'cases.list', { collectorId: someone, limit: 50 }, token));
    figure("cases.list: one collector's cases, page 1", page.ms, 'ms');
    backend.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
