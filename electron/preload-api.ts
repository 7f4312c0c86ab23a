// What the preload exposes as window.agencydesk. Pure: preload.ts passes ipcRenderer.invoke.
import { METHOD_NAMES } from '../shared/contract/registry.js';
import { IPC_CHANNEL, type AgencyDeskBridge } from '../shared/contract/bridge.js';
import type { ApiRequest, Envelope } from '../shared/contract/envelope.js';

export type Invoke = (channel: string, request: ApiRequest) => Promise<unknown>;
/** webUtils.getPathForFile: only a File the user gave the page (picker or drop) has a path. */
export type PathForFile = (file: File) => string;

export function buildBridge(invoke: Invoke, pathForFile: PathForFile = () => ''): AgencyDeskBridge {
  const methods = Object.freeze([...METHOD_NAMES]) as readonly string[];
  return Object.freeze({
    host: 'desktop' as const,
    methods,
    pathForFile: (file: File) => pathForFile(file),
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
