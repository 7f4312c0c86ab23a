// Appends one audit entry for a Ctx (the request thread's and the offload workers'). Several connections
// write the store (the request thread, offload and import workers): the entry reads the chain's head and
// inserts after it, so both must happen under one write lock. Inside the caller's transaction they do (a
// WAL snapshot that is no longer the newest cannot write: SQLITE_BUSY_SNAPSHOT, retried whole); outside one,
// the append takes its own immediate transaction so another connection cannot append in between.
import type { Repos } from '../db/repos/index.js';
import type { AuditInput } from '../db/repos/audit.js';

export function appendAudit(r: Repos, e: AuditInput): void {
  if (r.db.inTransaction) r.audit.append(e);
  else r.db.transaction(() => r.audit.append(e)).immediate();
}
