// How the renderer reaches the backend: the Electron preload bridge, or the loopback web host.
import { BRIDGE_KEY, type AgencyDeskBridge } from '../../shared/contract/bridge.js';
import { envelopeSchema, type ApiRequest, type Envelope } from '../../shared/contract/envelope.js';
import type { FileRef } from '../../shared/contract/placements.js';

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
  stageFile(file: File, session: string | undefined): Promise<Envelope<FileRef>>;
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

function webTransport(token: string): Transport {
  return {
    kind: 'web',
    async send(request) {
      let res: Response;
      try {
        res = await fetch('/api/call', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify(request),
          cache: 'no-store',
          credentials: 'omit',
        });
      } catch (e) {
        throw new TransportError('network', e instanceof Error ? e.message : String(e));
      }
      // 401 is the host refusing the access token (the backend itself always answers 200 with an envelope).
      if (res.status === 401) throw new TransportError('token-rejected', `HTTP ${res.status}`);
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
    async stageFile(file, session) {
      let res: Response;
      try {
        res = await fetch('/api/upload', {
          method: 'POST',
          headers: { 'Content-Type': 'application/octet-stream', [TOKEN_HEADER]: token, ...(session ? { [SESSION_HEADER]: session } : {}) },
          body: file,
          cache: 'no-store',
          credentials: 'omit',
        });
      } catch (e) {
        throw new TransportError('network', e instanceof Error ? e.message : String(e));
      }
      if (res.status === 401) throw new TransportError('token-rejected', `HTTP ${res.status}`);
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
  };
}

function desktopTransport(b: AgencyDeskBridge): Transport {
  return {
    kind: 'desktop',
    send: (request) => b.call(request),
    async stageFile(file) {
      // The backend reads the file in place; an older preload without pathForFile cannot import.
      const p = b.pathForFile ? b.pathForFile(file) : '';
      if (!p) return { ok: false, error: { code: 'BAD_INPUT', message: 'This file has no local path: pick a file stored on this computer.' } };
      return { ok: true, value: { path: p } };
    },
  };
}

/** The transport for this page, or null when in a browser without an access token. */
export function detectTransport(): Transport | null {
  const b = bridge();
  if (b) return desktopTransport(b);
  const token = takeWebToken();
  return token ? webTransport(token) : null;
}
