import { z } from 'zod';
import { method } from './method.js';
import { auditEntrySchema, auditVerifySchema } from './models.js';

export const auditMethods = {
  'audit.list': method({
    access: 'audit.read',
    summary: 'Audit entries, newest first',
    input: z
      .object({
        limit: z.number().int().min(1).max(500).default(100),
        beforeSeq: z.number().int().positive().optional(),
        action: z.string().max(100).optional(),
      })
      .strict(),
    output: z.object({ entries: z.array(auditEntrySchema) }),
  }),
  'audit.verify': method({
    access: 'audit.read',
    summary: 'Recompute the hash chain and report the first broken link',
    input: z.object({}).strict(),
    output: auditVerifySchema,
  }),
};
