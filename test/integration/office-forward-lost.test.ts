// The desktop in office mode when the server goes away (issue 16: "a session whose server went away shows
// 'server unavailable, retrying' and loses nothing it had not been told was saved"). The page's client resends
// a call answered BUSY (renderer/api/client.ts), so the forwarder may answer BUSY only when the call never
// reached the server. A call that was sent and then lost its answer (the server died after committing it, the
// connection was cut) may have been saved: resending it would log the call or post the payment twice.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createOfficeForwarder } from '../../electron/office-server.js';
import { createApi, ApiCallError } from '../../renderer/api/client.js';
import { loadTlsIdentity, type TlsIdentity } from '../../server/tls.js';
import { removeDir, tempDir } from '../helpers/store.js';

let dir: string;
let tls: TlsIdentity;

beforeAll(async () => {
  dir = tempDir('agencydesk-forward-');
  tls = await loadTlsIdentity(dir);
});
afterAll(() => removeDir(dir));

/** A TLS server on 127.0.0.1 with `onRequest` deciding what each arriving call gets. */
async function serverThat(onRequest: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: string) => void) {
  const bodies: string[] = [];
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(body);
      onRequest(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, bodies, close: () => new Promise<void>((r) => server.close(() => r())), server };
}

const apiOver = (forward: (r: { method: string; input: unknown; session?: string }) => Promise<unknown>) =>
  createApi({
    transport: { kind: 'desktop', send: forward as never, stageFile: () => Promise.reject(new Error('no files here')), downloadPackage: () => Promise.reject(new Error('no packages here')) },
    getSession: () => 'a-session',
    onSessionLost: () => {},
    onTokenRejected: () => {},
  });

describe('the office forwarder when the server goes away', () => {
  it('a call the server received and never answered is not resent: the user is told it may have been saved', async () => {
    // The server takes the whole call, then its connection dies before any answer (a crash after the commit).
    const srv = await serverThat((req) => req.socket.destroy());
    const f = createOfficeForwarder({ url: srv.url, fingerprint: tls.fingerprint });
    try {
      const env = await f.forward({ method: 'contacts.log', input: { caseId: 1 }, session: 'a-session' });
      expect(env.ok).toBe(false);
      const error = (env as { error: { code: string; message: string } }).error;
      expect(error.code).not.toBe('BUSY');
      expect(error.message).toMatch(/may have been saved/);
      // Through the page's client: one call reached the server, however many times it would retry BUSY.
      srv.bodies.length = 0;
      const api = apiOver((r) => f.forward(r));
      const e = await api.call('teams.create', { name: 'A组' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ApiCallError);
      expect(srv.bodies).toHaveLength(1);
    } finally {
      f.close();
      await srv.close();
    }
  }, 60_000);

  it('a server that is not there at all: "unavailable, retrying" (BUSY), nothing was sent', async () => {
    const srv = await serverThat((_req, res) => res.end('{}'));
    const url = srv.url;
    await srv.close(); // the port is free now: connections are refused
    const f = createOfficeForwarder({ url, fingerprint: tls.fingerprint });
    try {
      const env = await f.forward({ method: 'contacts.log', input: { caseId: 1 }, session: 'a-session' });
      expect(env).toMatchObject({ ok: false, error: { code: 'BUSY' } });
      expect((env as { error: { message: string; retryAfterSeconds?: number } }).error.message).toMatch(/unavailable/);
      expect((env as { error: { retryAfterSeconds?: number } }).error.retryAfterSeconds).toBeGreaterThan(0);
      // The page's client shows its "server unavailable, retrying" banner for this answer (not for a busy server).
      expect((env as { error: { key?: string } }).error.key).toBe('officeServerUnavailable');
    } finally {
      f.close();
    }
  });

  it('a server shutting down (503 without an envelope: the call was not run) is BUSY too, and the retry goes through', async () => {
    let n = 0;
    const srv = await serverThat((_req, res) => {
      // Fastify's return503OnClosing answers its own body, not the API's envelope.
      if (n++ === 0) return void res.writeHead(503, { 'Content-Type': 'application/json', Connection: 'close' }).end('{"error":"Service Unavailable","message":"Service Unavailable","statusCode":503}');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true, value: { id: 7, name: 'A组' } }));
    });
    const f = createOfficeForwarder({ url: srv.url, fingerprint: tls.fingerprint });
    try {
      const first = await f.forward({ method: 'teams.create', input: { name: 'A组' }, session: 'a-session' });
      expect(first).toMatchObject({ ok: false, error: { code: 'BUSY' } });
      const again = await f.forward({ method: 'teams.create', input: { name: 'A组' }, session: 'a-session' });
      expect(again).toEqual({ ok: true, value: { id: 7, name: 'A组' } });
    } finally {
      f.close();
      await srv.close();
    }
  });
});
