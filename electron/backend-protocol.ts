// The messages between the Electron main process and the backend utility process (backend-host).
// Pure: no `electron` import. Both sides check shapes, since a message is just structured-cloned data.
import type { ApiError, ApiRequest, Envelope } from '../shared/contract/envelope.js';

/** main → backend */
export type ToBackend =
  | { type: 'call'; id: number; request: ApiRequest }
  /** Close the backend (locks the store, releases the store lock), answer 'closed', then exit. */
  | { type: 'close' };

/** backend → main */
export type FromBackend =
  /** The store lock is held and calls can be answered. */
  | { type: 'ready' }
  /** The backend could not start (STORE_BUSY when another process holds the store). The process exits. */
  | { type: 'startup-error'; error: ApiError }
  | { type: 'reply'; id: number; envelope: Envelope<unknown> }
  | { type: 'closed' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

export function isFromBackend(msg: unknown): msg is FromBackend {
  if (!isRecord(msg)) return false;
  switch (msg.type) {
    case 'ready':
    case 'closed':
      return true;
    case 'startup-error':
      return isRecord(msg.error) && typeof msg.error.code === 'string' && typeof msg.error.message === 'string';
    case 'reply':
      return isId(msg.id) && isRecord(msg.envelope) && typeof msg.envelope.ok === 'boolean';
    default:
      return false;
  }
}

export function isToBackend(msg: unknown): msg is ToBackend {
  if (!isRecord(msg)) return false;
  if (msg.type === 'close') return true;
  return msg.type === 'call' && isId(msg.id) && isRecord(msg.request) && typeof msg.request.method === 'string';
}

/** How main tells backend-host where the store is and which native binding to load. */
export interface HostConfig {
  storeDir: string;
  nativeBinding: string | undefined;
}

export const STORE_DIR_ARG = '--store-dir=';
export const NATIVE_BINDING_ARG = '--native-binding=';

export function hostArgs(config: HostConfig): string[] {
  const args = [STORE_DIR_ARG + config.storeDir];
  if (config.nativeBinding) args.push(NATIVE_BINDING_ARG + config.nativeBinding);
  return args;
}

/** Reads the host config from argv, the store falling back to AGENCYDESK_STORE. The native binding comes from
 *  argv only: main decides it (nativeBindingFor ignores the environment in a packaged app). */
export function parseHostConfig(argv: readonly string[], env: Record<string, string | undefined>): HostConfig | null {
  const pick = (prefix: string) => argv.find((a) => a.startsWith(prefix))?.slice(prefix.length) || undefined;
  const storeDir = pick(STORE_DIR_ARG) ?? env.AGENCYDESK_STORE;
  if (!storeDir) return null;
  return { storeDir, nativeBinding: pick(NATIVE_BINDING_ARG) };
}
