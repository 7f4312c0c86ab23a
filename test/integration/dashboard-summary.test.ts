// The dashboard's fast path (summary tables kept by triggers, migration 017) equals the full recomputation
// from every case (db/repos/dashboard-full.ts, the query dashboard.get ran before) on random stores:
// cases placed over several days (some with their own placement day, some without a day count or with a
// bucket outside the table), payments and reversals, stage moves (finished cases stop ageing on the day
// they left), reassignments and recalls, contact attempts near midnight, promises single and recurring,
// and corrections of both. The writes are made in SQL so that every path the triggers must catch is hit;
// the backfill (what an existing store gets on upgrade) must rebuild the same tables.
import { describe, it, expect, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, rawOpen, removeDir, tempDir, type TestStore } from '../helpers/store.js';
import { makeRows, PLACEMENT_HEADERS, rng, toCsv } from '../helpers/placement-data.js';
import { waitJob } from '../helpers/import.js';
import { dashboardRepo, type DashboardQuery } from '../../db/repos/dashboard.js';
import { dashboardFullRepo } from '../../db/repos/dashboard-full.js';
import { BACKFILL } from '../../db/migrations/017_dashboard_summary.js';
import { DEFAULT_BUCKETS } from '../../shared/domain/placement/buckets.js';
import { STAGES } from '../../shared/domain/casework/stages.js';
import { dayStartIso } from '../../shared/domain/casework/today.js';
import { addDays } from '../../shared/domain/money/plans.js';
import type { Db } from '../../db/open.js';

const stores: TestStore[] = [];
afterAll(() => {
  for (const s of stores) {
    s.close();
    removeDir(s.dir);
  }
});

const START = '2026-06-01';
const DAYS = 120;
const TODAY = addDays(START, DAYS);
const CONNECTED = ['connected', 'promised_to_pay'];
const OUTCOMES = ['connected', 'no_answer', 'busy', 'promised_to_pay', 'refused'];
const SUMMARIES = ['dashboard_stock', 'dashboard_aging', 'dashboard_contact', 'dashboard_payers', 'dashboard_promises'];

/** Random writes over DAYS days, in the order a store sees them. */
function populate(db: Db, seed: number): void {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const day = (from = 0, to = DAYS) => addDays(START, from + Math.floor(r() * (to - from + 1)));
  // An instant on `d` in the agency's day, often near its midnight (UTC 15:00–17:00).
  const at = (d: string) => new Date(Date.parse(`${d}T00:00:00+08:00`) + Math.floor(r() * 24) * 3_600_000 + Math.floor(r() * 3_600) * 1000).toISOString();
  const now = `${TODAY}T02:00:00.000Z`;
  db.transaction(() => {
    const users = [...Array(5).keys()].map((i) => Number(db.prepare("INSERT INTO users (username, display_name, role, created_at, updated_at) VALUES (?, ?, 'collector', ?, ?)").run(`p${seed}c${i}`, `收${i}`, now, now).lastInsertRowid));
    const lenders = [1, 2].map((i) => Number(db.prepare('INSERT INTO lenders (code, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(`P${seed}L${i}`, `贷${i}`, now, now).lastInsertRowid));
    // Each move is its own assignment (assignment_moves is keyed by case and assignment).
    const newAssignment = () => Number(db.prepare("INSERT INTO assignments (at, actor_id, kind, rule, assigned, unassignable, detail) VALUES (?, 1, 'manual', 'manual', 0, 0, '{}')").run(now).lastInsertRowid);
    const batch = db.prepare(
      `INSERT INTO batches (lender_id, batch_no, placement_date, source_name, source_sha256, source_bytes, source_format, mapping, rows_total, rows_imported, rows_updated, rows_rejected, amount_fen, imported_at, imported_by)
       VALUES (?, ?, ?, 's', ?, 0, 'csv', '{}', 0, 0, 0, 0, 0, ?, 1)`,
    );
    const kase = db.prepare(
      `INSERT INTO case_rows (lender_id, case_no, batch_id, first_batch_id, borrower_name, id_number, mobile, overdue_amount_fen, placement_amount_fen, days_overdue, bucket, placed_on, stage, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, '张三', '110105199001010000', '13800000000', ?, ?, ?, ?, ?, 'new', 'open', ?, ?)`,
    );
    const pay = db.prepare("INSERT INTO payments (case_id, paid_on, amount_fen, channel, payer, reference, note, source, entered_by, entered_at) VALUES (?, ?, ?, 'bank_transfer', '', '', '', 'agency', 1, ?)");
    const reverse = db.prepare(
      "INSERT INTO payments (case_id, paid_on, amount_fen, channel, payer, reference, note, source, entered_by, entered_at, reverses_id) SELECT case_id, paid_on, -amount_fen, channel, '', '', 'reversal', 'agency', 1, ?, id FROM payments WHERE id = ?",
    );
    const attempt = db.prepare(
      `INSERT INTO contact_attempts (case_id, logged_at, started_at, collector_id, entered_by, channel, party, number, direction, duration_sec, outcome, note, promise_amount_fen, promise_date, promise_count, promise_every_months, corrects_id)
       VALUES (@case, @at, @at, @collector, @collector, @channel, @party, '13800000000', 'outbound', 60, @outcome, '', @amount, @date, @count, @every, @corrects)`,
    );
    const cases: number[] = [];
    const payments: number[] = [];
    const attempts: number[] = [];
    const batchDays = [0, 10, 25, 40, 70, 100];
    batchDays.forEach((d, i) => {
      const lender = lenders[i % 2]!;
      const b = Number(batch.run(lender, `P${seed}B${i}`, addDays(START, d), `sha${seed}-${i}`, now).lastInsertRowid);
      for (let k = 0; k < 40; k++) {
        const days = r() < 0.1 ? null : Math.floor(r() * 150);
        const bucket = days === null ? null : r() < 0.1 ? 'M9' : (DEFAULT_BUCKETS.find((x) => days >= x.minDays && (x.maxDays === null || days <= x.maxDays))?.code ?? null);
        const own = r() < 0.3 ? addDays(START, d + Math.floor(r() * 5) - 2) : null;
        const amount = 10_000 + Math.floor(r() * 1_000_000);
        cases.push(Number(kase.run(lender, `P${seed}-${i}-${k}`, b, b, amount, r() < 0.2 ? null : amount + 500, days, bucket, own, now, now).lastInsertRowid));
      }
    });
    const ops = 1500;
    for (let n = 0; n < ops; n++) {
      const c = pick(cases);
      const x = r();
      if (x < 0.25) {
        const p = Number(pay.run(c, day(), 1_000 + Math.floor(r() * 200_000), now).lastInsertRowid);
        payments.push(p);
      } else if (x < 0.3 && payments.length) {
        const p = pick(payments);
        if (!db.prepare('SELECT 1 FROM payments WHERE reverses_id = ?').get(p)) reverse.run(now, p);
      } else if (x < 0.45) {
        // A stage move, recorded like casework's: the case row, then its history.
        const stage = pick(STAGES);
        const status = stage === 'settled' ? 'settled' : ['closed', 'written_off', 'returned'].includes(stage) ? 'closed' : stage === 'paused' ? 'paused' : 'open';
        db.prepare('UPDATE case_rows SET stage = ?, status = ? WHERE id = ?').run(stage, status, c);
        db.prepare("INSERT INTO case_history (case_id, at, actor_id, kind, detail) VALUES (?, ?, 1, 'stage', '{}')").run(c, at(day()));
      } else if (x < 0.6) {
        const to = r() < 0.15 ? null : pick(users);
        if (db.prepare('SELECT 1 FROM case_assignments WHERE case_id = ?').get(c)) db.prepare('UPDATE case_assignments SET collector_id = ?, assignment_id = ? WHERE case_id = ?').run(to, newAssignment(), c);
        else db.prepare('INSERT INTO case_assignments (case_id, collector_id, assignment_id, assigned_at) VALUES (?, ?, ?, ?)').run(c, to, newAssignment(), now);
      } else if (x < 0.63) {
        // The case re-placed in another batch or with corrected figures (an import's update).
        db.prepare('UPDATE case_rows SET days_overdue = ?, bucket = ?, placed_on = ?, placement_amount_fen = ? WHERE id = ?').run(
          Math.floor(r() * 120), pick(['M1', 'M2', 'M3', 'M4', null]), r() < 0.5 ? null : day(), 20_000 + Math.floor(r() * 100_000), c,
        );
      } else {
        const corrects = r() < 0.1 && attempts.length ? pick(attempts) : null;
        if (corrects !== null && db.prepare('SELECT 1 FROM contact_attempts WHERE corrects_id = ?').get(corrects)) continue;
        const promise = r() < 0.35;
        const started = at(day());
        const recurring = promise && r() < 0.4;
        const first = promise ? addDays(started.slice(0, 10), Math.floor(r() * 40)) : null;
        attempts.push(
          Number(
            attempt.run({
              case: c,
              at: started,
              collector: pick(users),
              channel: pick(['phone', 'phone', 'field_visit', 'sms']),
              party: r() < 0.8 ? 'borrower' : 'contact',
              outcome: promise ? 'promised_to_pay' : pick(OUTCOMES),
              amount: promise ? 5_000 + Math.floor(r() * 100_000) : null,
              // Recurring promises on the 29th–31st fall back to a short month's last day.
              date: recurring && r() < 0.5 ? `${first!.slice(0, 8)}31`.replace(/-(06|09|11)-31$/, '-$1-30') : first,
              count: recurring ? 2 + Math.floor(r() * 5) : null,
              every: recurring ? 1 + Math.floor(r() * 2) : null,
              corrects,
            }).lastInsertRowid,
          ),
        );
      }
    }
  })();
}

function query(from: string, to: string, lenderId: number | null): DashboardQuery {
  return { from, to, fromIso: dayStartIso(from), toIso: dayStartIso(addDays(to, 1)), lenderId, today: TODAY, connected: CONNECTED, buckets: DEFAULT_BUCKETS };
}

/** Order-free comparison: rows sorted by their JSON. */
const sorted = <T,>(rows: T[]) => rows.map((x) => JSON.stringify(x)).sort();

function expectSame(db: Db, q: DashboardQuery): void {
  const fast = dashboardRepo(db);
  const full = dashboardFullRepo(db);
  const a = fast.recovery(q);
  const b = full.recovery(q);
  const label = JSON.stringify({ from: q.from, to: q.to, lender: q.lenderId });
  expect(sorted(a.groups), label).toEqual(sorted(b.groups));
  expect(sorted(a.roll), label).toEqual(sorted(b.roll));
  expect(sorted(fast.promises(q)), label).toEqual(sorted(full.promises(q)));
  expect(sorted(fast.contact(q)), label).toEqual(sorted(full.contact(q)));
}

async function randomStore(seed: number): Promise<{ db: Db; lenders: number[] }> {
  const s = await makeStore();
  stores.push(s);
  const db = rawOpen(s.dir, s.recoveryKey);
  populate(db, seed);
  const lenders = (db.prepare('SELECT id FROM lenders ORDER BY id').all() as { id: number }[]).map((l) => l.id);
  return { db, lenders };
}

describe('dashboard summary tables (migration 017)', () => {
  for (const seed of [11, 12, 13]) {
    it(`equal the full recomputation on random data (seed ${seed})`, async () => {
      const { db, lenders } = await randomStore(seed);
      try {
        const r = rng(seed * 7);
        // Something to compare: the random store is not empty where it matters.
        expect((db.prepare('SELECT count(*) AS n FROM dashboard_promises').get() as { n: number }).n).toBeGreaterThan(50);
        expect((db.prepare("SELECT count(*) AS n FROM dashboard_aging WHERE ended_on <> '' AND cases > 0").get() as { n: number }).n).toBeGreaterThan(0);
        const periods: [string, string][] = [
          [addDays(TODAY, -29), TODAY],
          [START, TODAY],
          [addDays(START, 5), addDays(START, 5)],
          [addDays(START, -10), addDays(START, 30)],
        ];
        for (let i = 0; i < 12; i++) {
          const a = addDays(START, Math.floor(r() * DAYS));
          const b = addDays(START, Math.floor(r() * DAYS));
          periods.push(a <= b ? [a, b] : [b, a]);
        }
        let roll = 0;
        for (const [from, to] of periods) {
          for (const lender of [null, ...lenders]) {
            expectSame(db, query(from, to, lender));
            roll += dashboardFullRepo(db).recovery(query(from, to, lender)).roll.length;
          }
        }
        expect(roll).toBeGreaterThan(0);
      } finally {
        db.close();
      }
    }, 120_000);
  }

  it('the backfill of an existing store rebuilds the tables the triggers kept', async () => {
    const { db } = await randomStore(21);
    try {
      const snapshot = () => SUMMARIES.map((t) => sorted(db.prepare(`SELECT * FROM ${t}`).all().filter((row) => (row as { cases?: number; attempts?: number }).cases !== 0 && (row as { attempts?: number }).attempts !== 0)));
      const kept = snapshot();
      db.transaction(() => {
        for (const t of SUMMARIES) db.exec(`DELETE FROM ${t}`);
        db.exec(BACKFILL);
      })();
      expect(snapshot()).toEqual(kept);
    } finally {
      db.close();
    }
  }, 120_000);

  it('an import adds its new cases at COMMIT and its re-placed ones through the triggers: the same tables as a rebuild', async () => {
    const s = await makeStore();
    stores.push(s);
    const files = tempDir('agencydesk-dash-import-');
    const lenderId = (await s.admin.call('lenders.create', { code: 'DI', name: '导入贷' })).id;
    const load = async (name: string, rows: string[][], batchNo: string, placementDate: string) => {
      const file = path.join(files, name);
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...rows]));
      const { jobId } = await s.admin.call('import.start', { lenderId, file: { path: file }, placementDate, batchNo });
      expect((await waitJob(s.admin, jobId)).state).toBe('done');
    };
    await load('a.csv', makeRows(300, 5, { caseNoPrefix: 'DI' }), 'DI-1', '2026-06-01');
    const all = (await s.admin.call('cases.list', { lenderId, sort: 'id', desc: false, limit: 500 })).rows.map((r: { id: number }) => r.id);
    const collectorId = (await s.admin.call('users.create', { username: 'dc1', displayName: '收款员', role: 'collector', password: 'dash collector pw 1' })).id;
    await s.admin.call('assign.manual', { caseIds: all.slice(0, 100), collectorId });
    // The second file places 150 of the same case numbers again (with other figures) and 150 new ones.
    await load('b.csv', [...makeRows(150, 6, { caseNoPrefix: 'DI' }), ...makeRows(150, 7, { caseNoPrefix: 'DJ' })], 'DI-2', '2026-07-01');
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      expect(db.prepare('SELECT count(*) AS n FROM dashboard_defer').get()).toEqual({ n: 0 });
      const cases = (db.prepare('SELECT sum(cases) AS n FROM dashboard_stock').get() as { n: number }).n;
      expect(cases).toBe((db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n);
      expect((db.prepare('SELECT count(*) AS n FROM cases WHERE batch_id <> first_batch_id').get() as { n: number }).n).toBeGreaterThan(0);
      const snapshot = () => SUMMARIES.map((t) => sorted(db.prepare(`SELECT * FROM ${t}`).all().filter((row) => (row as { cases?: number }).cases !== 0)));
      const kept = snapshot();
      db.transaction(() => {
        for (const t of SUMMARIES) db.exec(`DELETE FROM ${t}`);
        db.exec(BACKFILL);
      })();
      expect(snapshot()).toEqual(kept);
      expectSame(db, query('2026-06-15', '2026-07-20', null));
    } finally {
      db.close();
      removeDir(files);
    }
  }, 120_000);

  it('ages a case from its own placement day and stops a finished case on the day it left', async () => {
    const s = await makeStore();
    stores.push(s);
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      const now = '2026-06-01T00:00:00.000Z';
      db.prepare("INSERT INTO lenders (code, name, created_at, updated_at) VALUES ('AG', '贷', ?, ?)").run(now, now);
      // The batch is dated 2026-01-01; case 1 was placed on 2026-03-01 (its own 委案日期) at 25 days overdue.
      db.prepare(
        `INSERT INTO batches (lender_id, batch_no, placement_date, source_name, source_sha256, source_bytes, source_format, mapping, rows_total, rows_imported, rows_updated, rows_rejected, amount_fen, imported_at, imported_by)
         VALUES (1, 'B', '2026-01-01', 's', 'x', 0, 'csv', '{}', 0, 0, 0, 0, 0, ?, 1)`,
      ).run(now);
      const kase = db.prepare(
        `INSERT INTO case_rows (lender_id, case_no, batch_id, first_batch_id, borrower_name, id_number, mobile, overdue_amount_fen, days_overdue, bucket, placed_on, stage, status, created_at, updated_at)
         VALUES (1, ?, 1, 1, '张三', '110105199001010000', '13800000000', 100000, 25, 'M1', ?, ?, ?, ?, ?)`,
      );
      kase.run('own-day', '2026-03-01', 'contact', 'open', now, now);
      // Case 2: returned to the lender on 2026-03-05 (China time) at 25 + 63 = 88 days: it stays in M3.
      kase.run('returned', null, 'returned', 'closed', now, now);
      db.prepare("INSERT INTO case_history (case_id, at, actor_id, kind, detail) VALUES (2, '2026-03-04T16:30:00.000Z', 1, 'stage', '{}')").run();
      const q = query('2026-03-10', '2026-04-30', null);
      for (const repo of [dashboardRepo(db), dashboardFullRepo(db)]) {
        // Case 1: 25 + 9 = 34 days on 03-10 (M2), 25 + 60 = 85 on 04-30 (M3). Case 2: 88 days on both.
        expect(sorted(repo.recovery(q).roll)).toEqual(sorted([{ start: 'M2', end: 'M3', cases: 1 }, { start: 'M3', end: 'M3', cases: 1 }]));
      }
    } finally {
      db.close();
    }
  }, 60_000);
});
