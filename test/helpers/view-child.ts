// Child process for test/integration/view-journal.test.ts: opens a store through the real backend, holds the
// write lock on a second connection (as an import's COMMIT would), opens a case as the admin, prints
// "viewed <caseId> <at>" once cases.get has answered, and waits to be killed. argv: storeDir recoveryKey caseId.
import { createBackend } from '../../core/backend.js';
import { ADMIN_PASSWORD, login, rawOpen } from './store.js';

const [storeDir, recoveryKey, caseId] = process.argv.slice(2) as [string, string, string];
const backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
const admin = await login(backend, 'admin', ADMIN_PASSWORD);
const holder = rawOpen(storeDir, recoveryKey);
holder.exec('BEGIN IMMEDIATE');
const before = new Date().toISOString();
await admin.call('cases.get', { id: Number(caseId) });
console.log(`viewed ${caseId} ${before}`);
setInterval(() => {}, 1000);
