// Privacy (PIPL): one masked value shown in full for a reason (audited), the access report, per-lender
// retention and the erasure of finished cases' personal data with a signed certificate for the lender.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema } from './models.js';
import { MAX_RETENTION_DAYS, UNMASK_FIELD_PATTERN, UNMASK_REASONS } from '../domain/privacy.js';

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD');
const days = z.number().int().min(0).max(MAX_RETENTION_DAYS);

export const retentionSchema = z.object({ afterReturnedDays: days, afterSettledDays: days });

export const erasureRunSchema = z.object({
  id: idSchema,
  lenderCode: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  by: z.string(),
  cases: z.number().int().nonnegative(),
  path: z.string().nullable(),
  fingerprint: z.string().nullable(),
  manifestSha256: z.string().nullable(),
});
export type ErasureRun = z.infer<typeof erasureRunSchema>;

export const privacyMethods = {
  'cases.unmask': method({
    access: 'cases.read',
    summary: 'One masked value of one open case in full, for a reason (admins, managers; collectors: phones of their own cases; never auditors); audited',
    input: z
      .object({
        caseId: idSchema,
        field: z.string().regex(UNMASK_FIELD_PATTERN, 'a maskable field'),
        reason: z.enum(UNMASK_REASONS),
        note: z.string().trim().max(500).default(''),
      })
      .strict()
      .refine((x) => x.reason !== 'other' || x.note.length >= 2, { message: 'Say why (reason "other" needs the text).', path: ['note'] }),
    output: z.object({ field: z.string(), value: z.string(), showSeconds: z.number().int().positive() }),
  }),
  'privacy.accessReport': method({
    access: 'privacy.report',
    summary: 'Cases viewed by users who did not hold them, and unmasking by user, for a date range (Asia/Shanghai days)',
    input: z.object({ from: dateSchema, to: dateSchema, limit: z.number().int().min(1).max(10_000).default(2_000) }).strict(),
    output: z.object({
      views: z.array(z.object({ at: z.string(), user: z.string(), role: z.string(), caseId: z.number().int(), caseNo: z.string(), holder: z.string().nullable() })),
      unmasks: z.array(z.object({ at: z.string(), user: z.string(), role: z.string(), caseId: z.number().int(), caseNo: z.string(), field: z.string(), reason: z.string(), note: z.string() })),
      byUser: z.array(z.object({ user: z.string(), views: z.number().int(), unmasks: z.number().int() })),
      truncated: z.boolean(),
    }),
  }),
  'privacy.retention': method({
    access: 'lenders.read',
    summary: "Each lender's retention: days after return / settlement before personal data is erased",
    input: z.object({}).strict(),
    output: z.object({ lenders: z.array(z.object({ lenderId: idSchema, code: z.string(), name: z.string(), retention: retentionSchema })), defaults: retentionSchema }),
  }),
  'privacy.setRetention': method({
    access: 'lenders.manage',
    summary: "Set a lender's retention (days after return / settlement); audited",
    input: z.object({ lenderId: idSchema, retention: retentionSchema }).strict(),
    output: retentionSchema,
  }),
  'privacy.due': method({
    access: 'privacy.erase',
    summary: 'Finished cases whose personal data is due for erasure (as of today), by lender',
    input: z.object({ lenderId: idSchema.optional(), limit: z.number().int().min(1).max(5_000).default(500) }).strict(),
    output: z.object({
      total: z.number().int(),
      rows: z.array(z.object({ id: idSchema, lenderCode: z.string(), caseNo: z.string(), status: z.string(), endedOn: z.string(), dueOn: z.string() })),
    }),
  }),
  'privacy.erase': method({
    access: 'privacy.erase',
    summary: "Erase the personal data of one lender's due cases (or the ones picked, if due), reclaim the space, sign an erasure certificate",
    input: z.object({ lenderId: idSchema, caseIds: z.array(idSchema).max(100_000).optional() }).strict(),
    /** reclaimed false: VACUUM or the WAL truncation could not run now (another connection busy); the next run does it. */
    output: z.object({ run: erasureRunSchema, erased: z.number().int(), vacuumMs: z.number().int(), freedPages: z.number().int(), reclaimed: z.boolean() }),
  }),
  'privacy.erasures': method({
    access: 'privacy.erase',
    summary: 'Erasure runs with their certificates',
    input: z.object({}).strict(),
    output: z.object({ runs: z.array(erasureRunSchema) }),
  }),
  'privacy.certificate': method({
    access: 'privacy.erase',
    summary: "An erasure certificate's signed folder as a .zip (base64); audited",
    input: z.object({ runId: idSchema }).strict(),
    output: z.object({ fileName: z.string(), zipBase64: z.string() }),
  }),
};
