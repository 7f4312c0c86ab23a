import type { Handler } from '../context.js';

const list: Handler<'audit.list'> = (input, ctx) => ({ entries: ctx.store.repos.audit.list(input) });

const verify: Handler<'audit.verify'> = (_input, ctx) => ctx.store.repos.audit.verify();

export const auditHandlers = { 'audit.list': list, 'audit.verify': verify };
