// The case view's facts (cases.get): every field the placement file gave, grouped and masked
// (shared/domain/placement/case-facts.ts), days overdue and bucket as of today beside those at placement,
// and what each re-placement changed.
import { z } from 'zod';
import { isoTimeSchema } from './models.js';
import { FACT_GROUPS } from '../domain/placement/case-facts.js';
import { ESCALATION_BASES } from '../domain/casework/escalation.js';

const factValue = z.union([z.string(), z.number()]).nullable();
const factKind = z.enum(['text', 'money', 'date', 'int', 'code']);

export const factGroupSchema = z.object({
  group: z.enum(FACT_GROUPS),
  fields: z.array(z.object({ key: z.string(), kind: factKind, value: factValue })),
});

export const agingSchema = z.object({
  /** The day the figures are taken on: today, or the day a finished case left collection. */
  asOf: z.string(),
  daysOverdue: z.number().int().nullable(),
  bucket: z.string().nullable(),
  daysAtPlacement: z.number().int().nullable(),
  bucketAtPlacement: z.string().nullable(),
  daysSincePlacement: z.number().int(),
});

export const replacementSchema = z.object({
  at: isoTimeSchema,
  actor: z.string().nullable(),
  batchNo: z.string().nullable(),
  changes: z.array(z.object({ key: z.string(), kind: factKind, from: factValue, to: factValue })),
});

export const nextStepSchema = z.object({
  action: z.string(),
  fromDay: z.number().int(),
  behind: z.boolean(),
  inDays: z.number().int(),
  /** What fromDay counts: days overdue or days since placement (the lender's schedule). */
  basis: z.enum(ESCALATION_BASES),
});

export const caseFactsFields = {
  facts: z.array(factGroupSchema),
  aging: agingSchema,
  /** Re-placements of the case by the lender, newest first, with what each changed (masked). */
  replacements: z.array(replacementSchema),
};
