// The main-process end of the link to the backend utility process: request ids, pending calls, timeouts,
// and failing every pending call when the process dies. Pure: it is given a postMessage function and
// exposes onMessage/onExit for the caller to wire to the UtilityProcess events.
import type { ApiError, ApiRequest, Envelope } from '../shared/contract/envelope.js';
import { isFromBackend, type ToBackend } from './backend-protocol.js';

export type BackendState = 'starting' | 'ready' | 'failed' | 'closing' | 'exited';

export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

export interface BackendClientOptions {
  post(msg: ToBackend): void;
  /**
   * Per-call timeout (ms). Long calls are answered, not abandoned: an assignment of 200,000 cases takes about a
   * minute, an integrity check of a million cases longer, and either goes on in the backend after a timeout, so
   * the page would show an error for work that is then done. A backend that stops is reported at once by its
   * exit (onUnexpectedExit); this only bounds one that hangs. Default 10 minutes (a page in the browser waits as long as it takes).
   */
  timeoutMs?: number;
  /** How long to wait for 'starting' to become 'ready' before calls fail. */
  startupTimeoutMs?: number;
  /** The backend reported it could not start (e.g. STORE_BUSY). */
  onStartupError?(error: ApiError): void;
  /** The process exited while it was expected to run. */
  onUnexpectedExit?(code: number): void;
  setTimer?(fn: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
}

export interface BackendClient {
  /** Resolves to the backend's envelope; rejects (BackendUnavailableError) on timeout, exit or a closed link. */
  call(request: ApiRequest): Promise<Envelope<unknown>>;
  /** Wire to utilityProcess 'message'. */
  onMessage(msg: unknown): void;
  /** Wire to utilityProcess 'exit'. */
  onExit(code: number): void;
  /** Asks the backend to close the store; resolves when it confirms, exits, or after timeoutMs. */
  close(timeoutMs?: number): Promise<void>;
  readonly state: BackendState;
  readonly pendingCount: number;
}

interface Pending {
  resolve(env: Envelope<unknown>): void;
  reject(err: Error): void;
  timer: unknown;
}

export function createBackendClient(opts: BackendClientOptions): BackendClient {
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));

  let state: BackendState = 'starting';
  let startupError: ApiError | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const waitingForReady: Array<{ go(): void; fail(err: Error): void }> = [];
  const closeWaiters: Array<() => void> = [];

  let startupTimer: unknown = null;
  if (opts.startupTimeoutMs) {
    startupTimer = setTimer(() => {
      if (state === 'starting') failWaiting(new BackendUnavailableError('The backend did not start in time.'));
    }, opts.startupTimeoutMs);
  }

  function failWaiting(err: Error) {
    for (const w of waitingForReady.splice(0)) w.fail(err);
  }

  function failAll(err: Error) {
    failWaiting(err);
    for (const [id, p] of pending) {
      clearTimer(p.timer);
      pending.delete(id);
      p.reject(err);
    }
  }

  function send(request: ApiRequest): Promise<Envelope<unknown>> {
    const id = nextId++;
    return new Promise<Envelope<unknown>>((resolve, reject) => {
      const timer = setTimer(() => {
        if (pending.delete(id)) reject(new BackendUnavailableError(`The backend did not answer ${request.method} within ${timeoutMs} ms.`));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      try {
        opts.post({ type: 'call', id, request });
      } catch (e) {
        clearTimer(timer);
        pending.delete(id);
        reject(new BackendUnavailableError(`Could not reach the backend: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  }

  function finishClose() {
    for (const w of closeWaiters.splice(0)) w();
  }

  return {
    get state() {
      return state;
    },
    get pendingCount() {
      return pending.size;
    },

    call(request) {
      if (state === 'ready') return send(request);
      if (state === 'failed' && startupError) return Promise.resolve({ ok: false, error: startupError });
      if (state === 'starting') {
        return new Promise<Envelope<unknown>>((resolve, reject) => {
          waitingForReady.push({
            go: () => send(request).then(resolve, reject),
            fail: reject,
          });
        }).catch((e: unknown) => {
          // The startup error (e.g. STORE_BUSY) is the honest answer for calls made while starting.
          if (startupError) return { ok: false as const, error: startupError };
          throw e;
        });
      }
      return Promise.reject(new BackendUnavailableError('The backend is not running.'));
    },

    onMessage(msg) {
      if (!isFromBackend(msg)) return; // ignore anything malformed
      switch (msg.type) {
        case 'ready':
          if (state !== 'starting') return;
          state = 'ready';
          if (startupTimer !== null) clearTimer(startupTimer);
          for (const w of waitingForReady.splice(0)) w.go();
          return;
        case 'startup-error':
          state = 'failed';
          startupError = msg.error;
          if (startupTimer !== null) clearTimer(startupTimer);
          failWaiting(new BackendUnavailableError(msg.error.message));
          opts.onStartupError?.(msg.error);
          return;
        case 'reply': {
          const p = pending.get(msg.id);
          if (!p) return; // late reply after a timeout
          pending.delete(msg.id);
          clearTimer(p.timer);
          p.resolve(msg.envelope);
          return;
        }
        case 'closed':
          finishClose();
          return;
      }
    },

    onExit(code) {
      const expected = state === 'closing' || state === 'failed';
      state = 'exited';
      if (startupTimer !== null) clearTimer(startupTimer);
      failAll(new BackendUnavailableError(`The backend process exited (code ${code}).`));
      finishClose();
      if (!expected) opts.onUnexpectedExit?.(code);
    },

    close(closeTimeoutMs = 5_000) {
      if (state === 'exited') return Promise.resolve();
      if (state !== 'failed') state = 'closing';
      failWaiting(new BackendUnavailableError('The backend is closing.'));
      return new Promise<void>((resolve) => {
        const timer = setTimer(() => resolve(), closeTimeoutMs);
        closeWaiters.push(() => {
          clearTimer(timer);
          resolve();
        });
        try {
          opts.post({ type: 'close' });
        } catch {
          clearTimer(timer);
          resolve();
        }
      });
    },
  };
}
