// The store's keys (issue 17): the master key's state, changing it (rekey), and revealing it to IT.
import { z } from 'zod';
import { method } from './method.js';
import { loginPasswordSchema } from '../domain/credentials.js';

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
    }),
  }),
  'keys.rekey': method({
    access: 'settings.manage',
    summary: 'Change the master key: the store re-encrypted, every remaining key slot given the new key (old slot files, .bak copies and old passwords then open nothing)',
    input: z.object({ newRecoveryKey: z.boolean().default(false) }).strict(),
    output: z.object({
      generation: z.number().int(),
      seconds: z.number(),
      dropped: z.array(z.object({ username: z.string(), reason: z.string() })),
      /** A new recovery key (shown once): when asked for, or when the old recovery slot could not take the new key. */
      recoveryKey: z.string().nullable(),
    }),
  }),
  'keys.revealMasterKey': method({
    access: 'settings.manage',
    summary: "Reveal the raw master key for IT (password asked again; audited): the PRAGMA key line for SQLCipher 4",
    input: z.object({ password: loginPasswordSchema }).strict(),
    output: z.object({ pragma: z.string(), generation: z.number().int() }),
  }),
};
