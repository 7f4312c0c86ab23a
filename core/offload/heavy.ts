// Which contract methods run in the offload pool's worker threads (core/offload/pool.ts) instead of on the
// thread that answers every user's calls. One list, here, so a method's place is decided once.
import type { MethodName } from '../../shared/contract/registry.js';

/**
 * Heavy: each reads (and some write) a large part of the portfolio, seconds at 100k–1M cases, so on the
 * request thread every call that arrives meanwhile would wait for it. None needs main-thread state: no
 * sessions, no import/export jobs (assign.apply only asks whether an import runs: the pool passes that
 * count), no settings-changed hook; uploaded files are read by path from the store folder.
 * Not here: queue.today, cases.list/get, contacts.* (short, per collector: answered on the request thread),
 * import.*, reports.export, backup.run (already their own workers, and they need the job tables), auth.*,
 * sessions.*, users.*, settings.* (sessions, key slots and the idle-lock hook live on the main thread).
 */
export const HEAVY_METHODS: ReadonlyMap<MethodName, 'reads' | 'writes'> = new Map<MethodName, 'reads' | 'writes'>([
  ['dashboard.get', 'reads'], // one pass over every case and the period's payments and contacts (seconds at 1M)
  ['assign.preview', 'reads'], // selects and plans over the whole selection (8 s at 1M)
  ['assign.apply', 'writes'], // the same in a read snapshot, then writes the moves in short chunked transactions (core/assignment/apply.ts)
  ['staff.list', 'reads'], // every collector's open workload: a count over all holdings (~1 s at 1M)
  ['repayments.preview', 'reads'], // reads a file of up to 100k rows and plans each row against the store (3 s)
  ['repayments.import', 'writes'], // the same, then one transaction posting every payment (15 s at 100k rows)
  ['repayments.reconcile', 'reads'], // every reported and agency payment of a period
  ['commission.statement', 'reads'], // every payment of a month
  ['compliance.report', 'reads'], // every contact attempt, refusal and override of a period
  ['recalls.importFile', 'writes'], // reads a recall file and looks up each case, then returns them in one transaction
  ['audit.verify', 'reads'], // walks and hashes the whole audit chain
  ['privacy.accessReport', 'reads'], // every view and unmask entry of a period against the assignment history
  ['privacy.due', 'reads'], // every finished case against its lender's retention
  ['system.check', 'writes'], // integrity_check reads every page of the store, then the audit chain (and audits the check)
]);

export const isHeavy = (method: MethodName): boolean => HEAVY_METHODS.has(method);

/**
 * A heavy writer's transactions start IMMEDIATE in its worker: it takes the write lock first (waiting there,
 * off the request path) and then reads. Begun DEFERRED, it would read for seconds and then lose the upgrade
 * to a write to any short write the request thread committed meanwhile (SQLITE_BUSY_SNAPSHOT), retry, and
 * lose again while collectors keep logging calls. Readers stay DEFERRED: they never hold the write lock.
 */
export const writesInWorker = (method: string): boolean => HEAVY_METHODS.get(method as MethodName) === 'writes';

/**
 * A collector's own reads, on the team server: each is short (tens of ms), but 50 collectors send a dozen a
 * second and on one thread they queued behind each other (at 1M cases that thread was busy 96 % of the time,
 * collectors' p50 1.6 s). They go to a reader pool with connections of its own, so the request thread only
 * authenticates, parses and answers. Not here: cases.get (it writes the "viewed" entry), contacts.* (writes).
 */
export const READER_METHODS: ReadonlySet<MethodName> = new Set<MethodName>(['queue.today', 'cases.list']);

export const isReader = (method: MethodName): boolean => READER_METHODS.has(method);
