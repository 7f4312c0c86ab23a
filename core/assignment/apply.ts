// Applying a rule (assign.apply, the automatic rules) in two steps, so that the write lock is held only while
// the moves are written: the plan (seconds over a large selection) is made in a read transaction, which sees
// one consistent snapshot and blocks no one; then a short IMMEDIATE transaction writes each planned move only
// if its case is still as the plan saw it. Held from the start of the planning instead (as before), the lock
// made every collector's write (a logged call, a case's "viewed" entry) wait and be answered BUSY meanwhile.
import type { AssignPlan } from '../../shared/contract/assignment.js';
import { spreadOf } from '../../shared/domain/assignment/plan.js';
import type { Ctx } from '../context.js';
import { computePlan, type AssignRequest, type ComputedPlan, type PlannedChange } from './engine.js';

/**
 * Another assignment saved while the plan was made changes the collectors' workloads the plan balanced and
 * their room under capacity: the plan is made again, up to this many times; after that it is made under the
 * write lock (as before: correct, only the collectors' writes wait meanwhile).
 */
const MAX_REPLANS = 2;

/** Tests only: runs between the plan's read transaction and the write (to change a planned case meanwhile). */
export const applyTestHooks: { afterPlan?: () => void } = {};

function auditSummary(plan: Omit<AssignPlan, 'assignmentId'>) {
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
function withoutSkipped(computed: ComputedPlan, skipped: readonly number[], rule: AssignRequest['rule']): Omit<AssignPlan, 'assignmentId'> {
  const plan = computed.plan;
  if (skipped.length === 0) return plan;
  const per = new Map(plan.perCollector.map((p) => [p.collectorId, { ...p, buckets: { ...p.buckets } }]));
  for (const i of skipped) {
    const c = computed.changes[i] as PlannedChange;
    const p = c.to === null ? undefined : per.get(c.to);
    if (!p) continue;
    p.cases--;
    p.amountFen -= c.amountFen;
    const b = c.bucket ?? '—';
    if ((p.buckets[b] = (p.buckets[b] ?? 0) - 1) <= 0) delete p.buckets[b];
    p.openCasesAfter--;
    p.openAmountAfterFen -= c.amountFen;
    p.capacityLeft++;
  }
  const perCollector = [...per.values()];
  const spreadOver = rule === 'balanced' || rule === 'round_robin' ? plan.perCollector.map((p) => per.get(p.collectorId)!) : perCollector.filter((p) => p.cases > 0);
  return {
    ...plan,
    assigned: plan.assigned - skipped.length,
    perCollector,
    spread: spreadOf(spreadOver.map((p) => p.openAmountAfterFen)),
    skipped: skipped.length,
  };
}

/** Writes a plan made earlier (its moves re-checked), the log row and one audit entry; inside the caller's write transaction. */
function writePlan(ctx: Ctx, req: AssignRequest, computed: ComputedPlan, kind: 'rule' | 'auto', ruleId: number | null, replanned: number): AssignPlan {
  const r = ctx.store.repos;
  const { plan, changes } = computed;
  const receivers = [...new Set(changes.map((c) => c.to).filter((to): to is number => to !== null))];
  const present = r.assignment.available(receivers);
  const unassignable = plan.unassignable.reduce((n, u) => n + u.cases, 0);
  const detail = { selection: req.selection, pool: req.pool, keepBorrower: req.keepBorrower, unchanged: plan.unchanged, spread: plan.spread };
  const { id, skipped } = r.assignment.recordChecked(
    { at: ctx.now().toISOString(), actorId: ctx.user!.id, kind, rule: req.rule, ruleId, unassignable, detail },
    changes,
    (c) => c.to !== null && !present.has(c.to),
  );
  const done = { ...withoutSkipped(computed, skipped, req.rule), replanned };
  ctx.audit(kind === 'auto' ? 'assign.auto' : 'assign.apply', 'assignment', id, { rule: req.rule, ruleId, ...detail, spread: done.spread, ...auditSummary(done) });
  return { ...done, assignmentId: id };
}

/** Applies a rule: plan in a read snapshot, then write the moves still valid in one short transaction. */
export function applyRule(ctx: Ctx, req: AssignRequest, kind: 'rule' | 'auto', ruleId: number | null = null): AssignPlan {
  const r = ctx.store.repos;
  for (let replanned = 0; ; replanned++) {
    if (replanned === MAX_REPLANS || r.db.inTransaction) {
      // Inside a caller's transaction there is no snapshot to plan in apart from it: plan and write in it.
      return r.db.transaction(() => writePlan(ctx, req, computePlan(r, req), kind, ruleId, replanned)).immediate();
    }
    // DEFERRED, and only reads: a snapshot that holds no lock (an offload worker's transactions are IMMEDIATE by default).
    const planned = r.db.transaction(() => ({ computed: computePlan(r, req), lastAssignment: r.assignment.lastId() })).deferred();
    applyTestHooks.afterPlan?.();
    const out = r.db
      .transaction(() => (r.assignment.lastId() === planned.lastAssignment ? writePlan(ctx, req, planned.computed, kind, ruleId, replanned) : null))
      .immediate();
    if (out) return out;
  }
}
