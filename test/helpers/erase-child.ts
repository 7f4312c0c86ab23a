// Child process for test/integration/erasure-kill.test.ts: opens a store and runs one erasure through the
// real backend, printing "started" once logged in and "done <json>" at the end. argv: storeDir lenderCode.
// The parent kills it with SIGKILL at random moments.
import { createBackend } from '../../core/backend.js';
import { ADMIN_PASSWORD, login } from './store.js';

const [storeDir, lenderCode] = process.argv.slice(2) as [string, string];
const backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
const admin = await login(backend, 'admin', ADMIN_PASSWORD);
const lender = (await admin.call('lenders.list', {})).lenders.find((l) => l.code === lenderCode)!;
console.log('started');
const out = await admin.call('privacy.erase', { lenderId: lender.id });
console.log(`done ${JSON.stringify({ erased: out.erased, vacuumMs: out.vacuumMs, freedPages: out.freedPages })}`);
backend.close();
