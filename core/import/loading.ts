// Undoing a placement load that did not publish (db/repos/case-loading.ts): its cases were written in parts
// and are out of sight; they are deleted in parts too, so that others' writes pass between, and the batch
// goes last. Run by the import that failed; for one whose worker died, by a worker started then (that
// load only); for one killed with the process, at the store's next unlock.
import type { Db } from '../../db/open.js';
import { caseLoadingRepo, type Load } from '../../db/repos/case-loading.js';
import { yieldToInteractive } from '../../db/write-priority.js';

const UNDO_PART_CASES = 5_000;

export function undoLoad(db: Db, load: Load, pauseMs = 20): void {
  const loading = caseLoadingRepo(db);
  if (db.inTransaction) db.exec('ROLLBACK');
  for (;;) {
    const n = db.transaction(() => loading.deletePart(load, UNDO_PART_CASES)).immediate();
    if (n < UNDO_PART_CASES) break;
    yieldToInteractive(pauseMs);
  }
  db.transaction(() => loading.forget(load.batchId)).immediate();
}

/**
 * Undoes every load in the store — call only when no import is running (one process holds the store) — or,
 * given `owner`, only the load of that import job (its worker died; another import may be writing its own).
 */
export function undoStaleLoads(db: Db, owner?: string): number {
  const loads = caseLoadingRepo(db).loads().filter((l) => owner === undefined || l.owner === owner);
  for (const load of loads) undoLoad(db, load, 0);
  return loads.length;
}
