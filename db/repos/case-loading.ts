// A placement load in progress (migration 026): its row in case_loading puts its cases out of sight until it
// publishes; its re-placed cases' new values wait in case_loading_updates. Undone in parts if it fails.
import type { Db } from '../open.js';

export interface Load {
  batchId: number;
  firstId: number;
}

export function caseLoadingRepo(db: Db) {
  const start = db.prepare<[number, number, string, string]>('INSERT INTO case_loading (batch_id, first_id, started_at, owner) VALUES (?, ?, ?, ?)');
  const all = db.prepare<[], { batch_id: number; first_id: number; owner: string }>('SELECT batch_id, first_id, owner FROM case_loading ORDER BY batch_id');
  const stage = db.prepare<[number, number, number, string]>('INSERT INTO case_loading_updates (batch_id, row_no, case_id, vals) VALUES (?, ?, ?, ?)');
  const staged = db.prepare<[number, number], { row_no: number; case_id: number; vals: string }>(
    'SELECT row_no, case_id, vals FROM case_loading_updates WHERE batch_id = ? AND row_no > ? ORDER BY row_no LIMIT 1000',
  );
  // Deleting in case id order from the top of the load keeps each part one range of the table.
  const deletePart = db.prepare<[number, number, number]>(
    'DELETE FROM case_rows WHERE id IN (SELECT id FROM case_rows WHERE id >= ? AND batch_id = ? ORDER BY id LIMIT ?)',
  );
  return {
    start: (batchId: number, firstId: number, at: string, owner: string) => void start.run(batchId, firstId, at, owner),
    loads: (): (Load & { owner: string })[] => all.all().map((r) => ({ batchId: r.batch_id, firstId: r.first_id, owner: r.owner })),
    stage: (batchId: number, rowNo: number, caseId: number, vals: readonly unknown[]) => void stage.run(batchId, rowNo, caseId, JSON.stringify(vals)),
    /** The waiting new values in file order, a page at a time (the caller writes between pages). */
    *staged(batchId: number) {
      for (let after = 0; ; ) {
        const page = staged.all(batchId, after);
        yield* page;
        if (page.length < 1000) return;
        after = page[page.length - 1]!.row_no;
      }
    },
    /** Deletes up to `n` of the load's cases; answers how many. */
    deletePart: (load: Load, n: number) => deletePart.run(load.firstId, load.batchId, n).changes,
    /** The load is published: its cases are everyone's from this transaction's commit. */
    published(batchId: number): void {
      db.prepare('DELETE FROM case_loading_updates WHERE batch_id = ?').run(batchId);
      db.prepare('DELETE FROM case_loading WHERE batch_id = ?').run(batchId);
    },
    /** After deletePart has taken every case: the rest of the load, and its batch, go. */
    forget(batchId: number): void {
      db.prepare('DELETE FROM case_loading_updates WHERE batch_id = ?').run(batchId);
      db.prepare('DELETE FROM import_rejections WHERE batch_id = ?').run(batchId);
      db.prepare('DELETE FROM dashboard_defer WHERE batch_id = ?').run(batchId);
      db.prepare('DELETE FROM case_loading WHERE batch_id = ?').run(batchId);
      db.prepare('DELETE FROM batches WHERE id = ?').run(batchId);
    },
  };
}
