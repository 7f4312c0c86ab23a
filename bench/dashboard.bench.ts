// The managers' dashboard at scale: 1,000,000 cases in 5 batches of 2 lenders over 150 days, 200
// collectors, 300,000 payments (some reversed), 1,000,000 contact attempts of which 100,000 promises.
// Seeded straight into the store (the summary tables of migration 017 filled by the store's triggers as
// the rows go in); then the full recomputation (the query dashboard.get ran before 017) once as the
// reference, checked equal, the backfill an upgraded store runs, and dashboard.get through the API for a
// month, a quarter and one lender (median of 5 after a first cold call), each with the load average: the
// 2 cores are shared.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend } from '../core/backend.js';
import { rawOpen } from '../test/helpers/store.js';
import { rng } from '../test/helpers/placement-data.js';
import { DEFAULT_BUCKETS, bucketOf } from '../shared/domain/placement/buckets.js';
import { figure, rssMB, timeAsync } from './report.js';
import { dashboardRepo, type DashboardQuery } from '../db/repos/dashboard.js';
import { dashboardFullRepo } from '../db/repos/dashboard-full.js';
import { BACKFILL } from '../db/migrations/017_dashboard_summary.js';
import { dayStartIso } from '../shared/domain/casework/today.js';

const load = () => `load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`;
const SUMMARIES = ['dashboard_stock', 'dashboard_aging', 'dashboard_contact', 'dashboard_payers', 'dashboard_promises'];

/** The reference (every case read) against the fast path on the store, and the backfill of an upgraded store. */
function referenceAndBackfill(storeDir: string, recoveryKey: string): void {
  const db = rawOpen(storeDir, recoveryKey);
  try {
    const q: DashboardQuery = { from: daysAgo(30), to: TODAY, fromIso: dayStartIso(daysAgo(30)), toIso: dayStartIso(daysAgo(-1)), lenderId: null, today: TODAY, connected: ['connected', 'promised_to_pay'], buckets: DEFAULT_BUCKETS };
    const fast = dashboardRepo(db);
    const full = dashboardFullRepo(db);
    const sorted = (x: unknown[]) => x.map((r) => JSON.stringify(r)).sort().join('\n');
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const ref = { ...full.recovery(q), promises: full.promises(q), contact: full.contact(q) };
    const c = process.cpuUsage(c0);
    figure(`full recomputation (before 017), last 30 days (${load()})`, performance.now() - t0, 'ms');
    console.log(`  CPU ${((c.user + c.system) / 1000).toFixed(0)} ms`);
    const got = { ...fast.recovery(q), promises: fast.promises(q), contact: fast.contact(q) };
    const same = (['groups', 'roll', 'promises', 'contact'] as const).every((k) => sorted(ref[k]) === sorted(got[k]));
    console.log(`  summary tables equal the full recomputation: ${same}`);
    if (!same) throw new Error('the dashboard summary tables differ from the full recomputation');
    const t1 = performance.now();
    db.transaction(() => {
      for (const t of SUMMARIES) db.exec(`DELETE FROM ${t}`);
      db.exec(BACKFILL);
    })();
    figure(`backfill of the summary tables (migration 017) (${load()})`, (performance.now() - t1) / 1000, 's');
  } finally {
    db.close();
  }
}

const CASES = Number(process.env.BENCH_DASHBOARD_CASES ?? process.env.BENCH_ROWS ?? 1_000_000);
const COLLECTORS = 200;
const DAY = 86_400_000;
const TODAY = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) - n * DAY).toISOString().slice(0, 10);
const OUTCOMES = ['connected', 'no_answer', 'busy', 'promised_to_pay', 'refused', 'wrong_number'];

async function call(backend: Backend, method: string, input: unknown, session?: string) {
  const env = await backend.dispatch(method, input, { session });
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value as Record<string, unknown>;
}

export function seedDashboard(dir: string, recoveryKey: string): void {
  const db = rawOpen(dir, recoveryKey);
  try {
    const r = rng(7);
    const now = new Date().toISOString();
    db.pragma('cache_size = -262144');
    db.transaction(() => {
      const user = db.prepare("INSERT INTO users (username, display_name, role, status, created_at, updated_at) VALUES (?, ?, 'collector', 'active', ?, ?)");
      const collectors: number[] = [];
      for (let i = 1; i <= COLLECTORS; i++) collectors.push(Number(user.run(`c${i}`, `催收员${i}`, now, now).lastInsertRowid));
      const lender = db.prepare('INSERT INTO lenders (code, name, created_at, updated_at) VALUES (?, ?, ?, ?)');
      const lenders = [Number(lender.run('L1', '平安i贷', now, now).lastInsertRowid), Number(lender.run('L2', '某消费金融', now, now).lastInsertRowid)];
      const batch = db.prepare(
        `INSERT INTO batches (lender_id, batch_no, placement_date, source_name, source_sha256, source_bytes, source_format, mapping,
           rows_total, rows_imported, rows_updated, rows_rejected, amount_fen, imported_at, imported_by) VALUES (?, ?, ?, 'seed', ?, 0, 'csv', '{}', 0, 0, 0, 0, 0, ?, 1)`,
      );
      const batches = [150, 120, 90, 60, 30].map((ago, i) => ({ id: Number(batch.run(lenders[i % 2]!, `B${i + 1}`, daysAgo(ago), `sha${i}`, now).lastInsertRowid), placed: daysAgo(ago), lender: lenders[i % 2]! }));
      const assignment = Number(
        db.prepare("INSERT INTO assignments (at, actor_id, kind, rule, assigned, unassignable, detail) VALUES (?, 1, 'manual', 'manual', 0, 0, '{}')").run(now).lastInsertRowid,
      );
      const ins = db.prepare(
        `INSERT INTO case_rows (lender_id, case_no, batch_id, first_batch_id, borrower_name, id_number, mobile, overdue_amount_fen, days_overdue, bucket, stage, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, '张三', ?, '13800000000', ?, ?, ?, ?, ?, ?, ?)`,
      );
      const hold = db.prepare('INSERT INTO case_assignments (case_id, collector_id, assignment_id, assigned_at) VALUES (?, ?, ?, ?)');
      const pay = db.prepare(
        "INSERT INTO payments (case_id, paid_on, amount_fen, channel, payer, reference, note, source, entered_by, entered_at, reverses_id) VALUES (?, ?, ?, 'bank_transfer', '', '', '', 'agency', 1, ?, ?)",
      );
      const reverse = db.prepare("INSERT INTO payments (case_id, paid_on, amount_fen, channel, payer, reference, note, source, entered_by, entered_at, reverses_id) SELECT case_id, paid_on, -amount_fen, channel, '', '', 'reversal', 'agency', 1, ?, id FROM payments WHERE id = ?");
      const attempt = db.prepare(
        `INSERT INTO contact_attempts (case_id, logged_at, started_at, collector_id, entered_by, channel, party, number, direction, duration_sec, outcome, note, promise_amount_fen, promise_date)
         VALUES (?, ?, ?, ?, ?, 'phone', 'borrower', '13800000000', 'outbound', 60, ?, '', ?, ?)`,
      );
      const stages = ['new', 'reminder', 'contact', 'negotiation', 'field_visit', 'legal_referral', 'paused', 'settled'];
      for (let i = 0; i < CASES; i++) {
        const b = batches[i % batches.length]!;
        const days = 1 + Math.floor(r() * 200);
        const stage = stages[Math.floor(r() * stages.length)]!;
        const amount = 100_000 + Math.floor(r() * 4_900_000);
        const id = Number(ins.run(b.lender, `CASE${i}`, b.id, b.id, `11010519900101${String(i).padStart(4, '0')}`, amount, days, bucketOf(days, DEFAULT_BUCKETS)!.code, stage, stage === 'settled' ? 'settled' : 'open', now, now).lastInsertRowid);
        const collector = collectors[i % COLLECTORS]!;
        if (r() < 0.95) hold.run(id, collector, assignment, now);
        const since = Math.round((Date.parse(`${TODAY}T00:00:00Z`) - Date.parse(`${b.placed}T00:00:00Z`)) / DAY);
        // 30 % of cases paid once; one payment in twenty is reversed.
        if (r() < 0.3) {
          const on = daysAgo(Math.floor(r() * since));
          const p = Number(pay.run(id, on, 10_000 + Math.floor(r() * 500_000), now, null).lastInsertRowid);
          if (r() < 0.05) reverse.run(now, p);
        }
        // One attempt per case; one in ten with a promise.
        const at = new Date(Date.parse(`${daysAgo(Math.floor(r() * since))}T03:00:00Z`)).toISOString();
        const promise = r() < 0.1;
        attempt.run(id, at, at, collector, collector, promise ? 'promised_to_pay' : OUTCOMES[Math.floor(r() * OUTCOMES.length)]!, promise ? 50_000 : null, promise ? at.slice(0, 10) : null);
      }
    })();
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
}

export async function dashboardBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-dashboard-bench-'));
  const storeDir = path.join(dir, 'store');
  try {
    let backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const setup = (await call(backend, 'system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'Admin', password: 'bench password 1' } })) as { recoveryKey: string };
    backend.close();
    const seeded = await timeAsync(async () => seedDashboard(storeDir, setup.recoveryKey));
    figure(`seeded ${CASES.toLocaleString('en')} cases, payments, attempts (direct SQL, triggers on)`, seeded.ms / 1000, 's');
    if (!process.env.BENCH_SKIP_REFERENCE) referenceAndBackfill(storeDir, setup.recoveryKey);
    backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const token = (await call(backend, 'auth.login', { username: 'admin', password: 'bench password 1' })).token as string;
    const runs: [string, Record<string, unknown>][] = [
      ['dashboard.get, last 30 days', { from: daysAgo(30), to: TODAY }],
      ['dashboard.get, this month', {}],
      ['dashboard.get, last 90 days', { from: daysAgo(90), to: TODAY }],
      ['dashboard.get, last 90 days, one lender', { from: daysAgo(90), to: TODAY, lenderId: 1 }],
    ];
    let first = true;
    for (const [label, input] of runs) {
      if (first) {
        const t = await timeAsync(() => call(backend, 'dashboard.get', input, token));
        figure(`${label}, first call (cold) (${load()})`, t.ms, 'ms');
        first = false;
      }
      const ms: number[] = [];
      const cpu: number[] = [];
      let store = 0;
      for (let i = 0; i < 5; i++) {
        // CPU time of this process too: on shared cores the wall time is mostly waiting for a core.
        const c0 = process.cpuUsage();
        const t = await timeAsync(() => call(backend, 'dashboard.get', input, token));
        const c = process.cpuUsage(c0);
        ms.push(t.ms);
        cpu.push((c.user + c.system) / 1000);
        store = t.value.tookMs as number;
      }
      ms.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      figure(`${label}, median of 5 (${load()})`, ms[2]!, 'ms');
      console.log(`  min ${ms[0]!.toFixed(0)} ms, max ${ms[4]!.toFixed(0)} ms, CPU median ${cpu[2]!.toFixed(0)} ms, last tookMs ${store}`);
    }
    figure('RSS afterwards', rssMB(), 'MB');
    backend.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
