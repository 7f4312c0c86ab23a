// The utility-process side of the backend link: answers {type:'call'} with the Backend's envelope.
// Pure: the thin backend-host.ts wires it to process.parentPort. Tested with a fake and with the real core.
import { requestSchema, type ApiError, type Envelope } from '../shared/contract/envelope.js';
import { badInput } from '../shared/contract/validate.js';
import { ApiFailure } from '../shared/contract/failure.js';
import type { Backend } from '../core/backend.js';
import { isToBackend, type FromBackend } from './backend-protocol.js';

export type ServiceBackend = Pick<Backend, 'dispatch' | 'close'>;

export interface BackendServiceDeps {
  /** Opens the store; throws ApiFailure('STORE_BUSY') if another process holds it. */
  create(): ServiceBackend;
  post(msg: FromBackend): void;
  /** Ends the process (after the last message had a chance to leave). */
  exit(code: number): void;
  log?(message: string): void;
}

export interface BackendService {
  /** Wire to parentPort 'message' (pass event.data). Resolves when the message is fully handled. */
  onMessage(data: unknown): Promise<void>;
  readonly running: boolean;
}

function toApiError(e: unknown): ApiError {
  if (e instanceof ApiFailure) return e.toApiError();
  return { code: 'INTERNAL', message: `The backend could not start: ${e instanceof Error ? e.message : String(e)}` };
}

/** Answers one call with a backend; never throws. */
export async function answerCall(backend: ServiceBackend, raw: unknown, log: (m: string) => void = () => {}): Promise<Envelope<unknown>> {
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: badInput(parsed.error) };
  try {
    return await backend.dispatch(parsed.data.method, parsed.data.input, { session: parsed.data.session });
  } catch (e) {
    log(`[agencydesk] backend dispatch threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return { ok: false, error: { code: 'INTERNAL', message: 'Internal error. The details are in the log.' } };
  }
}

/** Starts the service: creates the backend, reports 'ready' or 'startup-error' (then exits). */
export function startBackendService(deps: BackendServiceDeps): BackendService {
  const log = deps.log ?? ((m: string) => console.error(m));
  let backend: ServiceBackend | null = null;
  try {
    backend = deps.create();
    deps.post({ type: 'ready' });
  } catch (e) {
    deps.post({ type: 'startup-error', error: toApiError(e) });
    deps.exit(1);
  }

  function closeBackend() {
    if (!backend) return;
    const b = backend;
    backend = null;
    try {
      b.close();
    } catch (e) {
      log(`[agencydesk] closing the backend failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  return {
    get running() {
      return backend !== null;
    },
    async onMessage(data) {
      if (!isToBackend(data)) {
        log('[agencydesk] backend-host ignored a malformed message');
        return;
      }
      if (data.type === 'close') {
        closeBackend();
        deps.post({ type: 'closed' });
        deps.exit(0);
        return;
      }
      if (!backend) {
        deps.post({ type: 'reply', id: data.id, envelope: { ok: false, error: { code: 'INTERNAL', message: 'The backend is closed.' } } });
        return;
      }
      const envelope = await answerCall(backend, data.request, log);
      deps.post({ type: 'reply', id: data.id, envelope });
    },
  };
}
