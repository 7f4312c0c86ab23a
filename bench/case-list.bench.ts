// The case list at 1M cases (issue 15): sorted and filtered by the outstanding key (stored outstanding of
// each case's last money change, else the placed total; indexes of migration 012), each listed row's
// figure computed by the one balance function as of today. Seeded like the dashboard bench (1,000,000
// cases, 30 % with a payment, some reversed); the stored outstanding of the paid cases is written by the
// one-time backfill (timed), then each page is asked for 7 times through the API and the median printed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend } from '../core/backend.js';
import { rawOpen } from '../test/helpers/store.js';
import { seedDashboard } from './dashboard.bench.js';
import { figure, timeAsync } from './report.js';

async function call(backend: Backend, method: string, input: unknown, session?: string) {
  const env = await backend.dispatch(method, input, { session });
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value as Record<string, unknown>;
}

export async function caseListBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-caselist-bench-'));
  const storeDir = path.join(dir, 'store');
  try {
    let backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const setup = (await call(backend, 'system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'Admin', password: 'bench password 1' } })) as { recoveryKey: string };
    backend.close();
    const seeded = await timeAsync(async () => seedDashboard(storeDir, setup.recoveryKey));
    figure('seeded cases and payments (direct SQL)', seeded.ms / 1000, 's');
    const db = rawOpen(storeDir, setup.recoveryKey);
    db.prepare("INSERT INTO meta (key, value) VALUES ('outstanding_backfill', 'pending') ON CONFLICT (key) DO UPDATE SET value = 'pending'").run();
    db.close();
    backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const token = (await call(backend, 'auth.login', { username: 'admin', password: 'bench password 1' })).token as string;
    const first = await timeAsync(() => call(backend, 'cases.list', { limit: 50 }, token));
    figure('first list: backfill of stored outstanding (paid cases)', first.ms / 1000, 's');
    const runs: [string, Record<string, unknown>][] = [
      ['all cases, by outstanding desc, page 1', { sort: 'outstandingFen', desc: true, limit: 50 }],
      ['lender + bucket M2, by outstanding desc, page 1', { lenderId: 1, bucket: 'M2', sort: 'outstandingFen', desc: true, limit: 50 }],
      ['lender, outstanding ≥ ¥40,000, by outstanding desc', { lenderId: 1, minAmountFen: 4_000_000, sort: 'outstandingFen', desc: true, limit: 50 }],
      ['all cases, by outstanding asc, page 1', { sort: 'outstandingFen', desc: false, limit: 50 }],
      ['all cases, by outstanding desc, 500 rows', { sort: 'outstandingFen', desc: true, limit: 500 }],
    ];
    for (const [label, input] of runs) {
      const ms: number[] = [];
      for (let i = 0; i < 7; i++) ms.push((await timeAsync(() => call(backend, 'cases.list', input, token))).ms);
      ms.sort((a, b) => a - b);
      figure(`case list: ${label} (median of 7)`, ms[3]!, 'ms');
    }
    backend.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
