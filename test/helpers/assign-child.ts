// Child process for test/integration/assign-kill.test.ts: opens a store through the real backend (no offload
// worker: the apply runs in this process's thread) and applies one balanced assignment of every open case of the
// lender to the given collectors, printing "started" before the call and "A <assignmentId> <assigned>" after it
// returned, until it is killed. argv: storeDir lenderId collectorIds(comma-separated) [moves per stored row]
// [lockMs: 0 = one row per write transaction].
import { createBackend } from '../../core/backend.js';
import { applyTuning } from '../../core/assignment/apply.js';
import { ADMIN_PASSWORD, login } from './store.js';

const [storeDir, lenderId, collectors, chunk, lockMs] = process.argv.slice(2) as [string, string, string, string | undefined, string | undefined];
if (chunk) applyTuning.chunk = Number(chunk);
if (lockMs) applyTuning.lockMs = Number(lockMs);
const backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0, heavyWorkers: 0 });
const admin = await login(backend, 'admin', ADMIN_PASSWORD);
console.log('started');
const r = await admin.call('assign.apply', {
  selection: { lenderId: Number(lenderId) },
  rule: 'balanced',
  pool: { teamIds: [], collectorIds: collectors.split(',').map(Number) },
  keepBorrower: true,
});
console.log(`A ${r.assignmentId} ${r.assigned}`);
backend.close();
