// The agency's outcome codes, kept in the settings table (key `outcomeCodes`, no migration): the
// built-in ten plus its own, each with labels and the class the guardrails count by. Changes are audited.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { Ctx, Handler } from '../context.js';
import { activeCodes, checkOutcomeChange, codesOf, outcomeCatalog, type Outcome, type OutcomeDef } from '../../shared/domain/casework/outcomes.js';

const KEY = 'outcomeCodes';

/** The agency's outcome codes now (the defaults until a manager saves a change). */
export function outcomesOf(ctx: Ctx): Outcome[] {
  return outcomeCatalog(ctx.store.repos.meta.getSetting<OutcomeDef[]>(KEY));
}

/** The code lists the guardrails and the report count by. */
export function outcomeClasses(ctx: Ctx) {
  const list = outcomesOf(ctx);
  return {
    list,
    connected: codesOf(list, 'connected'),
    unanswered: codesOf(list, 'unanswered'),
    failed: codesOf(list, 'unanswered', 'failed'),
    active: activeCodes(list),
  };
}

/** Refuses a code a new entry may not use: unknown, or disabled. */
export function requireActiveOutcome(ctx: Ctx, code: string): void {
  const o = outcomesOf(ctx).find((x) => x.code === code);
  if (!o) throw new ApiFailure('BAD_INPUT', `Unknown outcome ${code}.`);
  if (!o.active) throw new ApiFailure('BAD_INPUT', `The outcome ${code} (${o.labels.en}) is disabled: choose another.`);
}

function view(ctx: Ctx) {
  const use = ctx.store.repos.casework.outcomeUse();
  return { outcomes: outcomesOf(ctx).map((o) => ({ ...o, used: use.get(o.code) ?? 0 })) };
}

const strip = ({ code, labels, class: cls, active }: OutcomeDef): OutcomeDef => ({ code, labels: { 'zh-CN': labels['zh-CN'], en: labels.en }, class: cls, active });

const list: Handler<'outcomes.list'> = (_input, ctx) => view(ctx);

const save: Handler<'outcomes.save'> = ({ create, ...next }, ctx) => {
  const r = ctx.store.repos;
  const existing = outcomesOf(ctx);
  const problem = checkOutcomeChange(existing, next, create);
  if (problem) throw new ApiFailure(problem.kind === 'exists' ? 'CONFLICT' : problem.kind === 'missing' ? 'NOT_FOUND' : 'BAD_INPUT', problem.message);
  const before = existing.find((o) => o.code === next.code);
  const after = create ? [...existing, { ...next, builtIn: false }] : existing.map((o) => (o.code === next.code ? { ...o, ...next } : o));
  r.db.transaction(() => {
    r.meta.setSetting(KEY, after.map(strip));
    ctx.audit(create ? 'outcomes.create' : 'outcomes.update', 'outcome', next.code, { before: before ? strip(before) : null, after: strip(next) });
  })();
  return view(ctx);
};

const remove: Handler<'outcomes.delete'> = ({ code }, ctx) => {
  const r = ctx.store.repos;
  const existing = outcomesOf(ctx);
  const o = existing.find((x) => x.code === code);
  if (!o) throw new ApiFailure('NOT_FOUND', `No outcome code ${code}.`);
  if (o.builtIn) throw new ApiFailure('CONFLICT', `${code} is a built-in outcome: disable it instead.`);
  const used = r.casework.outcomeUse().get(code) ?? 0;
  if (used > 0) throw new ApiFailure('CONFLICT', `${code} is used by ${used} contact-log entries, which must stay readable: disable it instead.`);
  if (o.active && existing.every((x) => x.code === code || !x.active)) throw new ApiFailure('BAD_INPUT', 'At least one outcome code must stay in use.');
  r.db.transaction(() => {
    r.meta.setSetting(KEY, existing.filter((x) => x.code !== code).map(strip));
    ctx.audit('outcomes.delete', 'outcome', code, { before: strip(o) });
  })();
  return view(ctx);
};

export const outcomeHandlers = { 'outcomes.list': list, 'outcomes.save': save, 'outcomes.delete': remove };
