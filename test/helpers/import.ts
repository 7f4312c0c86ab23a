// Running imports through the API, as any host would, and waiting for their jobs.
import type { Client } from './store.js';
import type { ImportJob, FileRef } from '../../shared/contract/placements.js';

export async function waitJob(c: Client, jobId: string, timeoutMs = 120_000): Promise<ImportJob> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await c.call('import.status', { jobId });
    if (job.state !== 'running') return job;
    if (Date.now() > until) throw new Error(`import ${jobId} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function importFile(
  c: Client,
  lenderId: number,
  path: string,
  extra: { mapping?: Record<string, string>; saveTemplateAs?: string; templateName?: string; batchNo?: string; dryRun?: boolean; placementDate?: string; termEndDate?: string } = {},
): Promise<ImportJob> {
  const file: FileRef = { path };
  const { jobId } = await c.call('import.start', { lenderId, file, ...extra });
  return waitJob(c, jobId);
}
