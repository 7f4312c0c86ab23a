// Seeds a lender's batch of open cases straight into a store by SQL (an import of 20–50k rows would take most of
// a test's time), for the chunked-assignment tests. Deterministic for a given seed: two stores seeded alike hold
// the same cases with the same ids.
import type { Db } from '../../db/open.js';
import { rng } from './placement-data.js';

const BUCKETS = ['M1', 'M2', 'M3', 'M3+'];
const PROVINCES = ['北京', '上海', '广东', '浙江'];

/** Inserts `n` open cases in one new batch of the lender; one borrower in `groupEvery` has a second case. */
export function seedCases(db: Db, lenderId: number, n: number, seed = 1, groupEvery = 20): { batchId: number } {
  const r = rng(seed);
  const now = new Date().toISOString();
  let batchId = 0;
  db.transaction(() => {
    const no = (db.prepare('SELECT count(*) AS n FROM batches').get() as { n: number }).n + 1;
    batchId = Number(
      db
        .prepare(
          `INSERT INTO batches (lender_id, batch_no, placement_date, source_name, source_sha256, source_bytes, source_format, mapping,
             rows_total, rows_imported, rows_updated, rows_rejected, amount_fen, imported_at, imported_by)
           VALUES (?, ?, ?, 'seed', 'seed', 0, 'csv', '{}', ?, ?, 0, 0, 0, ?, 1)`,
        )
        .run(lenderId, `SEED-${no}`, now.slice(0, 10), n, n, now).lastInsertRowid,
    );
    const ins = db.prepare(
      `INSERT INTO case_rows (lender_id, case_no, batch_id, first_batch_id, borrower_name, id_number, province, mobile, overdue_amount_fen, days_overdue, bucket, created_at, updated_at)
       VALUES (?, ?, ?, ?, '张三', ?, ?, ?, ?, 40, ?, ?, ?)`,
    );
    for (let i = 0; i < n; i++) {
      const borrower = i > 0 && r() < 1 / groupEvery ? i - 1 : i;
      ins.run(
        lenderId,
        `B${no}-${i}`,
        batchId,
        batchId,
        `1101051990${String(no).padStart(3, '0')}${String(borrower).padStart(5, '0')}`,
        PROVINCES[Math.floor(r() * PROVINCES.length)]!,
        `139${String(i).padStart(8, '0')}`,
        100_000 + Math.floor(r() * 4_900_000),
        BUCKETS[Math.floor(r() * BUCKETS.length)]!,
        now,
        now,
      );
    }
  })();
  return { batchId };
}

/** Collector profiles (capacity) for users created through the API. */
export function seedProfiles(db: Db, capacity: Record<number, number>): void {
  const now = new Date().toISOString();
  const up = db.prepare('INSERT INTO collector_profiles (user_id, capacity, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET capacity = excluded.capacity');
  db.transaction(() => {
    for (const [id, cap] of Object.entries(capacity)) up.run(Number(id), cap, now);
  })();
}

/** case id → collector (null: in the pool) for every case. */
export function holders(db: Db): Map<number, number | null> {
  const rows = db.prepare('SELECT c.id, a.collector_id FROM cases c LEFT JOIN case_assignments a ON a.case_id = c.id').raw().all() as [number, number | null][];
  return new Map(rows);
}
