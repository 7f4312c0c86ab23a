// The main-process side of "Connect to an office server" (and back to this computer's store), and of
// uploads in office mode. Pure: main.ts passes the trusted-sender check, the user-data folder and relaunch.
import { z } from 'zod';
import type { Envelope } from '../shared/contract/envelope.js';
import type { OfficeStatus } from '../shared/contract/bridge.js';
import { normalisePin } from '../remote/pinned-https.js';
import { normaliseServerUrl, probeFingerprint, readOfficeConfig, writeOfficeConfig, type OfficeForwarder } from './office-server.js';
import type { SenderInfo } from './ipc-router.js';

const officeRequest = z.discriminatedUnion('op', [
  z.object({ op: z.literal('status') }).strict(),
  z.object({ op: z.literal('probe'), url: z.string().max(300) }).strict(),
  z.object({ op: z.literal('connect'), url: z.string().max(300), fingerprint: z.string().max(200) }).strict(),
  z.object({ op: z.literal('disconnect') }).strict(),
]);
const uploadRequest = z.object({ path: z.string().min(1).max(4096), session: z.string().max(200).optional() }).strict();

export interface OfficeIpcOptions {
  isTrustedSender(frameUrl: string | null, webContentsId: number): boolean;
  userData: () => string;
  /** Restarts the app so that it comes up on the other store (local or office). */
  relaunch: () => void;
  /** The running forwarder when this desk is connected to an office server. */
  forwarder: () => OfficeForwarder | null;
  probe?: (url: string) => Promise<string>;
}

const refused: Envelope<never> = { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not do that.' } };
const bad = (message: string): Envelope<never> => ({ ok: false, error: { code: 'BAD_INPUT', message } });

export function createOfficeIpc(opts: OfficeIpcOptions) {
  const probe = opts.probe ?? probeFingerprint;
  return {
    async office(sender: SenderInfo, raw: unknown): Promise<Envelope<OfficeStatus | { url: string; fingerprint: string }>> {
      if (!opts.isTrustedSender(sender.frameUrl, sender.webContentsId)) return refused;
      const r = officeRequest.safeParse(raw);
      if (!r.success) return bad('Unknown request.');
      const req = r.data;
      switch (req.op) {
        case 'status': {
          const c = readOfficeConfig(opts.userData());
          return { ok: true, value: c ? { mode: 'office', url: c.url, fingerprint: c.fingerprint } : { mode: 'local' } };
        }
        case 'probe': {
          const url = normaliseServerUrl(req.url);
          if (!url) return bad('Type the server address as the administrator gave it, e.g. https://192.168.1.20:8443');
          try {
            return { ok: true, value: { url, fingerprint: await probe(url) } };
          } catch (e) {
            return { ok: false, error: { code: 'BUSY', message: `Cannot reach ${url}: ${e instanceof Error ? e.message : String(e)}`, retryAfterSeconds: 5 } };
          }
        }
        case 'connect': {
          const url = normaliseServerUrl(req.url);
          const fingerprint = normalisePin(req.fingerprint);
          if (!url || !fingerprint) return bad('An https:// address and a SHA-256 fingerprint are needed.');
          // The fingerprint is checked again now: what is pinned is what the server shows and the user confirmed.
          let shown: string;
          try {
            shown = await probe(url);
          } catch (e) {
            return { ok: false, error: { code: 'BUSY', message: `Cannot reach ${url}: ${e instanceof Error ? e.message : String(e)}`, retryAfterSeconds: 5 } };
          }
          if (shown !== fingerprint) return { ok: false, error: { code: 'FORBIDDEN', message: `The server shows ${shown}, not the fingerprint you confirmed. Do not connect: ask your administrator.` } };
          writeOfficeConfig(opts.userData(), { url, fingerprint });
          opts.relaunch();
          return { ok: true, value: { mode: 'office', url, fingerprint } };
        }
        case 'disconnect':
          writeOfficeConfig(opts.userData(), null);
          opts.relaunch();
          return { ok: true, value: { mode: 'local' } };
      }
    },
    async upload(sender: SenderInfo, raw: unknown): Promise<Envelope<{ uploadId: string; bytes: number }>> {
      if (!opts.isTrustedSender(sender.frameUrl, sender.webContentsId)) return refused;
      const r = uploadRequest.safeParse(raw);
      if (!r.success) return bad('Unknown request.');
      const f = opts.forwarder();
      if (!f) return bad('Uploads go to an office server; this desk works on its own store.');
      return f.upload(r.data.path, r.data.session);
    },
  };
}
