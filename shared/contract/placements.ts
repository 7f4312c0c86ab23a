// Lenders, placement imports (委案导入), batches and the case list.
import { CASE_FLAGS } from '../domain/casework/complaints.js';
import { z } from 'zod';
import { method } from './method.js';
import { idSchema, isoTimeSchema } from './models.js';
import { termsSchema } from './money.js';
import { AMOUNT_BASES, AMOUNT_MISMATCH_POLICIES } from '../domain/placement/amounts.js';

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD');
const lenderCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, 'lender code: 1–32 of A-Z, 0-9, _ -');

export const REJECT_POLICIES = ['skip_rows', 'block_file'] as const;

export const lenderSchema = z.object({
  id: idSchema,
  code: z.string(),
  name: z.string(),
  contact: z.string(),
  rejectPolicy: z.enum(REJECT_POLICIES),
  /** A row whose total disagrees with its components: keep the total, the difference is principal; or refuse the row. */
  amountMismatchPolicy: z.enum(AMOUNT_MISMATCH_POLICIES),
  /** Someone entered the lender's contract terms; false: "terms not set" (未设置合同条款). */
  termsSet: z.boolean(),
  caseCount: z.number().int().nonnegative(),
  createdAt: isoTimeSchema,
});
export type Lender = z.infer<typeof lenderSchema>;

/** Where the file to import is: a local path (desktop, CLI) or an upload staged by the web host. */
export const fileRefSchema = z.union([
  z.object({ path: z.string().min(1).max(4096) }).strict(),
  z.object({ uploadId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/), name: z.string().max(255) }).strict(),
]);
export type FileRef = z.infer<typeof fileRefSchema>;

/** field key → the header text of the column it comes from. */
export const mappingSchema = z.record(z.string().max(64), z.string().max(200));

export const rejectionSchema = z.object({ row: z.number().int(), column: z.string(), reason: z.string() });

/** The dates a file's 委案日期 / 委案到期日 column gives. */
const dateSummarySchema = z.object({ first: z.string(), last: z.string(), common: z.string(), rows: z.number().int(), distinct: z.number().int() });
export type Rejection = z.infer<typeof rejectionSchema>;

const importOptions = {
  lenderId: idSchema,
  file: fileRefSchema,
  sheet: z.string().max(100).optional(),
  /** A saved template to start from; explicit `mapping` entries override it. */
  templateName: z.string().trim().max(60).optional(),
  mapping: mappingSchema.optional(),
};

export const previewSchema = z.object({
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  sheets: z.array(z.string()),
  sheet: z.string().nullable(),
  headerRow: z.number().int(),
  headers: z.array(z.string()),
  /** field key → column index (null = not mapped). */
  mapping: z.record(z.string(), z.number().int().nullable()),
  missingRequired: z.array(z.string()),
  templateUsed: z.string().nullable(),
  sample: z.array(z.object({ row: z.number().int(), values: z.record(z.string(), z.string()) })),
  totalRows: z.number().int(),
  validRows: z.number().int(),
  rejectedRows: z.number().int(),
  /** Rows that will update cases this lender already placed. */
  existingCases: z.number().int(),
  rejections: z.array(rejectionSchema),
  duplicateOf: z.object({ batchId: idSchema, batchNo: z.string() }).nullable(),
  sha256: z.string(),
  /** How the total of the valid rows was formed ("= 逾期本金 + 逾期利息 + 罚息"), per basis with its rows. */
  amountBasis: z.array(z.object({ basis: z.enum(AMOUNT_BASES), formula: z.string(), rows: z.number().int() })),
  /** Rows whose total disagrees with its components, with both figures and what the lender's policy does. */
  amountMismatches: z.array(z.object({ row: z.number().int(), totalFen: z.number().int(), componentsFen: z.number().int(), action: z.enum(['principal', 'reject']) })),
  amountMismatchCount: z.number().int(),
  amountPolicy: z.enum(AMOUNT_MISMATCH_POLICIES),
  /** The file's own placement dates (委案日期) and term ends (委案到期日), when it has the columns. */
  fileDates: z.object({ placement: dateSummarySchema.nullable(), termEnd: dateSummarySchema.nullable() }),
});
export type ImportPreview = z.infer<typeof previewSchema>;

export const batchSchema = z.object({
  id: idSchema,
  lenderId: idSchema,
  lenderCode: z.string(),
  batchNo: z.string(),
  placementDate: z.string(),
  termEndDate: z.string().nullable(),
  sourceName: z.string(),
  sourceSha256: z.string(),
  rowsTotal: z.number().int(),
  rowsImported: z.number().int(),
  rowsUpdated: z.number().int(),
  rowsRejected: z.number().int(),
  amountFen: z.number().int(),
  importedAt: isoTimeSchema,
  importedBy: z.string(),
});
export type Batch = z.infer<typeof batchSchema>;

export const importResultSchema = z.object({
  batch: batchSchema.nullable(),
  imported: z.number().int(),
  updated: z.number().int(),
  rejected: z.number().int(),
  rejections: z.array(rejectionSchema),
  dryRun: z.boolean(),
  /** Rows imported whose total disagreed with their components (the difference went to principal). */
  amountAdjusted: z.number().int().optional(),
  /** What the lender's automatic assignment rules did with the new batch. */
  autoAssigned: z.array(z.object({ rule: z.string(), assigned: z.number().int(), error: z.string().nullable() })).optional(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const jobSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  phase: z.string(),
  rowsRead: z.number().int(),
  bytesRead: z.number().int(),
  totalBytes: z.number().int(),
  result: importResultSchema.nullable(),
  /** key/params as in the error envelope (shared/contract/messages.ts), for the UI's language. */
  error: z.object({ code: z.string(), message: z.string(), key: z.string().optional(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() }).nullable(),
});
export type ImportJob = z.infer<typeof jobSchema>;

export const caseRowSchema = z.object({
  id: idSchema,
  lenderCode: z.string(),
  caseNo: z.string(),
  batchNo: z.string(),
  borrowerName: z.string(),
  idNumber: z.string(),
  mobile: z.string(),
  province: z.string().nullable(),
  /** The overdue amount column of the placement file (逾期金额). */
  overdueAmountFen: z.number().int(),
  /** The placed amount (委案金额: the file's placement amount, else its overdue amount); never the balance. */
  placedFen: z.number().int(),
  /** What is owed today, from the one balance function (core/money/ledger.ts balanceFrom). */
  outstandingFen: z.number().int(),
  /** Days overdue and bucket as of today (a finished case: as of the day it finished; shared/domain/placement/aging.ts). */
  daysOverdue: z.number().int().nullable(),
  bucket: z.string().nullable(),
  /** What the placement file gave; the list's bucket filter and days sort use these. */
  daysAtPlacement: z.number().int().nullable(),
  bucketAtPlacement: z.string().nullable(),
  stage: z.string(),
  status: z.string(),
  /** The holder's username and display name (null: in the pool). */
  collector: z.string().nullable(),
  collectorName: z.string().nullable(),
  /** Other open cases with the same ID number (linked across lenders, never merged). */
  linkedCases: z.number().int(),
  /** The case's flags (shared/domain/casework/complaints.ts). */
  flags: z.array(z.enum(CASE_FLAGS)).optional(),
  /**
   * What a search by phone or ID tail matched on this case (the borrower's mobile, ID number, or contact
   * `slot` with its name and relation: "联系人1 张三(父亲)"); absent for other searches.
   */
  matched: z
    .array(z.object({ field: z.enum(['mobile', 'idNumber', 'contact']), slot: z.number().int().nullable(), name: z.string().nullable(), relation: z.string().nullable() }))
    .optional(),
});
export type CaseRow = z.infer<typeof caseRowSchema>;

/** outstandingFen sorts by the outstanding of each case's last money change (what amount filters use too). */
export const CASE_SORTS = ['outstandingFen', 'daysOverdue', 'caseNo', 'borrowerName', 'id'] as const;

export const placementMethods = {
  'lenders.list': method({
    access: 'lenders.read',
    summary: 'Lenders (委托方) with their case counts',
    input: z.object({}).strict(),
    output: z.object({ lenders: z.array(lenderSchema) }),
  }),
  'lenders.create': method({
    access: 'lenders.manage',
    summary: 'Register a lender',
    input: z
      .object({
        code: lenderCode,
        name: z.string().trim().min(1).max(120),
        contact: z.string().trim().max(200).default(''),
        rejectPolicy: z.enum(REJECT_POLICIES).default('skip_rows'),
        amountMismatchPolicy: z.enum(AMOUNT_MISMATCH_POLICIES).default('principal_difference'),
        /** The contract's terms (penalty, fees, caps, allocation order); without them nothing accrues. */
        terms: termsSchema.optional(),
      })
      .strict(),
    output: lenderSchema,
  }),
  'lenders.update': method({
    access: 'lenders.manage',
    summary: "Change a lender's name, contact or import policy",
    input: z
      .object({
        id: idSchema,
        name: z.string().trim().min(1).max(120).optional(),
        contact: z.string().trim().max(200).optional(),
        rejectPolicy: z.enum(REJECT_POLICIES).optional(),
        amountMismatchPolicy: z.enum(AMOUNT_MISMATCH_POLICIES).optional(),
      })
      .strict(),
    output: lenderSchema,
  }),
  'templates.list': method({
    access: 'lenders.read',
    summary: "A lender's saved import mappings",
    input: z.object({ lenderId: idSchema }).strict(),
    output: z.object({ templates: z.array(z.object({ name: z.string(), mapping: mappingSchema, updatedAt: isoTimeSchema })) }),
  }),
  'templates.save': method({
    access: 'import.run',
    summary: "Save (or replace) one of a lender's import mappings: field key → the header text of its column",
    input: z.object({ lenderId: idSchema, name: z.string().trim().min(1).max(60), mapping: mappingSchema }).strict(),
    output: z.object({ name: z.string(), mapping: mappingSchema, updatedAt: isoTimeSchema }),
  }),
  'templates.delete': method({
    access: 'import.run',
    summary: "Delete one of a lender's saved import mappings",
    input: z.object({ lenderId: idSchema, name: z.string().trim().min(1).max(60) }).strict(),
    output: z.object({ deleted: z.boolean() }),
  }),
  'import.preview': method({
    access: 'import.run',
    summary: 'Read a placement file: encoding, header row, proposed mapping, every problem row',
    input: z.object(importOptions).strict(),
    output: previewSchema,
  }),
  'import.start': method({
    access: 'import.run',
    summary: 'Import a placement file as one batch, all or nothing (runs in the background)',
    input: z
      .object({
        ...importOptions,
        batchNo: z.string().trim().min(1).max(60).optional(),
        placementDate: dateSchema.optional(),
        termEndDate: dateSchema.optional(),
        saveTemplateAs: z.string().trim().min(1).max(60).optional(),
        dryRun: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ jobId: z.string() }),
  }),
  'import.status': method({
    access: 'import.run',
    summary: 'Progress and result of an import',
    input: z.object({ jobId: z.string().max(64) }).strict(),
    output: jobSchema,
  }),
  'import.cancel': method({
    access: 'import.run',
    summary: 'Cancel a running import (nothing of it is kept)',
    input: z.object({ jobId: z.string().max(64) }).strict(),
    output: jobSchema,
  }),
  'batches.list': method({
    access: 'lenders.read',
    summary: 'Placement batches with their counts',
    input: z.object({ lenderId: idSchema.optional() }).strict(),
    output: z.object({ batches: z.array(batchSchema) }),
  }),
  'batches.rejections': method({
    access: 'lenders.read',
    summary: 'The rows a batch import rejected, with reasons and the original values',
    input: z.object({ batchId: idSchema }).strict(),
    output: z.object({ rows: z.array(rejectionSchema.extend({ raw: z.array(z.string()) })), headers: z.array(z.string()) }),
  }),
  'cases.list': method({
    access: 'cases.read',
    summary: 'Cases by lender, batch, bucket, amount; search by name, phone, ID or case number (masked)',
    input: z
      .object({
        lenderId: idSchema.optional(),
        batchId: idSchema.optional(),
        bucket: z.string().max(10).optional(),
        minAmountFen: z.number().int().nonnegative().optional(),
        maxAmountFen: z.number().int().nonnegative().optional(),
        /** The cases of one collector (a collector always gets only their own). */
        collectorId: idSchema.optional(),
        /** Only cases no collector holds (the pool). */
        unassigned: z.boolean().optional(),
        stage: z.string().max(20).optional(),
        /** Cases whose last logged outcome is this code. */
        outcome: z.string().max(40).optional(),
        /** Follow-up due on or before this date / promise to pay due on or before this date. */
        followUpBy: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
        promiseBy: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
        /** Cases carrying this flag (失联, 投诉, 高风险, 已故). */
        flag: z.enum(CASE_FLAGS).optional(),
        /** 委案到期日 (the case's own, else its batch's), open cases only: ending from today to today + N days, or 'ended' (before today). */
        termEnd: z.union([z.literal('ended'), z.number().int().min(0).max(366)]).optional(),
        q: z.string().trim().max(60).optional(),
        sort: z.enum(CASE_SORTS).default('outstandingFen'),
        desc: z.boolean().default(true),
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    output: z.object({ total: z.number().int(), rows: z.array(caseRowSchema) }),
  }),
};
