// Lender repayment files (回款): preview and import (matched to the agency's own payments or posted), the
// files imported, reconciliation for a period, and the monthly commission statement. All amounts in fen.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema, isoTimeSchema } from './models.js';
import { fileRefSchema, mappingSchema, rejectionSchema } from './placements.js';
import { dateSchema } from './money.js';

const importInput = {
  lenderId: idSchema,
  file: fileRefSchema,
  sheet: z.string().max(100).optional(),
  /** field key (caseNo, amount, paidOn, channel, payer, reference) → the header of its column. */
  mapping: mappingSchema.optional(),
};

export const repaymentOutcomeSchema = z.object({
  row: z.number().int(),
  caseNo: z.string(),
  caseId: idSchema,
  amountFen: z.number().int(),
  paidOn: z.string(),
  /** matched: linked to the agency's own payment; posted: a payment is (or would be) posted from the row. */
  outcome: z.enum(['matched', 'posted']),
  paymentId: idSchema.nullable(),
});

export const repaymentFileSchema = z.object({
  id: idSchema,
  lenderId: idSchema,
  lenderCode: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  importedBy: z.string(),
  importedAt: isoTimeSchema,
  rowsTotal: z.number().int(),
  matched: z.number().int(),
  posted: z.number().int(),
  rejected: z.number().int(),
  amountFen: z.number().int(),
});
export type RepaymentFile = z.infer<typeof repaymentFileSchema>;

const counts = {
  totalRows: z.number().int(),
  matched: z.number().int(),
  posted: z.number().int(),
  rejected: z.number().int(),
  /** Sum of the rows that are (or would be) matched or posted. */
  amountFen: z.number().int(),
  rejections: z.array(rejectionSchema),
};

export const repaymentPreviewSchema = z.object({
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  sheets: z.array(z.string()),
  sheet: z.string().nullable(),
  headerRow: z.number().int(),
  headers: z.array(z.string()),
  /** field key → column index (null = not mapped). */
  mapping: z.record(z.string(), z.number().int().nullable()),
  missingRequired: z.array(z.string()),
  /** The first rows that would be matched or posted. */
  sample: z.array(repaymentOutcomeSchema),
  ...counts,
  duplicateOf: z.object({ fileId: idSchema, fileName: z.string(), importedAt: isoTimeSchema }).nullable(),
  sha256: z.string(),
});
export type RepaymentPreview = z.infer<typeof repaymentPreviewSchema>;

export const repaymentImportSchema = z.object({
  /** The stored file (null on a dry run, or when no row could be used). */
  file: repaymentFileSchema.nullable(),
  ...counts,
  /** Cases the posted payments settled. */
  settled: z.number().int(),
  dryRun: z.boolean(),
});
export type RepaymentImport = z.infer<typeof repaymentImportSchema>;

const reportedSchema = z.object({
  id: idSchema,
  caseId: idSchema,
  caseNo: z.string(),
  paidOn: z.string(),
  amountFen: z.number().int(),
  fileId: idSchema,
  fileName: z.string(),
  row: z.number().int(),
  reference: z.string(),
  paymentId: idSchema.nullable(),
  reversed: z.boolean(),
});
const agencyPaymentSchema = z.object({ id: idSchema, caseId: idSchema, caseNo: z.string(), paidOn: z.string(), amountFen: z.number().int(), reference: z.string() });
const group = <T extends z.ZodType>(item: T) => z.object({ count: z.number().int(), totalFen: z.number().int(), items: z.array(item) });

export const reconciliationSchema = z.object({
  lenderId: idSchema,
  from: z.string(),
  to: z.string(),
  matched: group(reportedSchema),
  lenderOnly: group(reportedSchema),
  agencyOnly: group(agencyPaymentSchema),
  mismatches: z.object({
    count: z.number().int(),
    lenderFen: z.number().int(),
    agencyFen: z.number().int(),
    items: z.array(z.object({ caseId: idSchema, caseNo: z.string(), lender: reportedSchema, agency: agencyPaymentSchema, differenceFen: z.number().int() })),
  }),
});
export type Reconciliation = z.infer<typeof reconciliationSchema>;

export const commissionStatementSchema = z.object({
  lenderId: idSchema,
  lenderCode: z.string(),
  month: z.string(),
  tiers: z.array(z.object({ fromDay: z.number().int(), ratePpm: z.number().int() })),
  lines: z.array(
    z.object({
      paymentId: idSchema,
      caseId: idSchema,
      caseNo: z.string(),
      paidOn: z.string(),
      source: z.enum(['agency', 'lender_file']),
      daysOverdue: z.number().int().nullable(),
      ratePpm: z.number().int(),
      amountFen: z.number().int(),
      commissionFen: z.number().int(),
    }),
  ),
  payments: z.number().int(),
  recoveredFen: z.number().int(),
  commissionFen: z.number().int(),
  /** Payments of the month that were reversed (left out, with their reversals). */
  reversedLeftOut: z.number().int(),
});
export type CommissionStatement = z.infer<typeof commissionStatementSchema>;

const period = z
  .object({ lenderId: idSchema, from: dateSchema, to: dateSchema })
  .strict()
  .refine((p) => p.from <= p.to, 'from must not be after to')
  .refine((p) => Date.parse(p.to) - Date.parse(p.from) <= 366 * 86_400_000, 'a period of at most 366 days');

export const repaymentMethods = {
  'repayments.preview': method({
    access: 'payments.post',
    summary: "Preview a lender's repayment file: mapping, rows that would match or post, problem rows (nothing written)",
    input: z.object(importInput).strict(),
    output: repaymentPreviewSchema,
  }),
  'repayments.import': method({
    access: 'payments.post',
    summary: "Import a lender's repayment file in one transaction: match the agency's payments, post the others",
    input: z.object({ ...importInput, dryRun: z.boolean().default(false) }).strict(),
    output: repaymentImportSchema,
  }),
  'repayments.files': method({
    access: 'money.report',
    summary: 'Repayment files imported, newest first (optionally one lender)',
    input: z.object({ lenderId: idSchema.optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.object({ files: z.array(repaymentFileSchema) }),
  }),
  'repayments.file': method({
    access: 'money.report',
    summary: 'One imported repayment file: its rows with what each became, and the rejected rows with reasons',
    input: z.object({ fileId: idSchema }).strict(),
    output: z.object({ file: repaymentFileSchema, rows: z.array(repaymentOutcomeSchema), rejections: z.array(rejectionSchema) }),
  }),
  'repayments.reconcile': method({
    access: 'money.report',
    summary: 'Reconcile a lender for a period: matched, reported by the lender only, recorded by the agency only, mismatches',
    input: period,
    output: reconciliationSchema,
  }),
  'commission.statement': method({
    access: 'money.report',
    summary: "A lender's monthly commission statement: every payment net of reversals with its tier rate and commission",
    input: z.object({ lenderId: idSchema, month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month as YYYY-MM') }).strict(),
    output: commissionStatementSchema,
  }),
};
