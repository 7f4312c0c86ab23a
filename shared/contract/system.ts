import { z } from 'zod';
import { method } from './method.js';
import { sessionSchema, auditVerifySchema, settingsSchema } from './models.js';
import { anchorCheckSchema, auditRefsSchema } from './audit.js';
import { usernameSchema, passwordSchema, displayNameSchema } from '../domain/credentials.js';

export const systemMethods = {
  'system.status': method({
    access: 'public',
    summary: 'Whether the store exists and is unlocked; app and schema versions',
    input: z.object({}).strict(),
    output: z.object({
      initialized: z.boolean(),
      unlocked: z.boolean(),
      agencyName: z.string().nullable(),
      appVersion: z.string(),
      schemaVersion: z.number().int().nullable(),
      /** Set only when the web host runs on a test clock (AGENCYDESK_TEST_CLOCK): where it started and its time now. */
      testClock: z.object({ startedAt: z.string(), now: z.string() }).nullable(),
    }),
  }),
  'system.setup': method({
    access: 'public',
    summary: 'First run: create the encrypted store, the agency and its admin; returns the recovery key once',
    input: z
      .object({
        agencyName: z.string().trim().min(1).max(120),
        admin: z.object({ username: usernameSchema, displayName: displayNameSchema, password: passwordSchema }).strict(),
      })
      .strict(),
    output: z.object({ recoveryKey: z.string(), session: sessionSchema }),
  }),
  'system.check': method({
    access: 'system.check',
    summary: 'Integrity check, migration level and audit chain',
    input: z.object({}).strict(),
    output: z.object({
      integrity: z.array(z.string()),
      integrityOk: z.boolean(),
      schemaVersion: z.number().int(),
      latestSchemaVersion: z.number().int(),
      audit: auditVerifySchema,
      /** The chain's head against audit-anchor.json: a rolled-back or rewritten store fails here. */
      anchor: anchorCheckSchema,
      /** Money, contact-log and assignment rows against their audit entries, both ways. */
      refs: auditRefsSchema,
    }),
  }),
  'settings.get': method({
    access: 'session',
    summary: 'Agency-wide settings',
    input: z.object({}).strict(),
    output: settingsSchema,
  }),
  'settings.update': method({
    access: 'settings.manage',
    summary: 'Change agency-wide settings',
    input: settingsSchema.partial().strict(),
    output: settingsSchema,
  }),
};
