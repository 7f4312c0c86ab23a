// Waiting for a placement import job. An import runs in a worker of this process's backend: the CLI must
// wait for it before it closes the backend, or closing stops the worker and nothing is imported.
import type { ImportJob } from '../shared/contract/placements.js';
import type { CliSession } from './session.js';

/** Polls the job until it ends; on a terminal, shows the rows read now and then (on stderr). */
export async function waitForImport(s: CliSession, jobId: string, showProgress: boolean): Promise<ImportJob> {
  let job = await s.call('import.status', { jobId });
  let lastShown = 0;
  while (job.state === 'running') {
    await new Promise((r) => setTimeout(r, 200));
    job = await s.call('import.status', { jobId });
    if (showProgress && process.stderr.isTTY && job.rowsRead - lastShown >= 50_000) {
      lastShown = job.rowsRead;
      process.stderr.write(`\r${job.phase} ${job.rowsRead.toLocaleString('en')} rows…`);
    }
  }
  if (lastShown) process.stderr.write('\n');
  return job;
}
