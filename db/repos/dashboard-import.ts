// An import's new cases in the dashboard's summary tables (migration 017), added up in memory as the rows
// are written and put in once before COMMIT: the per-row trigger cost ~19 µs a case under load (≈ +19 s
// for a 1M-row import), this costs nothing per row. While the batch's row is in dashboard_defer the
// insert trigger skips that batch's rows; updated (re-placed) cases still go through the update trigger.
// A new case is 'new', 'open', held by nobody, never paid and never contacted: only dashboard_stock and
// dashboard_aging change.
import type { Db } from '../open.js';
import { CASE_COLUMNS } from './cases.js';

const at = (name: string) => {
  const i = (CASE_COLUMNS as readonly string[]).indexOf(name);
  if (i < 0) throw new Error(`no case column ${name}`);
  return i;
};
const BUCKET = at('bucket');
const PLACED_ON = at('placed_on');
const DAYS = at('days_overdue');
const PLACEMENT = at('placement_amount_fen');
const OVERDUE = at('overdue_amount_fen');

export interface DashboardTally {
  /** One inserted case, its values in CASE_COLUMNS order (as caseInserter binds them). */
  add(values: readonly unknown[]): void;
  /** Writes the totals and ends the deferral; call once, before COMMIT. */
  flush(): void;
}

export function dashboardTally(db: Db, batchId: number): DashboardTally {
  db.prepare('INSERT INTO dashboard_defer (batch_id) VALUES (?)').run(batchId);
  const stock = new Map<string, { bucket: string; placedOn: string; cases: number; fen: number }>();
  const aging = new Map<string, { placedOn: string; days: number; cases: number }>();
  return {
    add(v) {
      const bucket = (v[BUCKET] as string | null) ?? '';
      const placedOn = (v[PLACED_ON] as string | null) ?? '';
      const fen = ((v[PLACEMENT] as number | null) ?? (v[OVERDUE] as number)) || 0;
      const sk = `${bucket}\u0001${placedOn}`;
      const s = stock.get(sk);
      if (s) {
        s.cases++;
        s.fen += fen;
      } else stock.set(sk, { bucket, placedOn, cases: 1, fen });
      const days = v[DAYS] as number | null;
      if (days === null || days === undefined) return;
      const ak = `${placedOn}\u0001${days}`;
      const a = aging.get(ak);
      if (a) a.cases++;
      else aging.set(ak, { placedOn, days, cases: 1 });
    },
    flush() {
      const s = db.prepare(
        `INSERT INTO dashboard_stock (batch_id, collector_id, bucket, stage, placed_on, cases, placed_fen) VALUES (?, 0, ?, 'new', ?, ?, ?)
         ON CONFLICT DO UPDATE SET cases = cases + excluded.cases, placed_fen = placed_fen + excluded.placed_fen`,
      );
      for (const r of stock.values()) s.run(batchId, r.bucket, r.placedOn, r.cases, r.fen);
      const a = db.prepare(
        `INSERT INTO dashboard_aging (batch_id, placed_on, days_at_placement, ended_on, cases) VALUES (?, ?, ?, '', ?)
         ON CONFLICT DO UPDATE SET cases = cases + excluded.cases`,
      );
      for (const r of aging.values()) a.run(batchId, r.placedOn, r.days, r.cases);
      db.prepare('DELETE FROM dashboard_defer WHERE batch_id = ?').run(batchId);
    },
  };
}
