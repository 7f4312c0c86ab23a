// "Serve this store to the office" from the desktop app (issue 16): the desktop's own backend opens the team
// server's HTTPS listener over the same backend, so the store stays opened by one process. Only the desktop
// host can do it (the others answer `available: false`); admins only, audited.
import { z } from 'zod';
import { method } from './method.js';

export const listenSchema = z.object({
  /** An address of this computer to listen on: 0.0.0.0 (every address), :: or one IPv4/IPv6 address. */
  host: z.string().min(1).max(60),
  /** 0 picks a free port (tests); people use 8443. */
  port: z.number().int().min(0).max(65535),
});
export type Listen = z.infer<typeof listenSchema>;

export const serveStatusSchema = z.object({
  /** False on every host but the desktop app on its own store (web host, team server, a desk in office mode). */
  available: z.boolean(),
  serving: z.boolean(),
  listen: listenSchema.nullable(),
  /** The addresses to give the desks (this computer's LAN addresses when listening on all of them). */
  urls: z.array(z.string()),
  /** SHA-256 of the certificate, as `agencydesk serve` and openssl print it. */
  fingerprint: z.string().nullable(),
  certPath: z.string().nullable(),
  since: z.string().nullable(),
  startedBy: z.string().nullable(),
  /** Sessions from the network (the desktop's own are not counted). */
  connected: z.number().int(),
  /** The remembered choice: serve again, on this address, when an administrator logs in on this computer. */
  autoStart: z.boolean(),
  lastListen: listenSchema.nullable(),
});
export type ServeStatus = z.infer<typeof serveStatusSchema>;

export const serveMethods = {
  'serve.status': method({
    access: 'settings.manage',
    summary: 'Whether this desktop serves its store to the office: address, URLs, certificate fingerprint, connected desks',
    input: z.object({}).strict(),
    output: serveStatusSchema,
  }),
  'serve.start': method({
    access: 'settings.manage',
    summary: 'Serve this store to the office from the desktop app (HTTPS, the team server over this backend)',
    input: listenSchema.extend({ autoStart: z.boolean().default(false) }).strict(),
    output: serveStatusSchema,
  }),
  'serve.stop': method({
    access: 'settings.manage',
    summary: 'Stop serving: the listener closes and the network sessions end (this computer’s own stays)',
    input: z.object({}).strict(),
    output: serveStatusSchema,
  }),
};
