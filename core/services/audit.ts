import type { Handler } from '../context.js';
import { acceptAnchor, compareAnchor } from '../audit/anchor.js';

const list: Handler<'audit.list'> = (input, ctx) => ({ entries: ctx.store.repos.audit.list(input) });

const verify: Handler<'audit.verify'> = (_input, ctx) => ctx.store.repos.audit.verify();

// The banner asks on every page: the copies outside the store (backup folders, maybe on a NAS) are re-read once a minute.
const anchor: Handler<'audit.anchor'> = (_input, ctx) => compareAnchor(ctx.store, { outsideMaxAgeMs: 60_000 });

const acceptAnchorHandler: Handler<'audit.acceptAnchor'> = ({ reason }, ctx) =>
  acceptAnchor(ctx.store, (previous) =>
    ctx.audit('audit.anchorAccepted', 'store', ctx.store.repos.meta.get('store_id'), {
      reason,
      previous: { status: previous.status, anchoredSeq: previous.anchoredSeq, anchoredAt: previous.anchoredAt, headSeq: previous.headSeq, message: previous.message },
    }),
  );

export const auditHandlers = { 'audit.list': list, 'audit.verify': verify, 'audit.anchor': anchor, 'audit.acceptAnchor': acceptAnchorHandler };
