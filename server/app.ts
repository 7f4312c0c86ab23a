// The team server (`agencydesk serve`): the same backend and UI as the desktop app, over TLS to every desk in
// the office. A host like web/ and electron/: it authenticates the caller, checks where the request came
// from, and hands method + input to core's dispatch, which checks permissions and validates as everywhere.
//
// Sessions: a browser gets its session in an HttpOnly, Secure, SameSite=Strict cookie that no script can
// read; what the page holds in memory (the `token` of auth.login's answer) is only a CSRF token derived from
// it, which every call must send back. Scripts and the CLI say `X-AgencyDesk-Auth: bearer` at login, get
// the session token itself and send it as `Authorization: Bearer …` (no cookie, so no CSRF to guard).
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Backend } from '../core/backend.js';
import { requestSchema, type ApiError, type Envelope } from '../shared/contract/envelope.js';
import { contract, isMethodName } from '../shared/contract/registry.js';
import { ApiFailure } from '../shared/contract/failure.js';
import { messageText } from '../shared/contract/messages.js';
import { SECURITY_HEADERS } from '../shared/security/csp.js';
import { contentType, resolveStatic } from '../web/static-files.js';
import { sendPackage } from '../web/package-download.js';
import { receiveUpload, tooLarge, uploadPurpose, UPLOAD_LIMITS, UPLOAD_PURPOSE_HEADER } from '../web/upload-stream.js';
import { requireFreeSpace } from '../core/disk-space.js';
import { UploadQuota } from './upload-quota.js';
import type { UploadTarget } from '../core/import/uploads.js';
import { LoginGuard } from './login-guard.js';
import { RotatingLogFile, type LogFileOptions } from './log-file.js';
import type { TlsIdentity } from './tls.js';

export const SESSION_COOKIE = 'agencydesk_session';
export const AUTH_MODE_HEADER = 'x-agencydesk-auth';
const MAX_BODY = 1024 * 1024;
/** Methods that run the KDF on a password or the recovery key. */
const KDF_METHODS = new Set(['auth.login', 'auth.recover']);

export interface ServerOptions {
  backend: Backend;
  tls: TlsIdentity;
  staticDir: string;
  /** Sessions end after this long whatever their activity (default 12 h). */
  maxSessionHours?: number;
  /** Called once an administrator's login (or the console) unlocked the store. */
  onUnlocked?: (by: string) => void;
  /** pino through Fastify; with `file`, written to a size-rotated file (server/log-file.ts). */
  logger?: boolean | ({ level: string; file?: string } & LogFileOptions);
  loginGuard?: LoginGuard;
  /** How often logins refused before the KDF are written to the audit log (ms; default 30 s, and at close). */
  refusalAuditMs?: number;
  /** Bytes one user's staged uploads may hold at once (default DEFAULT_UPLOAD_QUOTA_BYTES). */
  uploadQuotaBytes?: number;
  /** The store is already open and held by whoever started serving (the desktop app's administrator). */
  unlocked?: boolean;
}

export interface TeamServer {
  app: FastifyInstance;
  /** True once an administrator unlocked the store; until then only administrators may log in. */
  readonly unlocked: boolean;
  /** Unlocks with an administrator's credentials (console prompt, AGENCYDESK_USER/PASSWORD). */
  unlockWith(username: string, password: string): Promise<void>;
  guard: LoginGuard;
  /** Writes the logins refused so far into the audit log now (the timer and close do it too). */
  flushRefusals(): Promise<void>;
}

/**
 * The HTTP status of an error envelope (the body is the envelope either way). A role's refusal stays 200 as
 * on the loopback host (the UI asks for things a role may not see and shows what it gets); the host's own
 * refusals (Origin, CSRF, a page without a session) are 403.
 */
const HTTP_STATUS: Partial<Record<ApiError['code'], number>> = { UNAUTHENTICATED: 401, SESSION_EXPIRED: 401, LOCKED_OUT: 429, BUSY: 503 };

/** A path for the log: the query dropped, runs of 6+ digits masked (a mistyped URL may hold a phone or ID number). */
const maskPath = (url: string) => url.split('?')[0]!.replace(/\d{6,}/g, (d) => `${'#'.repeat(d.length)}`);

const fail = (code: ApiError['code'], message: string, extra: Partial<ApiError> = {}): Envelope<never> => ({ ok: false, error: { code, message, ...extra } });
/** Refusals of the host itself (Origin, CSRF, a locked server): answered 403 whatever the envelope says. */
const hostRefusals = new WeakSet<object>();
const refuse = (message: string, extra: Partial<ApiError> = {}): Envelope<never> => {
  const e = fail('FORBIDDEN', message, extra);
  hostRefusals.add(e);
  return e;
};

/**
 * A login refused because no administrator has unlocked the server yet, keyed so the page says that (and not
 * "account disabled"). A recovery has already set the user's new password by then (the key holder may): it says so.
 */
export function serverLockedRefusal(method: string, username: string): ApiError {
  if (method === 'auth.recover') return { code: 'FORBIDDEN', message: messageText('serverLockedRecovered', { username }), key: 'serverLockedRecovered', params: { username } };
  return { code: 'FORBIDDEN', message: messageText('serverLocked'), key: 'serverLocked' };
}

export async function createTeamServer(opts: ServerOptions): Promise<TeamServer> {
  const { backend } = opts;
  backend.sessions.maxLifetimeMs = (opts.maxSessionHours ?? 12) * 3_600_000;
  const guard = opts.loginGuard ?? new LoginGuard();
  // The CSRF token of a session: an HMAC under a key that lives as long as this process (as do sessions).
  const csrfKey = randomBytes(32);
  const csrfOf = (session: string) => createHmac('sha256', csrfKey).update(session).digest('base64url');
  let unlocked = opts.unlocked ?? false;
  const quota = new UploadQuota(opts.uploadQuotaBytes);

  // No personal data and no secrets in the log: method, path (long digit runs masked), status, time, address,
  // the API method's name — never inputs, bodies, cookies, tokens or error messages (a JSON parse error
  // quotes the body it choked on; a handler's message may name a borrower).
  const logFile = opts.logger !== undefined && typeof opts.logger === 'object' && opts.logger.file ? new RotatingLogFile(opts.logger.file, opts.logger) : null;
  const logger =
    opts.logger === false || opts.logger === undefined
      ? false
      : {
          level: opts.logger === true ? 'info' : opts.logger.level,
          ...(logFile ? { stream: logFile } : {}),
          redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-agencydesk-session"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
          serializers: {
            req: (r: { method: string; url: string; ip?: string }) => ({ method: r.method, path: maskPath(r.url), ip: r.ip }),
            // The stack's frames without its first line (which repeats the message).
            err: (e: { name?: string; code?: string; statusCode?: number; stack?: string }) => ({ type: e.name ?? 'Error', code: e.code, statusCode: e.statusCode, message: '[withheld]', stack: (e.stack ?? '').split('\n').slice(1).join('\n') }),
          },
          hooks: {
            // Fastify logs a failed request with the error's message as the line's text: keep only its code.
            logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
              const first = args[0] as { err?: { code?: string; name?: string } } | (Error & { code?: string }) | undefined;
              const err = first instanceof Error ? first : first && typeof first === 'object' ? first.err : undefined;
              if (err) return method.apply(this, [first instanceof Error ? { err } : first, `request failed (${err.code ?? err.name ?? 'error'})`]);
              return method.apply(this, args);
            },
          },
        };

  const app = Fastify({
    https: { key: opts.tls.key, cert: opts.tls.cert, minVersion: 'TLSv1.2' },
    bodyLimit: MAX_BODY,
    logger,
    return503OnClosing: true,
  });
  // Logins refused before the KDF (login-guard.ts) go into the audit log: every 30 s, and when the server closes
  // (before the backend shuts down). While the store is locked they wait for the next write.
  const flushRefusals = async () => {
    const refused = guard.takeRefusals();
    if (!refused.length) return;
    const written = await backend.recordRefusedLogins(refused).catch((e: unknown) => {
      app.log.error({ err: e }, 'refused logins not written to the audit log');
      return false;
    });
    if (!written) guard.putBack(refused);
  };
  const refusalTimer = setInterval(() => void flushRefusals(), opts.refusalAuditMs ?? 30_000);
  refusalTimer.unref();
  app.addHook('onClose', async () => {
    clearInterval(refusalTimer);
    await flushRefusals();
  });
  if (logFile) app.addHook('onClose', async () => logFile.close());
  await app.register(fastifyCookie);
  await app.register(rateLimit, { global: false });

  // Uploads arrive as a raw stream: passed through untouched to the handler.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));

  // Shutting down: a call that was running when the listener closed is answered on a connection that then
  // closes, so close() does not wait out the keep-alive of a desk that will never send again.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('Connection', 'close');
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    reply.header('Strict-Transport-Security', 'max-age=31536000');
  });

  /** A state-changing request from a page must come from this server's own origin. */
  function originOk(req: FastifyRequest): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true; // not a browser page (curl, the CLI): authenticated by bearer only
    return origin === `https://${req.headers.host ?? ''}`;
  }

  /** The session a call runs as: the bearer token, or the cookie's when the page proves it is ours. */
  function sessionOf(req: FastifyRequest, bodySession: string | undefined): { session?: string; refusal?: Envelope<never> } {
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) return { session: auth.slice(7).trim() };
    const cookie = req.cookies[SESSION_COOKIE];
    if (!cookie) return {};
    // SameSite=Strict keeps other sites' requests from carrying the cookie; the CSRF token is the second lock.
    // Browsers send Origin with every POST (same-origin GETs go without it; those carry the CSRF header).
    if (req.method !== 'GET' && req.headers.origin === undefined) return { refusal: refuse('A browser session needs its page: send the Origin header.') };
    const expected = Buffer.from(csrfOf(cookie));
    const given = Buffer.from(bodySession ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refusal: refuse('The request did not carry this session’s CSRF token.') };
    return { session: cookie };
  }

  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: 'strict', path: '/' });

  async function runCall(req: FastifyRequest, reply: FastifyReply, method: string, input: unknown, bodySession: string | undefined): Promise<Envelope<unknown>> {
    const client = req.ip;
    const bearerMode = req.headers[AUTH_MODE_HEADER] === 'bearer' || (req.headers.authorization ?? '').startsWith('Bearer ');
    if (KDF_METHODS.has(method)) {
      const username = typeof (input as { username?: unknown })?.username === 'string' ? (input as { username: string }).username.toLowerCase() : '#';
      const key = method === 'auth.recover' ? `#recovery:${username}` : username;
      const refusal = guard.check(key, client);
      if (refusal) {
        req.log.warn({ method, ip: client, code: refusal.code }, 'login refused before the KDF');
        return fail(refusal.code, refusal.message, { retryAfterSeconds: refusal.retryAfterSeconds });
      }
      const env = await guard.run(key, client, async () => {
        const e = await backend.dispatch(method, input, { client });
        return { ok: e.ok, value: e };
      });
      if (!env.ok) return env;
      const value = env.value as { token: string; user: { role: string; username: string } };
      if (!unlocked) {
        if (value.user.role !== 'admin') {
          await backend.dispatch('auth.logout', {}, { session: value.token, client });
          const { message, ...keyed } = serverLockedRefusal(method, value.user.username);
          return refuse(message, keyed);
        }
        unlocked = true;
        backend.holdStoreOpen(true);
        opts.onUnlocked?.(value.user.username);
      }
      if (bearerMode) return env;
      setSessionCookie(reply, value.token);
      return { ok: true, value: { ...value, token: csrfOf(value.token) } };
    }
    // Public methods (system.status …) run without a session: a page sends none for them, cookie or not.
    if (isMethodName(method) && contract[method].access === 'public') return backend.dispatch(method, input, { client });
    const s = sessionOf(req, bodySession);
    if (s.refusal) return s.refusal;
    const env = await backend.dispatch(method, input, { session: s.session, client });
    if (method === 'auth.logout') reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return env;
  }

  app.post('/api/call', { config: { rateLimit: { max: 1200, timeWindow: '1 minute' } } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    if (!originOk(req)) return reply.code(403).send(fail('FORBIDDEN', 'Cross-origin calls are refused.'));
    const parsed = requestSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(fail('BAD_INPUT', 'Expected {method, input, session}.'));
    const env = await runCall(req, reply, parsed.data.method, parsed.data.input, parsed.data.session);
    if (!env.ok) {
      // The method and the error's code only: its message may quote what the caller sent.
      req.log.info({ call: parsed.data.method, code: env.error.code }, 'call refused');
      reply.code(hostRefusals.has(env) ? 403 : (HTTP_STATUS[env.error.code] ?? 200));
      if (env.error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(env.error.retryAfterSeconds));
    }
    return reply.send(env);
  });

  app.post('/api/upload', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    if (!originOk(req)) return reply.code(403).send(fail('FORBIDDEN', 'Cross-origin calls are refused.'));
    const csrf = typeof req.headers['x-agencydesk-session'] === 'string' ? req.headers['x-agencydesk-session'] : undefined;
    const s = sessionOf(req, csrf);
    if (s.refusal) return reply.code(403).send(s.refusal);
    const purpose = uploadPurpose(req.headers[UPLOAD_PURPOSE_HEADER]);
    if (!purpose) return reply.code(400).send(fail('BAD_INPUT', `Unknown upload purpose: expected one of ${Object.keys(UPLOAD_LIMITS).join(', ')}.`));
    let target: UploadTarget & { userId: number };
    try {
      target = backend.newUpload(s.session);
    } catch (e) {
      if (e instanceof ApiFailure) return reply.code(e.code === 'UNAUTHENTICATED' || e.code === 'SESSION_EXPIRED' ? 401 : 403).send({ ok: false, error: e.toApiError() });
      throw e;
    }
    const maxBytes = UPLOAD_LIMITS[purpose];
    // A declared size is judged before a byte is written: over the limit, over the quota, or past the disk.
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared)) {
      const early = declared > maxBytes ? tooLarge(maxBytes) : quota.check(target.userId, target.uploadId, declared);
      if (early) {
        target.discard();
        req.log.info({ purpose, code: early.key }, 'upload refused');
        return reply.code(413).header('Connection', 'close').send({ ok: false, error: early });
      }
      try {
        requireFreeSpace(path.dirname(target.path), declared);
      } catch (e) {
        target.discard();
        if (e instanceof ApiFailure) return reply.code(507).header('Connection', 'close').send({ ok: false, error: e.toApiError() });
        throw e;
      }
    }
    quota.begin(target.userId, target.uploadId, target.path);
    const r = await receiveUpload(req.body as NodeJS.ReadableStream, target, maxBytes, (size) => {
      quota.progress(target.uploadId, size);
      return quota.check(target.userId, target.uploadId, size);
    });
    quota.end(target.uploadId, r.envelope.ok);
    if (!r.envelope.ok) {
      req.log.info({ purpose, code: r.envelope.error.key ?? r.envelope.error.code }, 'upload refused');
      reply.header('Connection', 'close');
    }
    return reply.code(r.status).send(r.envelope);
  });

  // A report package as a .zip (the page fetches it with its CSRF token in the session header, then saves it).
  app.get<{ Params: { id: string } }>('/api/package/:id', async (req, reply) => {
    if (!/^\d{1,15}$/.test(req.params.id)) return reply.code(404).send(fail('NOT_FOUND', 'Not found.'));
    if (!originOk(req)) return reply.code(403).send(fail('FORBIDDEN', 'Cross-origin calls are refused.'));
    const csrf = typeof req.headers['x-agencydesk-session'] === 'string' ? req.headers['x-agencydesk-session'] : undefined;
    const s = sessionOf(req, csrf);
    if (s.refusal) return reply.code(403).send(s.refusal);
    reply.hijack();
    await sendPackage(backend, Number(req.params.id), { session: s.session, client: req.ip }, reply.raw, { 'Strict-Transport-Security': 'max-age=31536000' });
  });

  // The UI: the same built files as the desktop app and the loopback host.
  app.get('/*', async (req, reply) => {
    const file = resolveStatic(opts.staticDir, req.url.split('?')[0]!);
    if (!file) return reply.code(404).send(fail('NOT_FOUND', 'Not found.'));
    reply.header('Content-Type', contentType(file));
    reply.header('Cache-Control', file.endsWith('index.html') ? 'no-store' : 'private, max-age=3600');
    return reply.send(createReadStream(file));
  });

  return {
    app,
    guard,
    flushRefusals,
    get unlocked() {
      return unlocked;
    },
    async unlockWith(username, password) {
      const env = await backend.dispatch('auth.login', { username, password }, { client: 'console' });
      if (!env.ok) throw new ApiFailure(env.error.code, env.error.message);
      const value = env.value as { token: string; user: { role: string; username: string } };
      if (value.user.role !== 'admin') {
        await backend.dispatch('auth.logout', {}, { session: value.token, client: 'console' });
        throw new ApiFailure('FORBIDDEN', `${username} is not an administrator: only an administrator unlocks the server.`);
      }
      backend.holdStoreOpen(true);
      unlocked = true;
      // The console's own session is not needed once the store is held open.
      await backend.dispatch('auth.logout', {}, { session: value.token, client: 'console' });
      opts.onUnlocked?.(value.user.username);
    },
  };
}
