// Applying a rule (assign.apply, the automatic rules). The plan (seconds over a large selection) is made in a read
// transaction, which sees one consistent snapshot and blocks no one. A plan of up to `single` moves is then
// written in one short IMMEDIATE transaction, each move only if its case is still as the plan saw it. A larger
// plan is written in parts, each its own short transaction, so that collectors' writes (a logged call, a case's
// "viewed" entry) get the lock in between instead of waiting seconds and being answered BUSY (issue 16):
//   1. the plan is stored (assignment_pending + one assignment_pending_moves row per chunk of moves, migration
//      024), in short transactions; unattached, it is nothing yet (dropped if the process dies here);
//   2. one transaction checks that no other assignment was saved since the plan was read, inserts the
//      assignments row and attaches the stored plan to it: from here the assignment happens, whoever finishes it;
//   3. each write transaction takes chunk rows in order for about `lockMs`: writes their moves (re-checked),
//      deletes the rows and adds their skips to the tally: a chunk is written exactly once, and the rows left are
//      what is left to do;
//   4. the transaction that writes the last chunk also sets the final count, appends the one audit entry and
//      drops the plan.
// A process killed after 2 leaves the rest for the next unlock of the store (resumePendingAssignments).
import type { AssignPlan } from '../../shared/contract/assignment.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import { spreadOf } from '../../shared/domain/assignment/plan.js';
import type { Ctx } from '../context.js';
import type { Repos } from '../../db/repos/index.js';
import type { CheckedChange } from '../../db/repos/assignment.js';
import { isBusy } from '../busy.js';
import { computePlan, type AssignRequest, type ComputedPlan, type PlannedChange } from './engine.js';
import { yieldToInteractive } from '../../db/write-priority.js';

/**
 * Another assignment saved while the plan was made changes the collectors' workloads the plan balanced and
 * their room under capacity: the plan is made again, up to this many times; after that it is made under the
 * write lock (correct, only the collectors' writes wait meanwhile).
 */
const MAX_REPLANS = 2;

/**
 * single: plans of up to this many moves are written in one transaction, as before (~40 µs a move with the
 * store's triggers: holder history, dashboard summaries). chunk: moves per stored row. lockMs: a write
 * transaction takes rows until it has worked this long (its COMMIT comes on top), so a part holds the lock about
 * the same time on a fast or a loaded machine (bench: `npm run bench -- assign`); 0: one row per transaction.
 * stageRows: rows per transaction while the plan is stored. gapMs: the pause after each transaction. SQLite's
 * locks are not fair: without a pause the next BEGIN (microseconds after the COMMIT) nearly always wins, and a
 * waiting writer waits for the whole assignment anyway (tested). The pause must be longer than the longest
 * interval at which a waiting writer tries again, so that every waiter tries inside the first pause after it
 * began to wait: the request thread retries at most every 50 ms (+25 % jitter: core/busy.ts LOCK_MAX_PAUSE_MS),
 * so 65 ms. (SQLite's own busy handler, on the workers' connections, tries every 50–100 ms after its first 128.)
 */
export const applyTuning = { single: 2000, chunk: 500, lockMs: 80, stageRows: 40, gapMs: 65 };

/**
 * Lets a waiting writer take the lock. Synchronous, as the apply is: in a worker it blocks no one else, and it
 * goes on waiting while a user's write on the request thread waits for the lock (db/write-priority.ts: that
 * thread's timers fire late when it is busy, and would miss the gap); on the request thread (automatic rules
 * after an import, a backend without workers) it holds up that thread's calls, as the parts themselves do there.
 */
const pause = () => yieldToInteractive(applyTuning.gapMs);

/** Tests and the bench only: after the plan's read transaction; after each write transaction (its lock time); after each write of a chunked one. */
export const applyTestHooks: { afterPlan?: () => void; afterWrite?: (ms: number) => void; afterChunk?: (assignmentId: number) => void } = {};

/** One IMMEDIATE transaction (a savepoint inside a caller's), timed for the bench. */
function locked<T>(r: Repos, fn: () => T): T {
  const t0 = performance.now();
  try {
    return r.db.transaction(fn).immediate();
  } finally {
    applyTestHooks.afterWrite?.(performance.now() - t0);
  }
}

/** The skipped moves so far, per receiving collector: all the final figures need (bounded by the collectors). */
interface SkipTally {
  n: number;
  per: Record<string, { cases: number; amountFen: number; buckets: Record<string, number> }>;
}

function tallySkip(t: SkipTally, c: PlannedChange): void {
  t.n++;
  if (c.to === null) return;
  const p = (t.per[c.to] ??= { cases: 0, amountFen: 0, buckets: {} });
  p.cases++;
  p.amountFen += c.amountFen;
  const b = c.bucket ?? '—';
  p.buckets[b] = (p.buckets[b] ?? 0) + 1;
}

type Figures = Omit<AssignPlan, 'assignmentId'>;

function auditSummary(plan: Figures) {
  return {
    selected: plan.selected,
    assigned: plan.assigned,
    unchanged: plan.unchanged,
    unassignable: plan.unassignable,
    skipped: plan.skipped,
    replanned: plan.replanned,
    perCollector: plan.perCollector.filter((p) => p.cases > 0).map((p) => ({ collector: p.username, cases: p.cases, amountFen: p.amountFen })),
  };
}

/** The plan's figures without the moves that were not made (their cases changed, or their collector left). */
function withoutSkipped(plan: Figures, skipped: SkipTally, rule: AssignRequest['rule']): Figures {
  if (skipped.n === 0) return plan;
  const per = new Map(plan.perCollector.map((p) => [p.collectorId, { ...p, buckets: { ...p.buckets } }]));
  for (const [id, s] of Object.entries(skipped.per)) {
    const p = per.get(Number(id));
    if (!p) continue;
    p.cases -= s.cases;
    p.amountFen -= s.amountFen;
    for (const [b, n] of Object.entries(s.buckets)) if ((p.buckets[b] = (p.buckets[b] ?? 0) - n) <= 0) delete p.buckets[b];
    p.openCasesAfter -= s.cases;
    p.openAmountAfterFen -= s.amountFen;
    p.capacityLeft += s.cases;
  }
  const perCollector = [...per.values()];
  const spreadOver = rule === 'balanced' || rule === 'round_robin' ? plan.perCollector.map((p) => per.get(p.collectorId)!) : perCollector.filter((p) => p.cases > 0);
  return {
    ...plan,
    assigned: plan.assigned - skipped.n,
    perCollector,
    spread: spreadOf(spreadOver.map((p) => p.openAmountAfterFen)),
    skipped: skipped.n,
  };
}

const auditDetail = (req: AssignRequest, plan: Figures) => ({ selection: req.selection, pool: req.pool, keepBorrower: req.keepBorrower, unchanged: plan.unchanged, spread: plan.spread });
const unassignableOf = (plan: Figures) => plan.unassignable.reduce((n, u) => n + u.cases, 0);
/** Moves to a collector no longer active and present are not made (checked in each write transaction). */
function absentSkip(r: Repos, changes: readonly CheckedChange[]): (c: CheckedChange) => boolean {
  const present = r.assignment.available([...new Set(changes.map((c) => c.to).filter((to): to is number => to !== null))]);
  return (c) => c.to !== null && !present.has(c.to);
}

/** Writes a small plan (its moves re-checked), the log row and one audit entry; inside the caller's write transaction. */
function writePlan(ctx: Ctx, req: AssignRequest, computed: ComputedPlan, kind: 'rule' | 'auto', ruleId: number | null, replanned: number): AssignPlan {
  const r = ctx.store.repos;
  const { plan, changes } = computed;
  const detail = auditDetail(req, plan);
  const { id, skipped } = r.assignment.recordChecked(
    { at: ctx.now().toISOString(), actorId: ctx.user!.id, kind, rule: req.rule, ruleId, unassignable: unassignableOf(plan), detail },
    changes,
    absentSkip(r, changes),
  );
  const tally: SkipTally = { n: 0, per: {} };
  for (const i of skipped) tallySkip(tally, changes[i]!);
  const done = { ...withoutSkipped(plan, tally, req.rule), replanned };
  ctx.audit(kind === 'auto' ? 'assign.auto' : 'assign.apply', 'assignment', id, { rule: req.rule, ruleId, ...detail, spread: done.spread, ...auditSummary(done) });
  return { ...done, assignmentId: id };
}

/** What a stored plan carries besides its moves: enough to finish it and write its audit entry in another process. */
interface PendingState {
  kind: 'rule' | 'auto';
  rule: AssignRequest['rule'];
  ruleId: number | null;
  detail: ReturnType<typeof auditDetail>;
  plan: Figures;
  skipped: SkipTally;
}

type MoveTuple = [number, number | null, number | null, number | null, string, string | null, string | null, number];
const encode = (cs: readonly PlannedChange[]): string =>
  JSON.stringify(cs.map((c): MoveTuple => [c.caseId, c.from, c.to, c.version, c.stage, c.bucket, c.province, c.amountFen]));
const decode = (json: string): PlannedChange[] =>
  (JSON.parse(json) as MoveTuple[]).map(([caseId, from, to, version, stage, bucket, province, amountFen]) => ({ caseId, from, to, version, stage, bucket, province, amountFen }));

/** Step 1: stores a plan of several chunks, unattached; its pending id. */
function storePlan(r: Repos, req: AssignRequest, computed: ComputedPlan, kind: 'rule' | 'auto', ruleId: number | null, replanned: number, at: string): number {
  const { changes } = computed;
  const size = applyTuning.chunk;
  const chunks = Math.ceil(changes.length / size);
  const plan = { ...computed.plan, replanned };
  const state: PendingState = { kind, rule: req.rule, ruleId, detail: auditDetail(req, plan), plan, skipped: { n: 0, per: {} } };
  const pendingId = locked(r, () => r.assignment.insertPending(chunks, changes.length, JSON.stringify(state), at));
  for (let from = 0; from < chunks; from += applyTuning.stageRows) {
    // Encoded outside the lock; written a few chunk rows per transaction.
    const rows: (readonly [number, string])[] = [];
    for (let k = from; k < Math.min(chunks, from + applyTuning.stageRows); k++) rows.push([k, encode(changes.slice(k * size, (k + 1) * size))] as const);
    locked(r, () => {
      for (const [k, json] of rows) r.assignment.insertPendingMoves(pendingId, k, json);
    });
    pause();
  }
  return pendingId;
}

/** A second assignment waits for one being written (its balance depends on the workloads that one leaves). */
function refuseWhileApplying(r: Repos): void {
  const p = r.assignment.pendingRows().find((x) => x.assignment_id !== null);
  if (!p) return;
  const left = r.assignment.chunksLeft(p.id);
  throw new ApiFailure(
    'BUSY',
    `Assignment ${p.assignment_id} is still being written (${p.chunks - left} of ${p.chunks} parts done): nothing was saved yet; retrying when it has finished.`,
    { retryAfterSeconds: 2 },
  );
}

type Append = (action: string, assignmentId: number, detail: Record<string, unknown>) => void;

/**
 * One part's transaction. The assignment is under way: a part that meets another writer's lock for longer than
 * the connection's busy timeout (an import's load) is tried again, not given up — given up, the call's retry
 * would find its own assignment being written and wait for it forever.
 */
function partOrBusy<T>(r: Repos, fn: () => T): T | typeof BUSY {
  try {
    return locked(r, fn);
  } catch (e) {
    if (!isBusy(e)) throw e;
    pause();
    return BUSY;
  }
}
const BUSY = Symbol('busy');

/** Steps 3 and 4: writes the chunks left of an attached plan, then finishes it. The assignment's final figures. */
function writeChunks(r: Repos, pendingId: number, append: Append): AssignPlan {
  for (;;) {
    let assignmentId = 0;
    const out = partOrBusy(r, (): AssignPlan | null => {
      const t0 = performance.now();
      const p = r.assignment.pendingById(pendingId);
      if (!p || p.assignment_id === null) throw new Error(`assignment plan ${pendingId} is gone or not attached`);
      assignmentId = p.assignment_id;
      const state = JSON.parse(p.state) as PendingState;
      const at = r.assignment.assignmentRow(p.assignment_id)!.at;
      const skippedBefore = state.skipped.n;
      for (let last = 0; ; ) {
        const next = r.assignment.nextChunk(pendingId);
        if (!next) break;
        const t = performance.now();
        const changes = decode(next.moves);
        for (const i of r.assignment.writeMoves(p.assignment_id, at, changes, absentSkip(r, changes))) tallySkip(state.skipped, changes[i]!);
        r.assignment.deleteChunk(pendingId, next.chunk);
        last = performance.now() - t;
        // Another row only if it fits in the time left (judged by the one just written).
        if (performance.now() - t0 + last > applyTuning.lockMs) break;
      }
      if (r.assignment.chunksLeft(pendingId) > 0) {
        if (state.skipped.n !== skippedBefore) r.assignment.setPendingState(pendingId, JSON.stringify(state));
        return null;
      }
      const done = withoutSkipped(state.plan, state.skipped, state.rule);
      r.assignment.finishApplying(p.assignment_id, done.assigned);
      append(state.kind === 'auto' ? 'assign.auto' : 'assign.apply', p.assignment_id, { rule: state.rule, ruleId: state.ruleId, ...state.detail, spread: done.spread, ...auditSummary(done) });
      r.assignment.deletePending(pendingId);
      return { ...done, assignmentId: p.assignment_id };
    });
    if (out === BUSY) continue;
    applyTestHooks.afterChunk?.(assignmentId);
    if (out) return out;
    pause();
  }
}

/**
 * Writes a plan made earlier: null if another assignment was saved since `lastAssignment` (then it is planned
 * again). Inside a caller's transaction (lastAssignment null) everything is written in it.
 */
function write(ctx: Ctx, req: AssignRequest, computed: ComputedPlan, kind: 'rule' | 'auto', ruleId: number | null, replanned: number, lastAssignment: number | null): AssignPlan | null {
  const r = ctx.store.repos;
  const unchanged = () => lastAssignment === null || r.assignment.lastId() === lastAssignment;
  if (computed.changes.length <= applyTuning.single || r.db.inTransaction) {
    return locked(r, () => {
      if (!unchanged()) return null;
      refuseWhileApplying(r);
      return writePlan(ctx, req, computed, kind, ruleId, replanned);
    });
  }
  const at = ctx.now().toISOString();
  let pendingId = 0;
  let attached = false;
  try {
    pendingId = storePlan(r, req, computed, kind, ruleId, replanned, at);
    attached = locked(r, () => {
      if (!unchanged() || r.assignment.pendingRows().some((x) => x.assignment_id !== null)) return false;
      const plan = computed.plan;
      const id = r.assignment.insertApplying({ at, actorId: ctx.user!.id, kind, rule: req.rule, ruleId, assigned: plan.assigned, unassignable: unassignableOf(plan), detail: auditDetail(req, plan) });
      return r.assignment.attachPending(pendingId, id);
    });
  } finally {
    // Not attached (planned again, or an error such as the lock): the stored plan is nothing; dropped now if it can be.
    if (!attached && pendingId) {
      try {
        locked(r, () => r.assignment.deletePending(pendingId));
      } catch {
        // left for the next opening of the store, which drops unattached plans
      }
    }
  }
  if (!attached) return null;
  return { ...writeChunks(r, pendingId, (action, id, detail) => ctx.audit(action, 'assignment', id, detail)), replanned };
}

/** Applies a rule: plan in a read snapshot, then write the moves still valid (in chunks when there are many). */
export function applyRule(ctx: Ctx, req: AssignRequest, kind: 'rule' | 'auto', ruleId: number | null = null): AssignPlan {
  const r = ctx.store.repos;
  if (r.db.inTransaction) {
    // Inside a caller's transaction there is no snapshot to plan in apart from it: plan and write in it.
    return write(ctx, req, computePlan(r, req), kind, ruleId, 0, null)!;
  }
  for (let replanned = 0; ; replanned++) {
    refuseWhileApplying(r);
    if (replanned === MAX_REPLANS) {
      // Planned under the write lock, so nothing can be saved in between, and written in that one transaction (rare, and long).
      return locked(r, () => write(ctx, req, computePlan(r, req), kind, ruleId, replanned, null)!);
    }
    // DEFERRED, and only reads: a snapshot that holds no lock (an offload worker's transactions are IMMEDIATE by default).
    const planned = r.db.transaction(() => ({ computed: computePlan(r, req), lastAssignment: r.assignment.lastId() })).deferred();
    applyTestHooks.afterPlan?.();
    const out = write(ctx, req, planned.computed, kind, ruleId, replanned, planned.lastAssignment);
    if (out) return out;
  }
}

/**
 * When a backend opens the store (nothing of it can be writing yet): plans a killed process left unattached are
 * dropped (their assignment never happened); attached ones are written to the end, exactly once, and their audit
 * entry is appended then, as their manager, by this host, marked `resumed`. The ids of the assignments finished.
 */
export function resumePendingAssignments(r: Repos, host: string, now: () => Date): number[] {
  const finished: number[] = [];
  for (const p of r.assignment.pendingRows()) {
    if (p.assignment_id === null) {
      locked(r, () => r.assignment.deletePending(p.id));
      continue;
    }
    const row = r.assignment.assignmentRow(p.assignment_id)!;
    const append: Append = (action, id, detail) =>
      r.audit.append({ at: now().toISOString(), actorId: row.actor_id, actor: row.actor, host, action, entity: 'assignment', entityId: String(id), detail: { ...detail, resumed: true } });
    finished.push(writeChunks(r, p.id, append).assignmentId!);
  }
  return finished;
}

/** resumePendingAssignments when the store opens; a failure is logged, not fatal (the next open tries again). */
export function finishInterruptedAssignments(r: Repos, host: string, now: () => Date): void {
  try {
    const done = resumePendingAssignments(r, host, now);
    if (done.length) console.error(`[agencydesk] finished assignment ${done.join(', ')}, interrupted while it was being written`);
  } catch (e) {
    console.error('[agencydesk] an interrupted assignment could not be finished now (the next opening of the store tries again):', e instanceof Error ? e.message : String(e));
  }
}
