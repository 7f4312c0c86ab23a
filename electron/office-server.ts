// The desktop app as a client of an office's team server. The main process does all of it: it reads which
// server this desk uses (office-server.json in the user-data folder), fetches a new server's certificate
// fingerprint for the user to compare with the one the admin gave (trust on first use), pins it, and
// forwards the page's calls there. The page never sees a certificate or an error it could click through.
// No `electron` import: main.ts passes the user-data folder; tests drive it against a real TLS server.
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { envelopeSchema, type ApiRequest, type Envelope } from '../shared/contract/envelope.js';
import { messageText } from '../shared/contract/messages.js';
import { normalisePin, pinnedAgent, pinnedRequest, pinnedUpload, PinError, sentBeforeFailing } from '../remote/pinned-https.js';

export const OFFICE_FILE = 'office-server.json';

const configSchema = z.object({ url: z.string().url(), fingerprint: z.string() }).strict();
export type OfficeConfig = z.infer<typeof configSchema>;

/** An https:// origin typed by a person: "192.168.1.20:8443", "https://srv:8443/", … → "https://srv:8443". */
export function normaliseServerUrl(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  let u: URL;
  try {
    u = new URL(/^[a-z]+:\/\//i.test(t) ? t : `https://${t}`);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.username || u.password) return null;
  return u.origin;
}

export function readOfficeConfig(userData: string): OfficeConfig | null {
  const file = path.join(userData, OFFICE_FILE);
  if (!existsSync(file)) return null;
  try {
    const c = configSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    const url = normaliseServerUrl(c.url);
    const fingerprint = normalisePin(c.fingerprint);
    return url && fingerprint ? { url, fingerprint } : null;
  } catch {
    return null;
  }
}

export function writeOfficeConfig(userData: string, config: OfficeConfig | null): void {
  const file = path.join(userData, OFFICE_FILE);
  if (config === null) return void rmSync(file, { force: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(config, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
}

/** The fingerprint the server at `url` shows, for the user to compare with the admin's (nothing else is sent). */
export function probeFingerprint(url: string, timeoutMs = 8_000): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: u.hostname, port: Number(u.port || 443), servername: /^[\d.]+$|:/.test(u.hostname) ? undefined : u.hostname, rejectUnauthorized: false });
    const timer = setTimeout(() => socket.destroy(new Error(`No answer from ${u.host} within ${timeoutMs / 1000} s.`)), timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const raw = socket.getPeerCertificate(false)?.raw;
      socket.end();
      if (!raw) return reject(new Error(`${u.host} showed no certificate.`));
      resolve(new X509Certificate(raw).fingerprint256);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

export interface OfficeForwarder {
  /** The page's call, sent to the server as a script would (bearer session); always an envelope. */
  forward(request: ApiRequest): Promise<Envelope<unknown>>;
  /** Streams a local file the user picked to the server's upload endpoint; answers its uploadId. */
  upload(filePath: string, session: string | undefined): Promise<Envelope<{ uploadId: string; bytes: number }>>;
  /** Asks the server for a report package (GET /api/package/<id>); resolves when its headers arrived. */
  openPackage(exportId: number, session: string): Promise<Envelope<OfficePackage>>;
  close(): void;
}

/** A package the server is sending: its name, and its bytes held back until the user chose where to save them. */
export interface OfficePackage {
  fileName: string;
  /** Streams the .zip to `${dest}.part`, then renames it to dest (a cut download leaves no .zip that looks whole). */
  saveTo(dest: string): Promise<void>;
  /** The user cancelled: the download is dropped. */
  discard(): void;
}

/** The file name a Content-Disposition header gives (RFC 5987 `filename*` first), reduced to a bare name. */
export function fileNameFromDisposition(header: string | undefined, fallback: string): string {
  let name: string | undefined;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header ?? '');
  if (star) {
    try {
      name = decodeURIComponent(star[1]!.trim());
    } catch {
      name = undefined;
    }
  }
  name ??= /filename="([^"]*)"/i.exec(header ?? '')?.[1];
  const base = name ? path.basename(name.replace(/\\/g, '/')).replace(/[\x00-\x1f<>:"|?*]/g, '_') : '';
  return base && base !== '.' && base !== '..' ? base : fallback;
}

function savePackageBody(res: IncomingMessage, dest: string): Promise<void> {
  const part = `${dest}.part`;
  const expected = Number(res.headers['content-length'] ?? NaN);
  return pipeline(res, createWriteStream(part, { mode: 0o600 }))
    .then(() => {
      // A response the server cut (its zip failed midway) ends without an error on some paths: count the bytes.
      if (!res.complete) throw new Error('the server stopped sending the package before its end');
      if (Number.isFinite(expected) && statSync(part).size !== expected) throw new Error('the package arrived incomplete');
      renameSync(part, dest);
    })
    .catch((e: unknown) => {
      rmSync(part, { force: true });
      throw e;
    });
}

/**
 * The server could not be reached: nothing ran there, so the page's client sends the call again (BUSY). The key
 * tells the page that the server is away (its "server unavailable, retrying" banner), not busy.
 */
const unavailableError = (why: string) =>
  ({ code: 'BUSY', message: messageText('officeServerUnavailable', { why }), key: 'officeServerUnavailable', params: { why }, retryAfterSeconds: 3 }) as const;

const unavailable = (e: unknown): Envelope<never> => ({
  ok: false,
  error: e instanceof PinError ? { code: 'FORBIDDEN', message: e.message } : unavailableError(e instanceof Error ? e.message : String(e)),
});

/**
 * A call that reached the server and lost its answer may have been saved: not BUSY, which the page's client
 * would resend (a contact logged or a payment posted twice). The user checks, then does it again if it is not there.
 */
const lostAnswer = (e: unknown): Envelope<never> => ({
  ok: false,
  error: { code: 'INTERNAL', message: `The connection to the office server broke after the call was sent (${e instanceof Error ? e.message : String(e)}): it may have been saved. Check before doing it again.` },
});

function parseEnvelope(body: Buffer, status = 200): Envelope<unknown> {
  try {
    const env = envelopeSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (env.success) return env.data as Envelope<unknown>;
  } catch {
    /* fall through */
  }
  // A server that is shutting down answers 503 before running the call (Fastify's own body, not an envelope).
  if (status === 503) return { ok: false, error: unavailableError('it is restarting') };
  return { ok: false, error: { code: 'INTERNAL', message: 'The office server gave an answer that is not an API envelope.' } };
}

export function createOfficeForwarder(config: OfficeConfig): OfficeForwarder {
  const agent = pinnedAgent(config.fingerprint);
  const callUrl = new URL('/api/call', config.url).toString();
  const uploadUrl = new URL('/api/upload', config.url).toString();
  const auth = (session: string | undefined): Record<string, string> => (session ? { Authorization: `Bearer ${session}` } : {});
  return {
    async forward(request) {
      try {
        const res = await pinnedRequest(agent, callUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-AgencyDesk-Auth': 'bearer', ...auth(request.session) },
          body: JSON.stringify({ method: request.method, input: request.input }),
        });
        return parseEnvelope(res.body, res.status);
      } catch (e) {
        return sentBeforeFailing(e) ? lostAnswer(e) : unavailable(e);
      }
    },
    async upload(filePath, session) {
      try {
        statSync(filePath);
      } catch (e) {
        return { ok: false, error: { code: 'BAD_INPUT', message: `Cannot read the file: ${(e as Error).message}` } };
      }
      try {
        return parseEnvelope((await pinnedUpload(agent, uploadUrl, filePath, auth(session))).body) as Envelope<{ uploadId: string; bytes: number }>;
      } catch (e) {
        return unavailable(e);
      }
    },
    openPackage(exportId, session) {
      const url = new URL(`/api/package/${exportId}`, config.url).toString();
      return new Promise((resolve) => {
        const req = https.request(url, { method: 'GET', agent, headers: auth(session) }, (res) => {
          const isZip = res.statusCode === 200 && String(res.headers['content-type'] ?? '').startsWith('application/zip');
          if (!isZip) {
            // A refusal (no session, no permission, not found) comes as the API's envelope.
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve(parseEnvelope(Buffer.concat(chunks)) as Envelope<OfficePackage>));
            res.on('error', (e) => resolve(unavailable(e)));
            return;
          }
          // Not read until saveTo: the server waits (TCP backpressure) while the save dialog is open.
          res.pause();
          resolve({
            ok: true,
            value: {
              fileName: fileNameFromDisposition(res.headers['content-disposition'], `package-${exportId}.zip`),
              saveTo: (dest) => savePackageBody(res, dest),
              discard: () => res.destroy(),
            },
          });
        });
        req.on('error', (e) => resolve(unavailable(e)));
        req.end();
      });
    },
    close() {
      agent.destroy();
    },
  };
}
