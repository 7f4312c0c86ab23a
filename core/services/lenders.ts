import { ApiFailure } from '../../shared/contract/failure.js';
import type { Handler } from '../context.js';
import { PLACEMENT_FIELDS } from '../../shared/domain/placement/fields.js';

const list: Handler<'lenders.list'> = (_input, ctx) => ({ lenders: ctx.store.repos.lenders.list() });

const create: Handler<'lenders.create'> = (input, ctx) => {
  const r = ctx.store.repos;
  if (r.lenders.byCode(input.code)) throw new ApiFailure('CONFLICT', `A lender with code ${input.code} exists.`);
  const id = r.db.transaction(() => {
    const newId = r.lenders.create(input, ctx.now().toISOString());
    // Terms entered with the lender are its contract's; without them it accrues nothing ("terms not set").
    if (input.terms) r.money.setLenderTerms(newId, JSON.stringify(input.terms));
    ctx.audit('lenders.create', 'lender', newId, { code: input.code, name: input.name, terms: input.terms ?? null });
    return newId;
  })();
  return r.lenders.byId(id)!;
};

const update: Handler<'lenders.update'> = (input, ctx) => {
  const r = ctx.store.repos;
  const before = r.lenders.byId(input.id);
  if (!before) throw new ApiFailure('NOT_FOUND', `No lender with id ${input.id}.`);
  const next = {
    name: input.name ?? before.name,
    contact: input.contact ?? before.contact,
    rejectPolicy: input.rejectPolicy ?? before.rejectPolicy,
    amountMismatchPolicy: input.amountMismatchPolicy ?? before.amountMismatchPolicy,
  };
  r.db.transaction(() => {
    r.lenders.update(before.id, next, ctx.now().toISOString());
    const was = { name: before.name, contact: before.contact, rejectPolicy: before.rejectPolicy, amountMismatchPolicy: before.amountMismatchPolicy };
    ctx.audit('lenders.update', 'lender', before.id, { before: was, after: next });
  })();
  return r.lenders.byId(before.id)!;
};

const templates: Handler<'templates.list'> = ({ lenderId }, ctx) => {
  if (!ctx.store.repos.lenders.byId(lenderId)) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  return { templates: ctx.store.repos.lenders.templates(lenderId) };
};

/** A template names placement fields (by key), each with the header text of its column. */
function checkMapping(mapping: Record<string, string>): void {
  const unknown = Object.keys(mapping).filter((k) => !PLACEMENT_FIELDS.some((f) => f.key === k));
  if (unknown.length) throw new ApiFailure('BAD_INPUT', `Unknown placement field(s): ${unknown.join(', ')}.`);
  const blank = Object.entries(mapping).filter(([, h]) => h.trim() === '').map(([k]) => k);
  if (blank.length) throw new ApiFailure('BAD_INPUT', `No column header given for: ${blank.join(', ')}.`);
}

const saveTemplate: Handler<'templates.save'> = ({ lenderId, name, mapping }, ctx) => {
  const r = ctx.store.repos;
  if (!r.lenders.byId(lenderId)) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  checkMapping(mapping);
  r.db.transaction(() => {
    r.lenders.saveTemplate(lenderId, name, mapping, ctx.now().toISOString());
    ctx.audit('templates.save', 'lender', lenderId, { name, fields: Object.keys(mapping).length });
  })();
  return r.lenders.templates(lenderId).find((t) => t.name === name)!;
};

const deleteTemplate: Handler<'templates.delete'> = ({ lenderId, name }, ctx) => {
  const r = ctx.store.repos;
  if (!r.lenders.byId(lenderId)) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  const deleted = r.db.transaction(() => {
    const gone = r.lenders.deleteTemplate(lenderId, name);
    if (gone) ctx.audit('templates.delete', 'lender', lenderId, { name });
    return gone;
  })();
  if (!deleted) throw new ApiFailure('NOT_FOUND', `This lender has no template named ${name}.`);
  return { deleted };
};

const batches: Handler<'batches.list'> = ({ lenderId }, ctx) => ({ batches: ctx.store.repos.batches.list(lenderId) });

const rejections: Handler<'batches.rejections'> = ({ batchId }, ctx) => {
  const r = ctx.store.repos;
  const batch = r.batches.byId(batchId);
  if (!batch) throw new ApiFailure('NOT_FOUND', `No batch with id ${batchId}.`);
  // Rejected rows hold personal data in full: reading them is recorded.
  r.db.transaction(() => ctx.audit('batches.rejections', 'batch', batchId, { rows: batch.rowsRejected })).immediate();
  return { rows: r.batches.rejections(batchId), headers: r.batches.headersOf(batchId) };
};

export const lenderHandlers = {
  'lenders.list': list,
  'lenders.create': create,
  'lenders.update': update,
  'templates.list': templates,
  'templates.save': saveTemplate,
  'templates.delete': deleteTemplate,
  'batches.list': batches,
  'batches.rejections': rejections,
};
