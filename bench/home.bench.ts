// The manager's home at scale (issue 18): home.summary on the dashboard bench's store (BENCH_ROWS cases,
// default 1,000,000; 30 % paid, 1 in 10 attempts a promise) plus 1 % of the cases with their own
// placement end, one batch ending in 10 days, 20,000 plans (a tenth awaiting decision) and 10,000 legal
// referrals. Prints each call's time (median of 7) and the query plan of each count, so an index lost
// in a later migration shows as a SCAN here.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend } from '../core/backend.js';
import { rawOpen } from '../test/helpers/store.js';
import { seedDashboard } from './dashboard.bench.js';
import { figure, timeAsync } from './report.js';
import { homeRepo } from '../db/repos/home.js';
import { dashboardRepo } from '../db/repos/dashboard.js';

async function call(backend: Backend, method: string, input: unknown, session?: string) {
  const env = await backend.dispatch(method, input, { session });
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value as Record<string, unknown>;
}

const DAY = 86_400_000;
const TODAY = new Date().toISOString().slice(0, 10);
const ahead = (n: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

export async function homeBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-home-bench-'));
  const storeDir = path.join(dir, 'store');
  try {
    let backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const setup = (await call(backend, 'system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'Admin', password: 'bench password 1' } })) as { recoveryKey: string };
    backend.close();
    const seeded = await timeAsync(async () => seedDashboard(storeDir, setup.recoveryKey));
    figure('seeded cases, payments, attempts (direct SQL)', seeded.ms / 1000, 's');
    const db = rawOpen(storeDir, setup.recoveryKey);
    const now = new Date().toISOString();
    db.transaction(() => {
      db.prepare('UPDATE batches SET term_end_date = ? WHERE id = (SELECT max(id) FROM batches)').run(ahead(10));
      db.prepare('UPDATE batches SET term_end_date = ? WHERE id <> (SELECT max(id) FROM batches)').run(ahead(90));
      db.prepare('UPDATE case_rows SET term_end_date = ? WHERE id % 100 = 0').run(ahead(5));
      db.prepare(
        `INSERT INTO plans (case_id, kind, reason, as_of, owed_fen, waiver_fen, total_fen, grace_days, approver, status, proposed_by, proposed_at)
         SELECT id, 'extension', 'bench', ?, 100000, 0, 100000, 3, 'manager', CASE WHEN (id / 50) % 10 = 0 THEN 'proposed' ELSE 'completed' END, 1, ? FROM cases WHERE id % 50 = 1 LIMIT 20000`,
      ).run(TODAY, now);
      db.prepare(
        `INSERT INTO legal_referrals (case_id, law_firm, lawyer, referred_on, status, next_date, created_by, created_at, updated_at)
         SELECT id, 'firm', 'lawyer', ?, 'filed', date(?, '+' || (id % 60) || ' days'), 1, ?, ? FROM cases WHERE id % 97 = 3 LIMIT 10000`,
      ).run(TODAY, TODAY, now, now);
    })();
    db.exec('ANALYZE');
    // The plan of every home count: each must SEARCH an index, never SCAN a big table.
    for (const [label, sql, args] of [
      ['plans awaiting', "SELECT count(*) FROM plans WHERE status IN ('proposed', 'awaiting_lender', 'active') AND status <> 'active'", []],
      ['legal due', "SELECT count(*) FROM legal_referrals WHERE next_date IS NOT NULL AND next_date <= ? AND status <> 'closed'", [TODAY]],
      ['term end (own)', "SELECT count(*) FROM cases WHERE term_end_date IS NOT NULL AND term_end_date BETWEEN ? AND ? AND status = 'open'", [TODAY, TODAY]],
      ['term end (batch)', "SELECT count(*) FROM batches b CROSS JOIN cases c ON c.batch_id = b.id WHERE b.term_end_date BETWEEN ? AND ? AND c.term_end_date IS NULL AND c.status = 'open'", [TODAY, TODAY]],
      ['recovered', 'SELECT ca.collector_id, u.team_id, sum(p.amount_fen) FROM payments p LEFT JOIN case_assignments ca ON ca.case_id = p.case_id LEFT JOIN users u ON u.id = ca.collector_id WHERE p.paid_on BETWEEN ? AND ? GROUP BY ca.collector_id', [TODAY, TODAY]],
    ] as [string, string, string[]][]) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');
      console.log(`  plan ${label}: ${plan}`);
    }
    // Each part on its own (median of 5, after one warm-up), through the same repositories core uses.
    const h = homeRepo(db);
    const d = dashboardRepo(db);
    const month = TODAY.slice(0, 8) + '01';
    const weekAgo = new Date(Date.parse(`${TODAY}T00:00:00Z`) - 7 * DAY).toISOString().slice(0, 10);
    const parts: [string, () => unknown][] = [
      ['plans awaiting', () => h.plansAwaiting()],
      ['legal dates this week', () => h.legalDueBy(ahead(7))],
      ['cases near placement end (14 days)', () => h.termEndingBetween(TODAY, ahead(14))],
      ['recovered this month (total)', () => h.recoveredTotal(month, TODAY)],
      ['recovered this month per collector (targets.list)', () => h.recoveredBy(month, TODAY)],
      ['broken promises, 7 days (dashboard promise judgement)', () => d.promises({ from: weekAgo, to: ahead(-1), fromIso: '', toIso: '', lenderId: null, today: TODAY, connected: [], buckets: [] })],
    ];
    for (const [label, f] of parts) {
      f();
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) ms.push((await timeAsync(async () => f())).ms);
      ms.sort((a, b) => a - b);
      figure(`  ${label}`, ms[2]!, 'ms');
    }
    db.close();
    backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const token = (await call(backend, 'auth.login', { username: 'admin', password: 'bench password 1' })).token as string;
    await call(backend, 'targets.set', { month: TODAY.slice(0, 7), collectorId: 2, amountFen: 1_000_000 }, token);
    const first = await timeAsync(() => call(backend, 'home.summary', {}, token));
    figure(`home.summary, first call (${JSON.stringify({ ...first.value, tookMs: undefined })})`, first.ms, 'ms');
    for (const [label, method] of [['home.summary', 'home.summary'], ['targets.list', 'targets.list']] as const) {
      const ms: number[] = [];
      for (let i = 0; i < 7; i++) ms.push((await timeAsync(() => call(backend, method, {}, token))).ms);
      ms.sort((a, b) => a - b);
      figure(`${label} (median of 7)`, ms[3]!, 'ms');
    }
    backend.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
