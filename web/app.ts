// The loopback HTTP host: the built UI plus POST /api/call, guarded by a per-launch token.
import { createReadStream } from 'node:fs';
import { ApiFailure } from '../shared/contract/failure.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { requestSchema, type Envelope } from '../shared/contract/envelope.js';
import { SECURITY_HEADERS } from '../shared/security/csp.js';
import type { Backend } from '../core/backend.js';
import { contentType, resolveStatic } from './static-files.js';
import { sendPackage } from './package-download.js';
import type { UploadTarget } from '../core/import/uploads.js';
import { receiveUpload, uploadPurpose, MAX_UPLOAD_BYTES, UPLOAD_LIMITS, UPLOAD_PURPOSE_HEADER } from './upload-stream.js';

export const TOKEN_HEADER = 'x-agencydesk-token';
export const SESSION_HEADER = 'x-agencydesk-session';
const MAX_BODY = 1024 * 1024;
const MAX_UPLOAD = MAX_UPLOAD_BYTES;

export interface WebAppOptions {
  backend: Backend;
  token: string;
  staticDir: string;
  /** The port actually bound, for Host/Origin checks (DNS rebinding defence). */
  port: () => number;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS, ...headers });
  res.end(text);
}

function fail(res: ServerResponse, status: number, code: 'FORBIDDEN' | 'BAD_INPUT' | 'UNAUTHENTICATED' | 'NOT_FOUND', message: string): void {
  const env: Envelope<never> = { ok: false, error: { code, message } };
  send(res, status, env);
}

function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createWebApp(opts: WebAppOptions) {
  const allowedHosts = () => [`127.0.0.1:${opts.port()}`, `localhost:${opts.port()}`];

  /** Streams a file to import into the store's uploads folder; answers {uploadId}. */
  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let target: UploadTarget;
    try {
      const session = req.headers[SESSION_HEADER];
      target = opts.backend.newUpload(typeof session === 'string' ? session : undefined);
    } catch (e) {
      if (e instanceof ApiFailure) return send(res, 200, { ok: false, error: e.toApiError() });
      throw e;
    }
    // The purpose's own cap (a case file stops at 20 MB); the per-user quota is the team server's.
    const r = await receiveUpload(req, target, UPLOAD_LIMITS[uploadPurpose(req.headers[UPLOAD_PURPOSE_HEADER]) ?? 'placement'] ?? MAX_UPLOAD);
    return send(res, r.status, r.envelope);
  }

  /**
   * GET /api/package/<exportId>: a report package as a .zip download (the written .zip, or the package
   * folder zipped on the fly). Token and session in headers, as for every call: the page fetches it and
   * saves the blob; `reports.package` checks the permission and audits the download.
   */
  async function downloadPackage(req: IncomingMessage, res: ServerResponse, exportId: number): Promise<void> {
    const session = req.headers[SESSION_HEADER];
    await sendPackage(opts.backend, exportId, { session: typeof session === 'string' ? session : undefined }, res);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A page on another origin that resolves its name to 127.0.0.1 still sends its own Host: refuse it.
    if (!allowedHosts().includes(req.headers.host ?? '')) return fail(res, 403, 'FORBIDDEN', 'Unexpected Host header.');
    const url = new URL(req.url ?? '/', 'http://localhost');

    const pkg = /^\/api\/package\/(\d{1,15})$/.exec(url.pathname);
    if (pkg) {
      if (req.method !== 'GET') return fail(res, 405, 'BAD_INPUT', 'Use GET.');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().some((h) => origin === `http://${h}`)) return fail(res, 403, 'FORBIDDEN', 'Cross-origin calls are refused.');
      if (!tokenMatches(req.headers[TOKEN_HEADER], opts.token)) return fail(res, 401, 'UNAUTHENTICATED', 'Missing or wrong access token: open the link printed at launch.');
      return downloadPackage(req, res, Number(pkg[1]));
    }

    if (url.pathname === '/api/call' || url.pathname === '/api/upload') {
      if (req.method !== 'POST') return fail(res, 405, 'BAD_INPUT', 'Use POST.');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().some((h) => origin === `http://${h}`)) return fail(res, 403, 'FORBIDDEN', 'Cross-origin calls are refused.');
      if (!tokenMatches(req.headers[TOKEN_HEADER], opts.token)) return fail(res, 401, 'UNAUTHENTICATED', 'Missing or wrong access token: open the link printed at launch.');
      if (url.pathname === '/api/upload') return upload(req, res);
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return fail(res, 415, 'BAD_INPUT', 'Send application/json.');
      const text = await readBody(req);
      if (text === null) return fail(res, 413, 'BAD_INPUT', 'Request body too large.');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return fail(res, 400, 'BAD_INPUT', 'The body is not JSON.');
      }
      const request = requestSchema.safeParse(json);
      if (!request.success) return fail(res, 400, 'BAD_INPUT', 'Expected {method, input, session}.');
      // The input is validated in core's dispatch, after the session and permission checks: a caller who may
      // not call a method never sees its schema (the same order on every host).
      const envelope = await opts.backend.dispatch(request.data.method, request.data.input, { session: request.data.session });
      return send(res, 200, envelope);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'BAD_INPUT', 'Method not allowed.');
    const file = resolveStatic(opts.staticDir, url.pathname);
    if (!file) return fail(res, 404, 'NOT_FOUND', 'Not found.');
    res.writeHead(200, {
      'Content-Type': contentType(file),
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'private, max-age=3600',
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  };
}
