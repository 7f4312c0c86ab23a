// A client of the team server that trusts exactly one certificate: the one whose SHA-256 fingerprint the
// admin handed out (trust on first use; a changed certificate is refused, never clicked through).
// Used by the CLI's --server mode and by the desktop app's main process when it connects to an office server.
import https from 'node:https';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';

export class PinError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `The server's certificate does not match the fingerprint you were given (expected ${expected}, the server showed ${actual}). ` +
        'Do not continue: ask your administrator whether the server certificate was changed.',
    );
    this.name = 'PinError';
  }
}

export const normalisePin = (text: string): string | null => {
  const hex = text.replace(/^.*=/, '').replace(/[\s:]/g, '').toUpperCase();
  return /^[0-9A-F]{64}$/.test(hex) ? hex.match(/../g)!.join(':') : null;
};

/** An https agent that completes a request only with a server whose certificate has this fingerprint. */
export function pinnedAgent(fingerprint: string): https.Agent {
  const pin = normalisePin(fingerprint);
  if (!pin) throw new Error(`Not a SHA-256 fingerprint: ${fingerprint}`);
  return new PinnedAgent(pin);
}

/**
 * Chain checks are skipped (self-signed certificates are the default; the pin is stronger than any CA), so
 * Node would skip checkServerIdentity too: the socket is corked until the certificate is compared with the
 * pin on 'secureConnect', and destroyed on a mismatch before a byte of the request leaves.
 */
class PinnedAgent extends https.Agent {
  constructor(private readonly pin: string) {
    // An idle socket is dropped after 30 s, before the server's keep-alive (Fastify: 72 s) closes it under a call
    // just being sent, which would fail as if the server had gone away after receiving it. (A running call is
    // only told of the timeout, not cut.)
    super({ keepAlive: true, maxSockets: 8, rejectUnauthorized: false, timeout: 30_000 });
  }

  override createConnection(options: tls.ConnectionOptions): tls.TLSSocket {
    const socket = tls.connect({ ...options, rejectUnauthorized: false });
    socket.cork();
    socket.once('secureConnect', () => {
      const raw = socket.getPeerCertificate(false)?.raw;
      const actual = raw ? new X509Certificate(raw).fingerprint256 : '(none)';
      if (actual !== this.pin) {
        socket.destroy(new PinError(this.pin, actual));
        return;
      }
      socket.uncork();
    });
    return socket;
  }
}

export interface PinnedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Errors of requests that had gone out: the server may have run the call before the connection failed. */
const failedAfterSending = new WeakSet<object>();

/**
 * True when `e` came after the request had gone out to the server (it may have run it: a write must not be sent
 * again blindly); false when it never got that far (refused, unreachable, TLS failed: nothing ran).
 */
export const sentBeforeFailing = (e: unknown): boolean => typeof e === 'object' && e !== null && failedAfterSending.has(e);

/** One request through a pinned agent. */
export function pinnedRequest(agent: https.Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<PinnedResponse> {
  return new Promise((resolve, reject) => {
    let sent = false;
    const fail = (e: Error) => {
      if (sent && !(e instanceof PinError)) failedAfterSending.add(e);
      reject(e);
    };
    const req = https.request(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    // Sent once the connection to the pinned server is up (a kept-alive one already is): the corked request goes
    // out right then. Refused, unreachable or a TLS failure: it never left.
    req.on('socket', (socket) => {
      if (req.reusedSocket) sent = true;
      // (After the agent's pin check, which destroys a socket whose certificate does not match.)
      else socket.once('secureConnect', () => (sent = !socket.destroyed));
    });
    req.on('error', fail);
    req.end(init.body);
  });
}

/** Streams a local file as a request's body through a pinned agent (the team server's /api/upload). */
export function pinnedUpload(agent: https.Agent, url: string, filePath: string, headers: Record<string, string> = {}): Promise<PinnedResponse> {
  return new Promise((resolve, reject) => {
    let size: number;
    try {
      size = statSync(filePath).size;
    } catch (e) {
      return reject(e);
    }
    const req = https.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    createReadStream(filePath)
      .on('error', (e) => req.destroy(e))
      .pipe(req);
  });
}
