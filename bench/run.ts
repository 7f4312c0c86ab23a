// `npm run bench`: runs every benchmark and prints its figures. Sizes suit a 2-core, 24 GiB machine.
// Pick some with: npm run bench -- foundation import assign   (BENCH_ROWS=100000 for quicker runs)
// `serverkill` kills the team server under load 10 times (BENCH_KILL_RUNS, BENCH_KILL_ROWS, BENCH_KILL_DESKS).
// `server` (issue 16) is the slowest: BENCH_ROWS, BENCH_COLLECTORS, BENCH_IMPORT_ROWS, BENCH_SECONDS size it.
import { foundationBench } from './foundation.bench.js';
import { importBench } from './import.bench.js';
import { assignBench } from './assign.bench.js';
import { dashboardBench } from './dashboard.bench.js';
import { exportBench } from './export.bench.js';
import { repaymentsBench } from './repayments.bench.js';
import { caseListBench } from './case-list.bench.js';
import { searchBench } from './search.bench.js';
import { serverBench } from './server.bench.js';
import { serverKillBench } from './server-kill.bench.js';
import { homeBench } from './home.bench.js';
import { backupBench } from './backup.bench.js';
import { erasureBench } from './erasure.bench.js';
import { rekeyBench } from './rekey.bench.js';
import { uploadBench } from './upload.bench.js';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

// Measure the import and export workers the app ships (dist/workers, built now from these sources),
// not the TypeScript loader compiling them inside each worker thread.
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
process.env.AGENCYDESK_WORKERS_DIR = path.resolve('dist/workers');

const all: Record<string, () => Promise<void>> = { foundation: foundationBench, import: importBench, assign: assignBench, dashboard: dashboardBench, export: exportBench, repayments: repaymentsBench, caselist: caseListBench, search: searchBench, server: serverBench, serverkill: serverKillBench, home: homeBench, backup: backupBench, erasure: erasureBench, rekey: rekeyBench, upload: uploadBench };
const picked = process.argv.slice(2);
for (const [name, run] of Object.entries(all)) {
  if (picked.length && !picked.includes(name)) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
