// `agencydesk --server https://host:8443 --fingerprint SHA256 …`: the same commands against a team server.
// The CLI's session talks to this instead of a local backend; the server runs core, checks permissions and
// validates exactly as for the desktop app.
import type { DispatchMeta } from '../core/backend.js';
import { envelopeSchema, type Envelope } from '../shared/contract/envelope.js';
import { pinnedAgent, pinnedRequest, PinError } from '../remote/pinned-https.js';
import { CliError } from './session.js';

export interface Dispatcher {
  dispatch(method: string, input: unknown, meta?: DispatchMeta): Promise<Envelope<unknown>>;
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
  return {
    async dispatch(method, input, meta = {}) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-AgencyDesk-Auth': 'bearer' };
      if (meta.session) headers.Authorization = `Bearer ${meta.session}`;
      {
        let res;
        try {
          res = await pinnedRequest(agent, url, { method: 'POST', headers, body: JSON.stringify({ method, input }) });
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
        const e = env.data as Envelope<unknown>;
        return e; // BUSY is retried by the session (cli/session.ts), as for a local store

      }
    },
    close() {
      agent.destroy();
    },
  };
}
