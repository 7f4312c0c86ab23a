// Who is connected: the live sessions (on a team server, one per desk or browser), and ending one.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema } from './models.js';

export const sessionInfoSchema = z.object({
  id: z.string(),
  userId: idSchema,
  username: z.string(),
  displayName: z.string(),
  /** The client's address as the server saw it ('' on a desktop or the loopback web host). */
  from: z.string(),
  since: z.string(),
  lastCall: z.string(),
  current: z.boolean(),
});
export type SessionInfoView = z.infer<typeof sessionInfoSchema>;

export const sessionMethods = {
  'sessions.list': method({
    access: 'users.manage',
    summary: 'Live sessions: user, address, since, last call',
    input: z.object({}).strict(),
    output: z.object({
      sessions: z.array(sessionInfoSchema),
      /** On a team server: the address and certificate fingerprint to give the desks. */
      server: z.object({ url: z.string(), fingerprint: z.string() }).nullable(),
    }),
  }),
  'live.version': method({
    access: 'cases.read',
    summary: 'A short token that changes when your cases or the office’s work changed (clients poll it and refetch on change)',
    input: z.object({}).strict(),
    output: z.object({ version: z.string() }),
  }),
  'sessions.end': method({
    access: 'users.manage',
    summary: 'End one session (the user must log in again)',
    input: z.object({ id: z.string().min(1).max(40) }).strict(),
    output: z.object({ ended: z.boolean() }),
  }),
};
