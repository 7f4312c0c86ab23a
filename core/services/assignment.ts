// Assignment (分案): preview and apply a rule over a selection, manual moves and recalls, the log, and
// the automatic rules that run when a batch arrives.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { Ctx, Handler } from '../context.js';
import { computePlan } from '../assignment/engine.js';
import { applyRule } from '../assignment/apply.js';
import type { Change } from '../../db/repos/assignment.js';
import { retryWhileLocked } from '../busy.js';

/** Writes to cases wait for a running import's transaction; refuse clearly instead of timing out. */
function refuseDuringImport(ctx: Ctx): void {
  if (ctx.jobs.runningCount > 0) throw new ApiFailure('CONFLICT', 'An import is running: assign cases when it has finished.');
}

const preview: Handler<'assign.preview'> = (input, ctx) => ({ ...computePlan(ctx.store.repos, input).plan, assignmentId: null });

const apply: Handler<'assign.apply'> = (input, ctx) => {
  refuseDuringImport(ctx);
  return applyRule(ctx, input, 'rule');
};

const manual: Handler<'assign.manual'> = (input, ctx) => {
  refuseDuringImport(ctx);
  const r = ctx.store.repos;
  const ids = [...new Set(input.caseIds)];
  const found = r.assignment.casesByIds(ids);
  if (found.length !== ids.length) {
    const have = new Set(found.map((c) => c.id));
    throw new ApiFailure('NOT_FOUND', `No case with id ${ids.find((id) => !have.has(id))}.`);
  }
  const closed = found.find((c) => c.status !== 'open');
  if (closed) throw new ApiFailure('CONFLICT', `Case ${closed.id} is ${closed.status}: only open cases can be assigned.`);
  const to = input.collectorId;
  if (to !== null) {
    const s = r.staff.byId(to);
    if (!s || !s.active) throw new ApiFailure('BAD_INPUT', `User ${to} is not an active collector.`);
    if (s.absent) throw new ApiFailure('CONFLICT', `${s.displayName} is marked absent and receives no cases.`);
    const arriving = found.filter((c) => c.collector_id !== to).length;
    if (s.openCases + arriving > s.capacity) {
      throw new ApiFailure('CONFLICT', `${s.displayName} has ${s.openCases} open cases; ${arriving} more would exceed the capacity of ${s.capacity}.`);
    }
  }
  const changes: Change[] = found.filter((c) => c.collector_id !== to).map((c) => ({ caseId: c.id, from: c.collector_id, to }));
  if (changes.length === 0) return { changed: 0, assignmentId: null, splits: [] };
  // Keep-together: the rules give a borrower's cases to one collector, so a hand move that would leave some of
  // them behind is asked about first (the caller adds them, or confirms the split).
  const splits = r.assignment.splitsOf(changes.map((c) => c.caseId), ids, to);
  if (splits.length > 0 && !input.confirmSplit) {
    return {
      changed: 0,
      assignmentId: null,
      splits: splits.map((x) => ({ caseId: x.case_id, caseNo: x.case_no, lenderCode: x.lender_code, borrowerName: x.borrower_name, collectorName: x.collector_name, withCaseId: x.with_case_id })),
    };
  }
  const rule = to === null ? 'recall' : 'manual';
  const id = r.db.transaction(() => {
    const detail = { note: input.note ?? null, to, cases: changes.length <= 100 ? changes : undefined, ...(splits.length ? { splitConfirmed: splits.map((x) => x.case_id).slice(0, 100) } : {}) };
    const newId = r.assignment.record({ at: ctx.now().toISOString(), actorId: ctx.user!.id, kind: 'manual', rule, ruleId: null, unassignable: 0, detail }, changes);
    ctx.audit(to === null ? 'assign.recall' : 'assign.manual', 'assignment', newId, { ...detail, changed: changes.length });
    return newId;
  })();
  return { changed: changes.length, assignmentId: id, splits: [] };
};

const log: Handler<'assign.log'> = ({ limit }, ctx) => ({ assignments: ctx.store.repos.assignment.log(limit) });

/** Read between the parts' transactions (a cheap read on small tables): how far a large assignment has got. */
const applying: Handler<'assign.applying'> = (_input, ctx) => ({
  applying: ctx.store.repos.assignment.applying().map((p) => ({
    assignmentId: p.assignment_id,
    at: p.at,
    actor: p.actor,
    actorName: p.actor_name,
    rule: p.rule,
    moves: p.moves,
    parts: p.chunks,
    partsDone: p.chunks - p.left,
  })),
});

const listRules: Handler<'assignRules.list'> = (_input, ctx) => ({ rules: ctx.store.repos.assignment.rules() });

const saveRule: Handler<'assignRules.save'> = (input, ctx) => {
  const r = ctx.store.repos;
  if (input.lenderId !== null && !r.lenders.byId(input.lenderId)) throw new ApiFailure('NOT_FOUND', `No lender with id ${input.lenderId}.`);
  for (const t of input.pool.teamIds) if (!r.teams.byId(t)) throw new ApiFailure('NOT_FOUND', `No team with id ${t}.`);
  if (input.id !== undefined && !r.assignment.ruleById(input.id)) throw new ApiFailure('NOT_FOUND', `No rule with id ${input.id}.`);
  const clash = r.assignment.rules().find((x) => x.name.toLowerCase() === input.name.toLowerCase() && x.id !== input.id);
  if (clash) throw new ApiFailure('CONFLICT', `A rule named ${input.name} exists.`);
  const { id: givenId, ...values } = input;
  const id = r.db.transaction(() => {
    const saved = r.assignment.saveRule(givenId, values, ctx.user!.id, ctx.now().toISOString());
    ctx.audit(givenId === undefined ? 'assignRules.create' : 'assignRules.update', 'assignment_rule', saved, values);
    return saved;
  })();
  return r.assignment.ruleById(id)!;
};

const deleteRule: Handler<'assignRules.delete'> = ({ id }, ctx) => {
  const r = ctx.store.repos;
  const rule = r.assignment.ruleById(id);
  if (!rule) throw new ApiFailure('NOT_FOUND', `No rule with id ${id}.`);
  r.db.transaction(() => {
    r.assignment.deleteRule(id);
    ctx.audit('assignRules.delete', 'assignment_rule', id, { name: rule.name });
  })();
  return { deleted: true };
};

/**
 * Runs every enabled automatic rule that matches a new batch's lender over that batch's unassigned
 * cases. A rule that cannot run (e.g. its team has nobody present) is reported, not fatal: the import stands.
 */
/**
 * How long an automatic rule keeps trying while another connection writes: right after an import's COMMIT its
 * worker writes the batch's search rows in short transactions, and the request connection does not wait for
 * locks (core/store-handle.ts REQUEST_BUSY_MS); the rule is tried again between them, on timers.
 */
const AUTO_RULE_LOCK_MS = 60_000;

export async function runAutoRules(ctx: Ctx, batch: { id: number; lenderId: number }): Promise<{ rule: string; assigned: number; error: string | null }[]> {
  const rules = ctx.store.repos.assignment.rules().filter((x) => x.enabled && (x.lenderId === null || x.lenderId === batch.lenderId));
  const out: { rule: string; assigned: number; error: string | null }[] = [];
  for (const rule of rules) {
    try {
      const plan = await retryWhileLocked(
        () =>
          applyRule(
            ctx,
            { selection: { batchId: batch.id, bucket: rule.bucket ?? undefined, unassignedOnly: true }, rule: rule.rule, pool: rule.pool, keepBorrower: rule.keepBorrower },
            'auto',
            rule.id,
          ),
        AUTO_RULE_LOCK_MS,
      );
      out.push({ rule: rule.name, assigned: plan.assigned, error: null });
    } catch (e) {
      out.push({ rule: rule.name, assigned: 0, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

export const assignmentHandlers = {
  'assign.preview': preview,
  'assign.apply': apply,
  'assign.manual': manual,
  'assign.log': log,
  'assign.applying': applying,
  'assignRules.list': listRules,
  'assignRules.save': saveRule,
  'assignRules.delete': deleteRule,
};
