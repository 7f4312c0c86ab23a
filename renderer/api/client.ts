// The typed API client: one `call` per registry method, throwing ApiCallError on `{ok:false}`.
import { contract, type MethodInput, type MethodName, type MethodOutput } from '../../shared/contract/registry.js';
import type { ApiError, Envelope, ErrorCode } from '../../shared/contract/envelope.js';
import { BACKGROUND_METHODS } from '../../shared/contract/background.js';
import type { FileRef } from '../../shared/contract/placements.js';
import type { UploadPurpose } from '../../shared/contract/uploads.js';
import { TransportError, type Transport } from './transport.js';

/** API error codes plus what can go wrong before reaching the API. */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'TOKEN_REJECTED';

/** How often a call answered BUSY is sent again before the user sees it (about half a minute in all). */
export const BUSY_RETRIES = 12;

export class ApiCallError extends Error {
  readonly code: ClientErrorCode;
  readonly retryAfterSeconds: number | undefined;
  readonly issues: ApiError['issues'];
  /** COMPLIANCE: every guardrail the attempt breaks, and whether a manager may override it. */
  readonly violations: ApiError['violations'];
  /** The message's stable key and parameters (shared/contract/messages.ts): errors.ts translates by it. */
  readonly key: string | undefined;
  readonly params: ApiError['params'];
  constructor(
    readonly method: string,
    error: {
      code: ClientErrorCode;
      message: string;
      retryAfterSeconds?: number | undefined;
      issues?: ApiError['issues'];
      violations?: ApiError['violations'];
      key?: string | undefined;
      params?: ApiError['params'];
    },
  ) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.retryAfterSeconds = error.retryAfterSeconds;
    this.issues = error.issues;
    this.violations = error.violations;
    this.key = error.key;
    this.params = error.params;
  }
}

export interface Api {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Hands a picked file to the backend (upload or local path): the FileRef for import.preview/start. */
  stageFile(file: File, purpose?: UploadPurpose): Promise<FileRef>;
  /** Gives the user an exported report package as a .zip (web: a download; desktop: the save dialog); false if cancelled. */
  downloadPackage(exportId: number): Promise<boolean>;
  /** Date.now() of the last call that reached the backend (for keep-alive decisions). */
  readonly lastCallAt: number;
}

export interface ApiOptions {
  transport: Transport;
  /** The session token the app holds in memory (undefined when logged out). */
  getSession: () => string | undefined;
  /** A session method was refused because the session is gone (idle expiry, restart, disabled user). */
  onSessionLost: (code: 'SESSION_EXPIRED' | 'UNAUTHENTICATED', method: MethodName) => void;
  /** The web host refused the access token. */
  onTokenRejected: () => void;
  /**
   * Whether the backend answered the last call (true) or could not be reached (false). A call that could not
   * be reached is not sent again: it may have arrived and been saved before the connection dropped.
   */
  onReachable?: (reachable: boolean) => void;
}

/** The office forwarder's answer when the team server could not be reached (electron/office-server.ts). */
const awayFromServer = (envelope: Envelope<unknown>) => !envelope.ok && envelope.error.code === 'BUSY' && envelope.error.key === 'officeServerUnavailable';

export function createApi(opts: ApiOptions): Api {
  let lastCallAt = 0;
  return {
    get lastCallAt() {
      return lastCallAt;
    },
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      const isPublic = contract[method].access === 'public';
      const session = isPublic ? undefined : opts.getSession();
      let envelope: Envelope<unknown>;
      try {
        // BUSY: a long writer (an import) holds the store, or the server is flooded; nothing was saved, so
        // the same call is sent again after the pause it names (a few times, then the user is told).
        for (let attempt = 0; ; attempt++) {
          envelope = await opts.transport.send(session ? { method, input, session } : { method, input });
          // The desktop's office forwarder could not reach the server (nothing was sent): the banner, and retry.
          if (awayFromServer(envelope)) opts.onReachable?.(false);
          if (envelope.ok || envelope.error.code !== 'BUSY' || attempt >= BUSY_RETRIES) break;
          const wait = envelope.error.retryAfterSeconds ?? 1;
          await new Promise((r) => setTimeout(r, Math.min(10, wait) * 1000));
        }
      } catch (e) {
        if (e instanceof TransportError && e.reason === 'token-rejected') {
          opts.onTokenRejected();
          throw new ApiCallError(method, { code: 'TOKEN_REJECTED', message: e.message });
        }
        opts.onReachable?.(false);
        throw new ApiCallError(method, { code: 'NETWORK', message: e instanceof Error ? e.message : String(e) });
      }
      opts.onReachable?.(!awayFromServer(envelope));
      // Timer polls are not the user's activity (shared/contract/background.ts): the idle keep-alive must still go out.
      if (!BACKGROUND_METHODS.has(method as MethodName)) lastCallAt = Date.now();
      if (envelope.ok) return envelope.value as MethodOutput<M>;
      const { code } = envelope.error;
      if (!isPublic && (code === 'SESSION_EXPIRED' || code === 'UNAUTHENTICATED')) opts.onSessionLost(code, method);
      throw new ApiCallError(method, envelope.error);
    },
    async stageFile(file: File, purpose?: UploadPurpose): Promise<FileRef> {
      const label = 'upload';
      let envelope;
      try {
        envelope = await opts.transport.stageFile(file, opts.getSession(), purpose);
      } catch (e) {
        if (e instanceof TransportError && e.reason === 'token-rejected') {
          opts.onTokenRejected();
          throw new ApiCallError(label, { code: 'TOKEN_REJECTED', message: e.message });
        }
        throw new ApiCallError(label, { code: 'NETWORK', message: e instanceof Error ? e.message : String(e) });
      }
      lastCallAt = Date.now();
      if (envelope.ok) return envelope.value;
      const { code } = envelope.error;
      if (code === 'SESSION_EXPIRED' || code === 'UNAUTHENTICATED') opts.onSessionLost(code, 'import.preview');
      throw new ApiCallError(label, envelope.error);
    },
    async downloadPackage(exportId: number): Promise<boolean> {
      const method = 'reports.package';
      let envelope;
      try {
        envelope = await opts.transport.downloadPackage(exportId, opts.getSession());
      } catch (e) {
        if (e instanceof TransportError && e.reason === 'token-rejected') {
          opts.onTokenRejected();
          throw new ApiCallError(method, { code: 'TOKEN_REJECTED', message: e.message });
        }
        throw new ApiCallError(method, { code: 'NETWORK', message: e instanceof Error ? e.message : String(e) });
      }
      lastCallAt = Date.now();
      if (envelope.ok) return envelope.value.saved;
      const { code } = envelope.error;
      if (code === 'SESSION_EXPIRED' || code === 'UNAUTHENTICATED') opts.onSessionLost(code, method);
      throw new ApiCallError(method, envelope.error);
    },
  };
}
