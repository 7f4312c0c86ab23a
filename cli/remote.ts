// `agencydesk --server https://host:8443 --fingerprint SHA256 …`: the same commands against a team server.
// The CLI's session talks to this instead of a local backend; the server runs core, checks permissions and
// validates exactly as for the desktop app.
import type { DispatchMeta } from '../core/backend.js';
import { envelopeSchema, type Envelope } from '../shared/contract/envelope.js';
import { pinnedAgent, pinnedRequest, pinnedUpload, PinError, type PinnedResponse } from '../remote/pinned-https.js';
import { UPLOAD_PURPOSE_HEADER, type UploadPurpose } from '../shared/contract/uploads.js';
import { CliError } from './session.js';

export interface Dispatcher {
  dispatch(method: string, input: unknown, meta?: DispatchMeta): Promise<Envelope<unknown>>;
  /** Sends a local file to the server (which takes uploads only, never a path of its own disk). */
  upload(filePath: string, purpose: UploadPurpose, session: string | undefined): Promise<Envelope<{ uploadId: string; bytes: number }>>;
  close(): void;
}

export function remoteDispatcher(server: string, fingerprint: string | undefined): Dispatcher {
  if (!fingerprint) throw new CliError({ code: 'BAD_INPUT', message: '--server needs --fingerprint (the SHA-256 the administrator gave you; `agencydesk serve` prints it).' });
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new CliError({ code: 'BAD_INPUT', message: `--server: not a URL: ${server}` });
  }
  if (base.protocol !== 'https:') throw new CliError({ code: 'BAD_INPUT', message: '--server must be an https:// address: the team server speaks TLS only.' });
  let agent;
  try {
    agent = pinnedAgent(fingerprint);
  } catch (e) {
    throw new CliError({ code: 'BAD_INPUT', message: (e as Error).message });
  }
  const url = new URL('/api/call', base).toString();
  const uploadUrl = new URL('/api/upload', base).toString();
  const send = async (request: () => Promise<PinnedResponse>): Promise<Envelope<unknown>> => {
    let res;
    try {
      res = await request();
    } catch (e) {
      if (e instanceof PinError) throw new CliError({ code: 'FORBIDDEN', message: e.message });
      throw new CliError({ code: 'INTERNAL', message: `Cannot reach ${base.origin}: ${(e as Error).message}` });
    }
    let body: unknown;
    try {
      body = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new CliError({ code: 'INTERNAL', message: `${base.origin} answered HTTP ${res.status} without an API envelope.` });
    }
    const env = envelopeSchema.safeParse(body);
    if (!env.success) throw new CliError({ code: 'INTERNAL', message: `${base.origin} answered HTTP ${res.status} without an API envelope.` });
    return env.data as Envelope<unknown>; // BUSY is retried by the session (cli/session.ts), as for a local store
  };
  const auth = (session: string | undefined): Record<string, string> => (session ? { Authorization: `Bearer ${session}` } : {});
  return {
    dispatch(method, input, meta = {}) {
      const headers = { 'Content-Type': 'application/json', 'X-AgencyDesk-Auth': 'bearer', ...auth(meta.session) };
      return send(() => pinnedRequest(agent, url, { method: 'POST', headers, body: JSON.stringify({ method, input }) }));
    },
    async upload(filePath, purpose, session) {
      return (await send(() => pinnedUpload(agent, uploadUrl, filePath, { [UPLOAD_PURPOSE_HEADER]: purpose, ...auth(session) }))) as Envelope<{ uploadId: string; bytes: number }>;
    },
    close() {
      agent.destroy();
    },
  };
}
