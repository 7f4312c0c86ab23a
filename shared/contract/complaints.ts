// Complaints (投诉) and case flags. Anyone who works a case records a complaint on it; while it is not
// closed the case gets no outbound contact (rule complaint_open). Managers answer and close (clear) it.
// Managers, admins and auditors read every complaint; collectors those on their own cases.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema, isoTimeSchema } from './models.js';
import { CASE_FLAGS, COMPLAINT_CHANNELS, COMPLAINT_FROM, COMPLAINT_STATUSES } from '../domain/casework/complaints.js';

const text = (max: number) => z.string().trim().max(max);

export const complaintSchema = z.object({
  id: idSchema,
  caseId: idSchema,
  caseNo: z.string(),
  borrowerName: z.string(),
  lenderId: idSchema,
  lenderCode: z.string(),
  /** Who holds the case now. */
  collector: z.string().nullable(),
  channel: z.enum(COMPLAINT_CHANNELS),
  from: z.enum(COMPLAINT_FROM),
  /** The contact (1–6) who complained, when from is contact. */
  contactSlot: z.number().int().nullable(),
  what: z.string(),
  /** The collector complained about (username), if named. */
  against: z.string().nullable(),
  againstUserId: idSchema.nullable(),
  receivedAt: isoTimeSchema,
  dueAt: isoTimeSchema,
  status: z.enum(COMPLAINT_STATUSES),
  /** Still open when its answer was due. */
  overdue: z.boolean(),
  recordedBy: z.string(),
  recordedAt: isoTimeSchema,
  answer: z.string().nullable(),
  answeredBy: z.string().nullable(),
  answeredAt: isoTimeSchema.nullable(),
  closedBy: z.string().nullable(),
  closedAt: isoTimeSchema.nullable(),
  closeNote: z.string().nullable(),
});
export type Complaint = z.infer<typeof complaintSchema>;

export const caseFlagSchema = z.object({ flag: z.enum(CASE_FLAGS), setAt: isoTimeSchema, setBy: z.string(), note: z.string() });
export type CaseFlagEntry = z.infer<typeof caseFlagSchema>;

const caseStateSchema = z.object({ caseId: idSchema, flags: z.array(caseFlagSchema), complaints: z.array(complaintSchema), answerDays: z.number().int() });

export const complaintMethods = {
  'complaints.record': method({
    access: 'cases.work',
    summary: 'Record a complaint (投诉) on a case: outbound contact stops until a manager closes it; audited and in the case history',
    input: z
      .object({
        caseId: idSchema,
        channel: z.enum(COMPLAINT_CHANNELS),
        from: z.enum(COMPLAINT_FROM),
        contactSlot: z.number().int().min(1).max(6).optional(),
        what: text(4000).min(2),
        againstUserId: idSchema.optional(),
        /** When it reached the agency (default now; never in the future). */
        receivedAt: isoTimeSchema.optional(),
      })
      .strict(),
    output: complaintSchema,
  }),
  'complaints.answer': method({
    access: 'compliance.override',
    summary: 'Answer an open complaint (managers): the answer text, by whom and when; contact stays held until it is closed',
    input: z.object({ complaintId: idSchema, answer: text(4000).min(2) }).strict(),
    output: complaintSchema,
  }),
  'complaints.close': method({
    access: 'compliance.override',
    summary: 'Close (clear) an answered complaint (managers): outbound contact resumes when no other complaint holds the case',
    input: z.object({ complaintId: idSchema, note: text(1000).default('') }).strict(),
    output: complaintSchema,
  }),
  'complaints.list': method({
    access: 'cases.read',
    summary: 'Complaints, unfinished and soonest due first, overdue ones flagged (collectors: on their own cases)',
    input: z
      .object({
        status: z.array(z.enum(COMPLAINT_STATUSES)).max(COMPLAINT_STATUSES.length).optional(),
        lenderId: idSchema.optional(),
        /** Complaints on the cases this collector holds. */
        collectorId: idSchema.optional(),
        /** Complaints made against this collector. */
        againstUserId: idSchema.optional(),
        caseId: idSchema.optional(),
        overdueOnly: z.boolean().default(false),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
    output: z.object({ now: isoTimeSchema, complaints: z.array(complaintSchema) }),
  }),
  'complaints.caseState': method({
    access: 'cases.read',
    summary: "A case's flags and complaints (collectors: their own cases)",
    input: z.object({ caseId: idSchema }).strict(),
    output: caseStateSchema,
  }),
  'cases.setFlag': method({
    access: 'cases.work',
    summary: 'Set or clear a case flag (失联 lost contact, 高风险 high risk, 已故 deceased); audited and in the case history. 投诉 follows the complaints',
    input: z
      .object({ caseId: idSchema, flag: z.enum(CASE_FLAGS).exclude(['complaint']), on: z.boolean(), note: text(500).default('') })
      .strict(),
    output: caseStateSchema,
  }),
};
