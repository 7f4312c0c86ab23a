// Recalls (退案): a lender takes cases back, by a file of case numbers or by a selection. Recalled cases
// close as "returned" with the reason, leave every queue, and are listed in the next report's returns.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema, isoTimeSchema } from './models.js';
import { fileRefSchema } from './placements.js';

const rejection = z.object({ row: z.number().int().nullable(), caseNo: z.string().nullable(), caseId: idSchema.nullable(), reason: z.string() });

export const recallSchema = z.object({
  id: idSchema,
  lender: z.string(),
  source: z.enum(['file', 'selection']),
  fileName: z.string().nullable(),
  reason: z.string(),
  cases: z.number().int(),
  rejections: z.array(rejection),
  recalledBy: z.string(),
  recalledAt: isoTimeSchema,
});

const result = z.object({ recallId: idSchema.nullable(), recalled: z.number().int(), rejections: z.array(rejection), dryRun: z.boolean() });

export const recallMethods = {
  'recalls.bySelection': method({
    access: 'lenders.manage',
    summary: 'Recall picked cases to their lender (退案): they close as returned, with the reason',
    input: z.object({ caseIds: z.array(idSchema).min(1).max(100_000), reason: z.string().trim().min(2).max(500), dryRun: z.boolean().default(false) }).strict(),
    output: result,
  }),
  'recalls.importFile': method({
    access: 'lenders.manage',
    summary: "Recall the cases a lender's recall file lists (case number, optional reason per row)",
    input: z.object({ lenderId: idSchema, file: fileRefSchema, reason: z.string().trim().min(2).max(500), dryRun: z.boolean().default(false) }).strict(),
    output: result,
  }),
  'recalls.list': method({
    access: 'lenders.read',
    summary: 'Recalls so far, newest first',
    input: z.object({ lenderId: idSchema.optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.object({ recalls: z.array(recallSchema) }),
  }),
  'recalls.get': method({
    access: 'lenders.read',
    summary: 'One recall and the cases it returned (the return report)',
    input: z.object({ recallId: idSchema }).strict(),
    output: z.object({
      recall: recallSchema,
      cases: z.array(z.object({ caseId: idSchema, caseNo: z.string(), borrowerName: z.string(), stageBefore: z.string(), reason: z.string(), overdueAmountFen: z.number().int() })),
    }),
  }),
};
