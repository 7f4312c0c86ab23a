// The master key through the API (admins): its state, changing it (rekey, core/key-slots.ts), and revealing it
// to IT as SQLCipher 4's PRAGMA key line (password asked again, audited).
import { ApiFailure } from '../../shared/contract/failure.js';
import { findPasswordSlot, isV2, sameKey, unlockPasswordSlot } from '../../db/keyslots.js';
import { clearAndDrain } from '../../db/lockout-file.js';
import { keyGeneration, rekeyDue, rekeyNow } from '../key-slots.js';
import { rekeyJob, runningRekey } from '../rekey-job.js';
import { auditDrained, failed, refuseIfLockedOut } from './auth.js';
import type { Handler } from '../context.js';

const status: Handler<'keys.status'> = (_input, ctx) => {
  const file = ctx.store.slots();
  const due = rekeyDue(ctx);
  const running = runningRekey(ctx.store);
  return {
    ...keyGeneration(ctx),
    rekeyDue: due && due.reasons.length ? due : null,
    slots: file.slots.map((s) => ({ kind: s.kind, username: s.kind === 'password' ? s.username : null, format: isV2(s) ? 2 : 1, signing: isV2(s) && !!s.privileged })),
    signingLockHeld: ctx.store.privilegedSecret() !== null,
    rekeyJob: running ? { jobId: running.jobId, phase: running.phase, percent: running.percent } : null,
  };
};

// A background job: the answer is its id; keys.rekeyStatus follows it (core/rekey-job.ts).
const rekey: Handler<'keys.rekey'> = (input, ctx) => ({ jobId: rekeyNow(ctx, { newRecoveryKey: input.newRecoveryKey }) });

const rekeyStatus: Handler<'keys.rekeyStatus'> = ({ jobId }, ctx) => rekeyJob(ctx.store, jobId, ctx.user!.id);

const reveal: Handler<'keys.revealMasterKey'> = async ({ password }, ctx) => {
  const user = ctx.user!;
  refuseIfLockedOut(ctx, user.username);
  const file = ctx.store.slots();
  const slot = findPasswordSlot(file, user.username);
  const opened = slot ? await unlockPasswordSlot(file.storeId, slot, password) : null;
  if (!opened) failed(ctx, user.username, 'Your password is wrong.');
  const same = sameKey(opened.masterKey, ctx.store.masterKey);
  for (const b of [opened.masterKey, opened.kek, opened.privileged]) b?.fill(0);
  if (!same) throw new ApiFailure('STORE_CORRUPT', 'Your key slot does not open this store.');
  const drained = clearAndDrain(ctx.store.files, user.username, ctx.now().getTime());
  const { generation } = keyGeneration(ctx);
  // On the record before it is shown: whoever holds this key reads and writes the store without the audit log.
  ctx.store.repos.db.transaction(() => {
    auditDrained(ctx, drained);
    ctx.audit('keys.revealMasterKey', 'store', null, { generation });
  })();
  return { pragma: `PRAGMA key = "x'${ctx.store.masterKey.toString('hex')}'";`, generation };
};

export const keysHandlers = {
  'keys.status': status,
  'keys.rekey': rekey,
  'keys.rekeyStatus': rekeyStatus,
  'keys.revealMasterKey': reveal,
};
