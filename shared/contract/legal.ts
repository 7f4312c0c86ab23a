// Legal referral (法律诉讼): a manager refers a case to a law firm (the case moves to legal_referral through
// the stage machine), keeps its status, court, case number and next date up to date, and records what
// happens (filing, hearings, judgment, enforcement, costs, notes: append-only). Collectors read their own.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema, isoTimeSchema } from './models.js';
import { dateSchema } from './money.js';
import { LEGAL_EVENT_KINDS, LEGAL_STATUSES } from '../domain/money/legal.js';

const text = (max: number) => z.string().trim().max(max);

export const legalDocumentSchema = z.object({
  /** A file attached to the case (cases.attach), or null for a paper document named only. */
  fileId: idSchema.nullable(),
  name: z.string(),
});

export const legalReferralSchema = z.object({
  id: idSchema,
  caseId: idSchema,
  caseNo: z.string(),
  borrowerName: z.string(),
  lenderName: z.string(),
  collector: z.string().nullable(),
  stage: z.string(),
  lawFirm: z.string(),
  lawyer: z.string(),
  referredOn: z.string(),
  documents: z.array(legalDocumentSchema),
  court: z.string(),
  courtCaseNo: z.string(),
  status: z.enum(LEGAL_STATUSES),
  nextDate: z.string().nullable(),
  nextWhat: z.string().nullable(),
  /** The next date has passed and nobody brought the referral up to date. */
  overdue: z.boolean(),
  /** Legal costs recorded so far, fen. */
  costFen: z.number().int(),
  events: z.number().int(),
  createdBy: z.string(),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export type LegalReferral = z.infer<typeof legalReferralSchema>;

export const legalEventSchema = z.object({
  id: idSchema,
  referralId: idSchema,
  kind: z.enum(LEGAL_EVENT_KINDS),
  onDate: z.string(),
  note: z.string(),
  amountFen: z.number().int().nullable(),
  enteredBy: z.string(),
  enteredAt: isoTimeSchema,
});
export type LegalEvent = z.infer<typeof legalEventSchema>;

const detailSchema = z.object({ referral: legalReferralSchema, events: z.array(legalEventSchema) });

export const legalMethods = {
  'legal.refer': method({
    access: 'legal.manage',
    summary: 'Refer a case to a law firm (法律诉讼): the case moves to legal referral, with the reason on record',
    input: z
      .object({
        caseId: idSchema,
        lawFirm: text(200).min(2),
        lawyer: text(100).min(1),
        referredOn: dateSchema,
        /** Case files sent to the firm (cases.attach). */
        fileIds: z.array(idSchema).max(50).default([]),
        /** Documents sent on paper, by name (e.g. 借款合同原件). */
        documentNames: z.array(text(200).min(1)).max(50).default([]),
        court: text(200).default(''),
        courtCaseNo: text(100).default(''),
        nextDate: dateSchema.optional(),
        nextWhat: text(200).optional(),
        /** Why the case goes to court (the stage machine requires it). */
        reason: text(500),
      })
      .strict(),
    output: detailSchema,
  }),
  'legal.update': method({
    access: 'legal.manage',
    summary: "Update a referral's status, court, court case number or next date (each change audited and in the case history)",
    input: z
      .object({
        referralId: idSchema,
        status: z.enum(LEGAL_STATUSES).optional(),
        lawFirm: text(200).min(2).optional(),
        lawyer: text(100).min(1).optional(),
        court: text(200).optional(),
        courtCaseNo: text(100).optional(),
        /** null clears the next date. */
        nextDate: dateSchema.nullable().optional(),
        nextWhat: text(200).nullable().optional(),
        note: text(500).default(''),
      })
      .strict(),
    output: detailSchema,
  }),
  'legal.addEvent': method({
    access: 'legal.manage',
    summary: 'Record what happened in a referral: filing, hearing (with its date), judgment (its text), enforcement, cost (fen) or a note; never changed afterwards',
    input: z
      .object({
        referralId: idSchema,
        kind: z.enum(LEGAL_EVENT_KINDS),
        onDate: dateSchema,
        note: text(4000).default(''),
        /** A cost's amount, fen (only for costs). */
        amountFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
      })
      .strict(),
    output: detailSchema,
  }),
  'legal.get': method({
    access: 'cases.read',
    summary: 'A referral with its events, oldest first (collectors: their own cases)',
    input: z.object({ referralId: idSchema }).strict(),
    output: detailSchema,
  }),
  'legal.list': method({
    access: 'cases.read',
    summary: 'Legal cases with their next dates, soonest first, overdue ones flagged (collectors: their own)',
    input: z
      .object({
        caseId: idSchema.optional(),
        lenderId: idSchema.optional(),
        status: z.array(z.enum(LEGAL_STATUSES)).max(LEGAL_STATUSES.length).optional(),
        /** Only referrals whose next date has passed. */
        overdueOnly: z.boolean().default(false),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
    output: z.object({ today: z.string(), referrals: z.array(legalReferralSchema) }),
  }),
};
