// Seeding through the web host's API (setup, teams, users, lenders, a placement import), so journeys
// spend their time on the screens they are about, not on forms other journeys already cover.
import { callApi, type WebHost } from './web-host.js';
import type { ImportJob } from '../../../shared/contract/placements.js';

export interface Person {
  username: string;
  displayName: string;
  password: string;
}

/** First-run setup; answers the admin's session token. */
export async function setupAgency(host: WebHost, agencyName: string, admin: Person): Promise<string> {
  const setup = await callApi(host, 'system.setup', { agencyName, admin });
  return setup.session.token;
}

export async function login(host: WebHost, who: Person): Promise<string> {
  return (await callApi(host, 'auth.login', { username: who.username, password: who.password })).token;
}

/** Stages a file like the page does (POST /api/upload with token and session). */
export async function upload(host: WebHost, session: string, name: string, body: string): Promise<{ uploadId: string; name: string }> {
  const res = await fetch(`${host.origin}/api/upload`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', 'X-AgencyDesk-Token': host.token, 'X-AgencyDesk-Session': session },
    body,
  });
  const envelope = (await res.json()) as { ok: true; value: { uploadId: string } } | { ok: false; error: { code: string; message: string } };
  if (!envelope.ok) throw new Error(`upload failed: ${envelope.error.code}: ${envelope.error.message}`);
  return { uploadId: envelope.value.uploadId, name };
}

/** Uploads and imports a placement file as one batch, waiting for the job to finish. */
export async function importCsv(host: WebHost, session: string, lenderId: number, name: string, csv: string, batchNo: string, placementDate?: string): Promise<ImportJob> {
  const file = await upload(host, session, name, csv);
  const { jobId } = await callApi(host, 'import.start', { lenderId, file, batchNo, ...(placementDate ? { placementDate } : {}) }, session);
  const until = Date.now() + 120_000;
  for (;;) {
    const job = await callApi(host, 'import.status', { jobId }, session);
    if (job.state === 'done') return job;
    if (job.state !== 'running') throw new Error(`import ${state(job)}`);
    if (Date.now() > until) throw new Error(`import ${jobId} still running after 120 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const state = (job: ImportJob) => `${job.state}: ${job.error?.code ?? ''} ${job.error?.message ?? ''}`;
