// The server bench's simulated desk: one pinned TLS agent (remote/pinned-https.ts), a bearer session, and
// its own loopback source address (127.0.0.N). Each desk of an office has its own address; the server's
// rate limits are per address, so 50 desks from one address would measure the limiter, not the server.
import https from 'node:https';
import { createReadStream, statSync } from 'node:fs';
import { pinnedAgent } from '../remote/pinned-https.js';

export interface CallRecord {
  method: string;
  /** Start and end, ms since the bench's t0. */
  start: number;
  end: number;
  ok: boolean;
  /** The final error code (after BUSY retries), or HTTP_<status> / NETWORK when there was no envelope. */
  code?: string;
  retries: number;
}

interface Reply {
  status: number;
  body: { ok: boolean; value?: unknown; error?: { code: string; message: string; retryAfterSeconds?: number } } | null;
  retryAfter?: number;
}

/** As long as a manager's browser waits (fetch has no timeout): an assignment of 200,000 cases answers after a minute or more. */
const REQUEST_TIMEOUT_MS = 600_000;
/** Clients send a BUSY call again after its retry-after, for about half a minute (as the UI's client does). */
const BUSY_GIVE_UP_MS = 30_000;

export class Desk {
  private readonly agent: https.Agent;
  token = '';

  constructor(
    private readonly url: string,
    fingerprint: string,
    private readonly localAddress: string,
    private readonly t0: number,
  ) {
    this.agent = pinnedAgent(fingerprint);
  }

  private request(path: string, headers: Record<string, string>, body: string | { file: string }): Promise<Reply> {
    return new Promise((resolve) => {
      const size = typeof body === 'string' ? Buffer.byteLength(body) : statSync(body.file).size;
      const req = https.request(
        new URL(path, this.url),
        {
          method: 'POST',
          agent: this.agent,
          localAddress: this.localAddress,
          timeout: REQUEST_TIMEOUT_MS,
          headers: { ...headers, 'Content-Length': String(size), ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let parsed: Reply['body'] = null;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Reply['body'];
            } catch {
              parsed = null;
            }
            const ra = Number(res.headers['retry-after']);
            resolve({ status: res.statusCode ?? 0, body: parsed && typeof parsed.ok === 'boolean' ? parsed : null, ...(Number.isFinite(ra) ? { retryAfter: ra } : {}) });
          });
          res.on('error', () => resolve({ status: 0, body: null }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ status: 0, body: null }));
      if (typeof body === 'string') req.end(body);
      else createReadStream(body.file).pipe(req);
    });
  }

  /** One API call as the user sees it: BUSY answers are sent again after their retry-after. */
  async call(method: string, input: unknown, extraHeaders: Record<string, string> = {}): Promise<{ rec: CallRecord; value: any }> {
    const start = performance.now();
    let retries = 0;
    for (;;) {
      const r = await this.request('/api/call', { 'Content-Type': 'application/json', ...extraHeaders }, JSON.stringify({ method, input }));
      const code = r.body ? (r.body.ok ? undefined : r.body.error?.code) : r.status === 0 ? 'NETWORK' : `HTTP_${r.status}`;
      if (code === 'BUSY' && performance.now() - start < BUSY_GIVE_UP_MS) {
        retries++;
        await new Promise((res) => setTimeout(res, Math.max(50, (r.body?.error?.retryAfterSeconds ?? r.retryAfter ?? 1) * 1000)));
        continue;
      }
      const end = performance.now();
      return { rec: { method, start: start - this.t0, end: end - this.t0, ok: !code, ...(code ? { code } : {}), retries }, value: r.body?.ok ? r.body.value : undefined };
    }
  }

  async login(username: string, password: string): Promise<void> {
    const { rec, value } = await this.call('auth.login', { username, password }, { 'X-AgencyDesk-Auth': 'bearer' });
    if (!rec.ok) throw new Error(`login ${username}: ${rec.code}`);
    this.token = (value as { token: string }).token;
  }

  /** Streams a file to /api/upload with the bearer session; answers its uploadId. */
  async upload(file: string): Promise<string> {
    const r = await this.request('/api/upload', { 'Content-Type': 'application/octet-stream' }, { file });
    if (!r.body?.ok) throw new Error(`upload: ${r.status} ${r.body?.error?.code ?? ''}`);
    return (r.body.value as { uploadId: string }).uploadId;
  }

  close(): void {
    this.agent.destroy();
  }
}
