import { ApiFailure } from '../../shared/contract/failure.js';
import type { Handler } from '../context.js';

const list: Handler<'lenders.list'> = (_input, ctx) => ({ lenders: ctx.store.repos.lenders.list() });

const create: Handler<'lenders.create'> = (input, ctx) => {
  const r = ctx.store.repos;
  if (r.lenders.byCode(input.code)) throw new ApiFailure('CONFLICT', `A lender with code ${input.code} exists.`);
  const id = r.db.transaction(() => {
    const newId = r.lenders.create(input, ctx.now().toISOString());
    ctx.audit('lenders.create', 'lender', newId, { code: input.code, name: input.name });
    return newId;
  })();
  return r.lenders.byId(id)!;
};

const update: Handler<'lenders.update'> = (input, ctx) => {
  const r = ctx.store.repos;
  const before = r.lenders.byId(input.id);
  if (!before) throw new ApiFailure('NOT_FOUND', `No lender with id ${input.id}.`);
  const next = { name: input.name ?? before.name, contact: input.contact ?? before.contact, rejectPolicy: input.rejectPolicy ?? before.rejectPolicy };
  r.db.transaction(() => {
    r.lenders.update(before.id, next, ctx.now().toISOString());
    ctx.audit('lenders.update', 'lender', before.id, { before: { name: before.name, contact: before.contact, rejectPolicy: before.rejectPolicy }, after: next });
  })();
  return r.lenders.byId(before.id)!;
};

const templates: Handler<'templates.list'> = ({ lenderId }, ctx) => {
  if (!ctx.store.repos.lenders.byId(lenderId)) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  return { templates: ctx.store.repos.lenders.templates(lenderId) };
};

const batches: Handler<'batches.list'> = ({ lenderId }, ctx) => ({ batches: ctx.store.repos.batches.list(lenderId) });

const rejections: Handler<'batches.rejections'> = ({ batchId }, ctx) => {
  const r = ctx.store.repos;
  const batch = r.batches.byId(batchId);
  if (!batch) throw new ApiFailure('NOT_FOUND', `No batch with id ${batchId}.`);
  // Rejected rows hold personal data in full: reading them is recorded.
  r.db.transaction(() => ctx.audit('batches.rejections', 'batch', batchId, { rows: batch.rowsRejected }))();
  return { rows: r.batches.rejections(batchId), headers: r.batches.headersOf(batchId) };
};

export const lenderHandlers = {
  'lenders.list': list,
  'lenders.create': create,
  'lenders.update': update,
  'templates.list': templates,
  'batches.list': batches,
  'batches.rejections': rejections,
};
