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
  /**
   * Saves an exported report package as a .zip where the user picks in the system save dialog (the main
   * process asks the backend where the package is; the page never names a path). Only in the desktop app.
   */
  savePackage?: (exportId: number, session: string) => Promise<Envelope<{ saved: boolean; path: string | null }>>;
  /**
   * Which store this desk works on: its own (local) or an office's team server, and the steps to switch
   * (the main process checks and pins the server's certificate; switching restarts the app). Desktop only.
   */
  office?: {
    status(): Promise<Envelope<OfficeStatus>>;
    probe(url: string): Promise<Envelope<{ url: string; fingerprint: string }>>;
    connect(url: string, fingerprint: string): Promise<Envelope<OfficeStatus>>;
    disconnect(): Promise<Envelope<OfficeStatus>>;
  };
  /** In office mode: sends a file the user picked (by its local path) to the server's upload endpoint. */
  uploadPath?: (path: string, session: string | undefined) => Promise<Envelope<{ uploadId: string; bytes: number }>>;
}

export type OfficeStatus = { mode: 'local' } | { mode: 'office'; url: string; fingerprint: string };

export const BRIDGE_KEY = 'agencydesk';
export const OFFICE_CHANNEL = 'agencydesk:office';
export const UPLOAD_CHANNEL = 'agencydesk:upload';
export const IPC_CHANNEL = 'agencydesk:call';
export const SAVE_PACKAGE_CHANNEL = 'agencydesk:save-package';
