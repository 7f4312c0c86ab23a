// How the renderer reaches the backend: the Electron preload bridge, or the loopback web host.
import { BRIDGE_KEY, type AgencyDeskBridge } from '../../shared/contract/bridge.js';
import { envelopeSchema, type ApiRequest, type Envelope } from '../../shared/contract/envelope.js';
import type { FileRef } from '../../shared/contract/placements.js';
import { UPLOAD_PURPOSE_HEADER, type UploadPurpose } from '../../shared/contract/uploads.js';
import { fileNameOf, saveBlob } from '../download.js';

export const TOKEN_STORAGE_KEY = 'agencydesk.webToken';
export const TOKEN_HEADER = 'X-AgencyDesk-Token';
export const SESSION_HEADER = 'X-AgencyDesk-Session';

export interface Transport {
  readonly kind: 'desktop' | 'web';
  send(request: ApiRequest): Promise<Envelope<unknown>>;
  /**
   * Makes a file the user picked available to the backend for import: the desktop app passes its local
   * path (nothing is copied); the web host receives an upload. `session` authorises the upload.
   */
  /** `purpose` picks the server's size limit for it (web/upload-stream.ts UPLOAD_LIMITS; none: a placement file's). */
  stageFile(file: File, session: string | undefined, purpose?: UploadPurpose): Promise<Envelope<FileRef>>;
  /**
   * Hands an exported report package to the user as a .zip: the web host's download route (saved by the
   * browser), or the desktop app's save dialog. `saved` is false when the user cancelled.
   */
  downloadPackage(exportId: number, session: string | undefined): Promise<Envelope<{ saved: boolean }>>;
}

/** The transport failed below the API (network down, token refused): not an API envelope. */
export class TransportError extends Error {
  constructor(
    readonly reason: 'network' | 'token-rejected' | 'bad-response',
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

function bridge(): AgencyDeskBridge | undefined {
  return (window as unknown as Record<string, AgencyDeskBridge | undefined>)[BRIDGE_KEY];
}

/**
 * Reads `#token=…` from the address once, keeps it in sessionStorage (so a reload still works) and
 * removes it from the visible URL and the history entry.
 */
export function takeWebToken(): string | null {
  const hash = window.location.hash.startsWith('#') ? window.location.hash.slice(1) : window.location.hash;
  const fromHash = new URLSearchParams(hash).get('token');
  if (fromHash) {
    try {
      sessionStorage.setItem(TOKEN_STORAGE_KEY, fromHash);
    } catch {
      /* storage disabled: the token still works for this page */
    }
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function forgetWebToken(): void {
  try {
    sessionStorage.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    /* ignore */
  }
}

/**
 * A browser's transport. With a token: the loopback web host (the token from the printed link). Without one:
 * the team server over https, where the session rides in an HttpOnly cookie the page cannot read and the
 * "session" the page holds is its CSRF token.
 */
function webTransport(token: string | null): Transport {
  const auth: Record<string, string> = token ? { [TOKEN_HEADER]: token } : {};
  const credentials: RequestCredentials = token ? 'omit' : 'same-origin';
  return {
    kind: 'web',
    async send(request) {
      let res: Response;
      try {
        res = await fetch('/api/call', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...auth },
          body: JSON.stringify(request),
          cache: 'no-store',
          credentials,
        });
      } catch (e) {
        throw new TransportError('network', e instanceof Error ? e.message : String(e));
      }
      // On the loopback host 401 is the host refusing the access token (the backend answers 200 with an
      // envelope); the team server answers 401 with the envelope of an ended session.
      if (token && res.status === 401) throw new TransportError('token-rejected', `HTTP ${res.status}`);

      let body: unknown;
      try {
        body = await res.json();
      } catch {
        body = undefined;
      }
      const parsed = envelopeSchema.safeParse(body);
      if (parsed.success) return parsed.data as Envelope<unknown>;
      throw new TransportError('bad-response', `HTTP ${res.status}`);
    },
    async stageFile(file, session, purpose) {
      let res: Response;
      try {
        res = await fetch('/api/upload', {
          method: 'POST',
          headers: { 'Content-Type': 'application/octet-stream', ...auth, ...(session ? { [SESSION_HEADER]: session } : {}), ...(purpose ? { [UPLOAD_PURPOSE_HEADER]: purpose } : {}) },
          body: file,
          cache: 'no-store',
          credentials,
        });
      } catch (e) {
        throw new TransportError('network', e instanceof Error ? e.message : String(e));
      }
      if (token && res.status === 401) throw new TransportError('token-rejected', `HTTP ${res.status}`);
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        body = undefined;
      }
      const parsed = envelopeSchema.safeParse(body);
      if (!parsed.success) throw new TransportError('bad-response', `HTTP ${res.status}`);
      const envelope = parsed.data as Envelope<{ uploadId: string; bytes: number }>;
      if (!envelope.ok) return envelope;
      return { ok: true, value: { uploadId: envelope.value.uploadId, name: file.name.slice(-255) } };
    },
    async downloadPackage(exportId, session) {
      let res: Response;
      try {
        res = await fetch(`/api/package/${exportId}`, { headers: { ...auth, ...(session ? { [SESSION_HEADER]: session } : {}) }, cache: 'no-store', credentials });
      } catch (e) {
        throw new TransportError('network', e instanceof Error ? e.message : String(e));
      }
      if (token && res.status === 401) throw new TransportError('token-rejected', `HTTP ${res.status}`);
      if (!(res.headers.get('Content-Type') ?? '').startsWith('application/zip')) {
        const parsed = envelopeSchema.safeParse(await res.json().catch(() => undefined));
        if (parsed.success && !parsed.data.ok) return parsed.data;
        throw new TransportError('bad-response', `HTTP ${res.status}`);
      }
      saveBlob(fileNameOf(res.headers.get('Content-Disposition'), `package-${exportId}.zip`), await res.blob());
      return { ok: true, value: { saved: true } };
    },
  };
}

function desktopTransport(b: AgencyDeskBridge): Transport {
  return {
    kind: 'desktop',
    send: (request) => b.call(request),
    async stageFile(file, session) {
      // The backend reads the file in place; an older preload without pathForFile cannot import.
      const p = b.pathForFile ? b.pathForFile(file) : '';
      if (!p) return { ok: false, error: { code: 'BAD_INPUT', message: 'This file has no local path: pick a file stored on this computer.' } };
      // On an office server the file travels to it (the main process streams it over the pinned connection).
      const status = b.office ? await b.office.status() : null;
      if (status?.ok && status.value.mode === 'office' && b.uploadPath) {
        const up = await b.uploadPath(p, session);
        if (!up.ok) return up;
        return { ok: true, value: { uploadId: up.value.uploadId, name: file.name.slice(-255) } };
      }
      return { ok: true, value: { path: p } };
    },
    async downloadPackage(exportId, session) {
      if (!b.savePackage || !session) return { ok: false, error: { code: 'BAD_INPUT', message: 'This version of the desktop app cannot save packages: update it.' } };
      return b.savePackage(exportId, session);
    },
  };
}

/** The transport for this page, or null when in a browser without an access token. */
export function detectTransport(): Transport | null {
  const b = bridge();
  if (b) return desktopTransport(b);
  const token = takeWebToken();
  if (token) return webTransport(token);
  // Served by a team server: https, no token in the link.
  return window.location.protocol === 'https:' ? webTransport(null) : null;
}
