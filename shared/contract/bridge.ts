// What the Electron preload exposes on `window.agencydesk`, and what the web transport imitates.
import type { ApiRequest, Envelope } from './envelope.js';

export interface AgencyDeskBridge {
  /** Sends one request to the backend; always resolves to an envelope (never rejects on API errors). */
  call(request: ApiRequest): Promise<Envelope<unknown>>;
  /** The method names of the registry, as the preload knows them (checked against core in tests). */
  readonly methods: readonly string[];
  /** 'desktop' in Electron. */
  readonly host: 'desktop';
  /**
   * The local path of a file the user picked or dropped (Electron's webUtils.getPathForFile), so the
   * backend reads it in place instead of receiving a copy. Only in the desktop app.
   */
  pathForFile?: (file: File) => string;
}

export const BRIDGE_KEY = 'agencydesk';
export const IPC_CHANNEL = 'agencydesk:call';
