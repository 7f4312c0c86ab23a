// Turns a selection, a rule and a pool into a plan (per-collector preview) and the case moves that
// apply it. Preview and apply share this, so what the manager saw is what happens.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { AssignPlan, Pool, Selection, Staff } from '../../shared/contract/assignment.js';
import { planAssignment, spreadOf, type AssignRule, type PlanCollector } from '../../shared/domain/assignment/plan.js';
import { DEFAULT_BUCKETS } from '../../shared/domain/placement/buckets.js';
import type { Repos } from '../../db/repos/index.js';
import type { CheckedChange } from '../../db/repos/assignment.js';

export interface AssignRequest {
  selection: Selection;
  rule: AssignRule;
  pool: Pool;
  keepBorrower: boolean;
}

/** A planned move with what the write re-checks, and its amount (to take it out of the plan if skipped). */
export interface PlannedChange extends CheckedChange {
  amountFen: number;
}

export interface ComputedPlan {
  plan: Omit<AssignPlan, 'assignmentId'>;
  changes: PlannedChange[];
}

/** Collectors who may receive cases now: active, not absent, and in the pool (empty pool = everyone). */
export function resolvePool(staff: readonly Staff[], pool: Pool, teamExists: (id: number) => boolean): Staff[] {
  for (const id of pool.teamIds) if (!teamExists(id)) throw new ApiFailure('NOT_FOUND', `No team with id ${id}.`);
  const known = new Set(staff.map((s) => s.userId));
  for (const id of pool.collectorIds) if (!known.has(id)) throw new ApiFailure('NOT_FOUND', `User ${id} is not a collector.`);
  const named = pool.teamIds.length > 0 || pool.collectorIds.length > 0;
  const out = staff.filter(
    (s) =>
      s.active &&
      !s.absent &&
      (!named || (s.teamId !== null && pool.teamIds.includes(s.teamId)) || pool.collectorIds.includes(s.userId)) &&
      (pool.skill === undefined || s.skills.includes(pool.skill)),
  );
  if (out.length === 0) throw new ApiFailure('BAD_INPUT', 'No active, present collector in the chosen teams or collectors: nobody could receive cases.');
  return out;
}

export function computePlan(repos: Repos, req: AssignRequest): ComputedPlan {
  const staff = repos.staff.list();
  const pool = resolvePool(staff, req.pool, (id) => repos.teams.byId(id) !== null);
  const selected = repos.assignment.selected(req.selection);
  const holders = req.keepBorrower && selected.length ? repos.assignment.holders(selected) : new Map<string, number>();

  // Workload outside the selection: the selection's cases are being (re)distributed.
  const loads = repos.assignment.loads();
  for (const [, amount, , , , collector] of selected) {
    if (collector === null) continue;
    const l = loads.get(collector);
    if (l) loads.set(collector, [l[0] - 1, l[1] - amount]);
  }
  const inPool = new Set(pool.map((s) => s.userId));
  const present = staff.filter((s) => s.active && !s.absent);
  const holding = new Set(holders.values());
  const receivers = present.filter((s) => inPool.has(s.userId) || holding.has(s.userId));
  const collectors: PlanCollector[] = receivers.map((s) => {
    const [n, amount] = loads.get(s.userId) ?? [0, 0];
    return {
      id: s.userId,
      capacityLeft: Math.max(0, s.capacity - n),
      loadFen: amount,
      buckets: s.teamBuckets,
      regions: s.regions,
      inPool: inPool.has(s.userId),
    };
  });
  const { to, unassignable } = planAssignment(selected, collectors, {
    rule: req.rule,
    keepBorrower: req.keepBorrower,
    holders,
    bucketOrder: DEFAULT_BUCKETS.map((b) => b.code),
  });

  const changes: PlannedChange[] = [];
  let unchanged = 0;
  const got = new Map<number, { cases: number; amountFen: number; buckets: Record<string, number> }>();
  selected.forEach(([id, amountFen, bucket, province, , current, version, stage], i) => {
    const target = to[i]!;
    if (target === 0) return;
    if (target === current) unchanged++;
    else changes.push({ caseId: id, from: current, to: target, version, stage, bucket, province, amountFen });
    const g = got.get(target) ?? { cases: 0, amountFen: 0, buckets: {} };
    g.cases++;
    g.amountFen += amountFen;
    const b = bucket ?? '—';
    g.buckets[b] = (g.buckets[b] ?? 0) + 1;
    got.set(target, g);
  });

  const perCollector = receivers
    .filter((s) => inPool.has(s.userId) || got.has(s.userId))
    .map((s) => {
      const g = got.get(s.userId) ?? { cases: 0, amountFen: 0, buckets: {} };
      const [n, amount] = loads.get(s.userId) ?? [0, 0];
      return {
        collectorId: s.userId,
        username: s.username,
        displayName: s.displayName,
        cases: g.cases,
        amountFen: g.amountFen,
        buckets: g.buckets,
        openCasesAfter: n + g.cases,
        openAmountAfterFen: amount + g.amountFen,
        capacityLeft: s.capacity - n - g.cases,
      };
    });
  // by-bucket and by-region pools are split by design: measure evenness among those who received.
  const spreadOver = req.rule === 'balanced' || req.rule === 'round_robin' ? perCollector.filter((p) => inPool.has(p.collectorId)) : perCollector.filter((p) => p.cases > 0);
  return {
    plan: {
      selected: selected.length,
      assigned: changes.length,
      unchanged,
      unassignable,
      perCollector,
      spread: spreadOf(spreadOver.map((p) => p.openAmountAfterFen)),
      skipped: 0,
      replanned: 0,
    },
    changes,
  };
}
