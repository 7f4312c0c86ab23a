// What the preload exposes as window.agencydesk. Pure: preload.ts passes ipcRenderer.invoke.
import { METHOD_NAMES } from '../shared/contract/registry.js';
import { IPC_CHANNEL, OFFICE_CHANNEL, SAVE_PACKAGE_CHANNEL, UPLOAD_CHANNEL, type AgencyDeskBridge, type OfficeStatus } from '../shared/contract/bridge.js';
import type { ApiRequest, Envelope } from '../shared/contract/envelope.js';

export type Invoke = (channel: string, request: ApiRequest | { exportId: number; session: string } | Record<string, string | undefined>) => Promise<unknown>;
/** webUtils.getPathForFile: only a File the user gave the page (picker or drop) has a path. */
export type PathForFile = (file: File) => string;

export function buildBridge(invoke: Invoke, pathForFile: PathForFile = () => ''): AgencyDeskBridge {
  const methods = Object.freeze([...METHOD_NAMES]) as readonly string[];
  return Object.freeze({
    host: 'desktop' as const,
    methods,
    pathForFile: (file: File) => pathForFile(file),
    async savePackage(exportId: number, session: string) {
      try {
        return (await invoke(SAVE_PACKAGE_CHANNEL, { exportId: Number(exportId), session: String(session) })) as Envelope<{ saved: boolean; path: string | null }>;
      } catch (e) {
        return { ok: false as const, error: { code: 'INTERNAL' as const, message: `IPC failed: ${e instanceof Error ? e.message : String(e)}` } };
      }
    },
    office: Object.freeze({
      status: () => viaIpc<OfficeStatus>(invoke, OFFICE_CHANNEL, { op: 'status' }),
      probe: (url: string) => viaIpc<{ url: string; fingerprint: string }>(invoke, OFFICE_CHANNEL, { op: 'probe', url: String(url) }),
      connect: (url: string, fingerprint: string) => viaIpc<OfficeStatus>(invoke, OFFICE_CHANNEL, { op: 'connect', url: String(url), fingerprint: String(fingerprint) }),
      disconnect: () => viaIpc<OfficeStatus>(invoke, OFFICE_CHANNEL, { op: 'disconnect' }),
    }),
    uploadPath: (p: string, session: string | undefined) =>
      viaIpc<{ uploadId: string; bytes: number }>(invoke, UPLOAD_CHANNEL, session === undefined ? { path: String(p) } : { path: String(p), session: String(session) }),
    async call(request: ApiRequest): Promise<Envelope<unknown>> {
      // Copy only the three known fields: nothing else from the page crosses into the main process.
      const r = (typeof request === 'object' && request !== null ? request : {}) as Partial<ApiRequest>;
      const msg: ApiRequest = { method: r.method as string, input: r.input };
      if (r.session !== undefined) msg.session = r.session;
      try {
        return (await invoke(IPC_CHANNEL, msg)) as Envelope<unknown>;
      } catch (e) {
        return { ok: false, error: { code: 'INTERNAL', message: `IPC failed: ${e instanceof Error ? e.message : String(e)}` } };
      }
    },
  });
}

/** One IPC round trip that always resolves to an envelope. */
async function viaIpc<T>(invoke: Invoke, channel: string, msg: Record<string, string | undefined>): Promise<Envelope<T>> {
  try {
    return (await invoke(channel, msg)) as Envelope<T>;
  } catch (e) {
    return { ok: false, error: { code: 'INTERNAL', message: `IPC failed: ${e instanceof Error ? e.message : String(e)}` } };
  }
}
