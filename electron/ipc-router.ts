// The main-process IPC handler for IPC_CHANNEL: only the main window's app:// frame may call, every request is
// checked against the registry's method names before it reaches the backend (core validates the input after the
// session and permission checks), and every outcome is an envelope.
// Pure: no `electron` import (main.ts passes senderFrame.url and sender.id).
import { envelopeSchema, requestSchema, type ApiRequest, type Envelope } from '../shared/contract/envelope.js';
import { badInput } from '../shared/contract/validate.js';
import { isMethodName } from '../shared/contract/registry.js';
import { APP_ORIGIN } from './app-protocol.js';

export interface SenderInfo {
  /** event.senderFrame?.url (null when the frame is gone). */
  frameUrl: string | null;
  /** event.sender.id */
  webContentsId: number;
}

export interface IpcRouterOptions {
  isTrustedSender(frameUrl: string | null, webContentsId: number): boolean;
  forward(request: ApiRequest): Promise<Envelope<unknown>>;
  log?(message: string): void;
}

export interface IpcRouter {
  handle(sender: SenderInfo, raw: unknown): Promise<Envelope<unknown>>;
}

/** Trusted = a frame of the bundled UI (app://agencydesk/…) in the main window's webContents. */
export function createTrustedSenderCheck(mainWebContentsId: () => number | null): IpcRouterOptions['isTrustedSender'] {
  return (frameUrl, webContentsId) => {
    if (typeof frameUrl !== 'string' || !frameUrl.startsWith(`${APP_ORIGIN}/`)) return false;
    const mainId = mainWebContentsId();
    return mainId !== null && mainId === webContentsId;
  };
}

export function createIpcRouter(opts: IpcRouterOptions): IpcRouter {
  const log = opts.log ?? ((m: string) => console.error(m));
  return {
    async handle(sender, raw) {
      if (!opts.isTrustedSender(sender.frameUrl, sender.webContentsId)) {
        log(`[agencydesk] refused an API call from an untrusted sender (webContents ${sender.webContentsId})`);
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not call the AgencyDesk API.' } };
      }
      const req = requestSchema.safeParse(raw);
      if (!req.success) return { ok: false, error: badInput(req.error) };
      // The input itself is validated by core's dispatch, after the session and permission checks (an
      // unauthorised caller must get FORBIDDEN, not the schema): one order for every host.
      if (!isMethodName(req.data.method)) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${req.data.method}` } };
      const request: ApiRequest = { method: req.data.method, input: req.data.input };
      if (req.data.session !== undefined) request.session = req.data.session;
      try {
        const envelope = await opts.forward(request);
        if (!envelopeSchema.safeParse(envelope).success) {
          log(`[agencydesk] the backend answered ${request.method} with a malformed envelope`);
          return { ok: false, error: { code: 'INTERNAL', message: 'Internal error: the backend gave a malformed answer.' } };
        }
        return envelope;
      } catch (e) {
        log(`[agencydesk] ${request.method} failed in transit: ${e instanceof Error ? e.message : String(e)}`);
        return {
          ok: false,
          error: { code: 'INTERNAL', message: `The backend is unavailable: ${e instanceof Error ? e.message : String(e)}` },
        };
      }
    },
  };
}
