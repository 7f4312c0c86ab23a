// The store's keys (issue 17): the master key's state, changing it (rekey), and revealing it to IT.
import { z } from 'zod';
import { method } from './method.js';
import { loginPasswordSchema } from '../domain/credentials.js';

/** A master-key change running in the background (core/rekey-job.ts). */
export const rekeyJobSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  /** starting: waiting for the write lock; copying/encrypting/checking: in the worker; switching: the short exclusive step. */
  phase: z.enum(['starting', 'copying', 'encrypting', 'checking', 'switching', 'done']),
  percent: z.number(),
  copiedBytes: z.number(),
  totalBytes: z.number(),
  startedAt: z.string(),
  seconds: z.number(),
  result: z
    .object({
      generation: z.number().int(),
      seconds: z.number(),
      dropped: z.array(z.object({ username: z.string(), reason: z.string() })),
      /** A new recovery key (shown once, only to the admin who started the change). */
      recoveryKey: z.string().nullable(),
    })
    .nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

export const keysMethods = {
  'keys.status': method({
    access: 'settings.manage',
    summary: 'The master key: its generation, last change, whether a change is due (and why), and the key slots',
    input: z.object({}).strict(),
    output: z.object({
      generation: z.number().int(),
      lastRekeyAt: z.string().nullable(),
      /** Set after a user is disabled, an admin resets a password, or someone loses the right to sign. */
      rekeyDue: z
        .object({
          since: z.string(),
          reasons: z.array(z.object({ username: z.string(), why: z.enum(['disabled', 'reset', 'demoted']), from: z.string().optional(), to: z.string().optional() })),
        })
        .nullable(),
      slots: z.array(z.object({ kind: z.enum(['password', 'recovery']), username: z.string().nullable(), format: z.number().int(), signing: z.boolean() })),
      /** This backend holds the signing key's lock (someone whose slot carries it unlocked the store). */
      signingLockHeld: z.boolean(),
      /** A master-key change running now (the admin screen follows it after a reload). */
      rekeyJob: z.object({ jobId: z.string(), phase: z.string(), percent: z.number() }).nullable(),
    }),
  }),
  'keys.rekey': method({
    access: 'settings.manage',
    summary: 'Start changing the master key (a background job: poll keys.rekeyStatus): the store re-encrypted, every remaining key slot given the new key (old slot files, .bak copies and old passwords then open nothing)',
    input: z.object({ newRecoveryKey: z.boolean().default(false) }).strict(),
    output: z.object({ jobId: z.string() }),
  }),
  'keys.rekeyStatus': method({
    access: 'settings.manage',
    summary: 'How far a master-key change is (phase, bytes copied of total, percent) and, once done, its result',
    input: z.object({ jobId: z.string().min(1).max(64) }).strict(),
    output: rekeyJobSchema,
  }),
  'keys.revealMasterKey': method({
    access: 'settings.manage',
    summary: "Reveal the raw master key for IT (password asked again; audited): the PRAGMA key line for SQLCipher 4",
    input: z.object({ password: loginPasswordSchema }).strict(),
    output: z.object({ pragma: z.string(), generation: z.number().int() }),
  }),
};
