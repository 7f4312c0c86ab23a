// Child process for test/integration/import-tmpdir.test.ts: opens a store and imports one file through the real
// backend (reader thread, worker, store), printing "started" when the job runs and "done <state>" at the end.
// argv: storeDir lenderCode file. The parent kills it at random moments and watches the temp folder.
import { createBackend } from '../../core/backend.js';
import { ADMIN_PASSWORD, login } from './store.js';
import { waitJob } from './import.js';

const [storeDir, lenderCode, file] = process.argv.slice(2) as [string, string, string];
const backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
const admin = await login(backend, 'admin', ADMIN_PASSWORD);
const lender = (await admin.call('lenders.list', {})).lenders.find((l) => l.code === lenderCode)!;
const { jobId } = await admin.call('import.start', { lenderId: lender.id, file: { path: file } });
console.log('started');
const job = await waitJob(admin, jobId, 120_000);
console.log(`done ${job.state} ${JSON.stringify(job.result ?? job.error)}`);
backend.close();
