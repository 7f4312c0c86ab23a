// Casework: moving a case through its stages, the contact log (催记) with its compliance guardrails,
// and the manager's recorded overrides.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema, isoTimeSchema } from './models.js';
import { fileRefSchema } from './placements.js';
import { STAGES, PAUSE_REASONS } from '../domain/casework/stages.js';
import { CHANNELS, GUARDRAILS } from '../domain/casework/guardrails.js';
import { AUDIENCES, TEMPLATE_KINDS, TEMPLATE_LANGUAGES } from '../domain/casework/templates.js';
import { ESCALATION_ACTIONS, ESCALATION_BASES, ESCALATION_STAGES } from '../domain/casework/escalation.js';
import { outcomeCodeSchema, outcomeMethods } from './outcomes.js';

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD');
const outcomeSchema = outcomeCodeSchema;

export const attemptSchema = z.object({
  id: idSchema,
  caseId: idSchema,
  loggedAt: isoTimeSchema,
  startedAt: isoTimeSchema,
  /** Who made the attempt; `enteredBy` wrote the entry (differs for a manager's correction). */
  collector: z.string(),
  enteredBy: z.string(),
  channel: z.enum(CHANNELS),
  party: z.enum(['borrower', 'contact']),
  contactSlot: z.number().int().nullable(),
  relation: z.string().nullable(),
  /** Masked (138****5678). */
  number: z.string().nullable(),
  direction: z.enum(['outbound', 'inbound']),
  durationSec: z.number().int(),
  outcome: z.string(),
  recordingRef: z.string().nullable(),
  note: z.string(),
  nextFollowUpAt: isoTimeSchema.nullable(),
  /** `repeat`: the same amount again every `everyMonths` months, `count` times in all. */
  promise: z.object({ amountFen: z.number().int(), date: z.string(), repeat: z.object({ count: z.number().int(), everyMonths: z.number().int() }).nullable() }).nullable(),
  companions: z.array(z.string()),
  overrideRule: z.string().nullable(),
  /** Logged after the agency's window by a manager: why (the entry time is loggedAt). */
  lateReason: z.string().nullable(),
  /** This entry corrects an earlier one (which stays as it was). */
  correctsId: idSchema.nullable(),
  /** A later entry corrects this one. */
  correctedById: idSchema.nullable(),
});
export type Attempt = z.infer<typeof attemptSchema>;

const violationSchema = z.object({ rule: z.enum(GUARDRAILS), message: z.string(), overridable: z.boolean() });

const intent = {
  caseId: idSchema,
  channel: z.enum(CHANNELS),
  party: z.enum(['borrower', 'contact']).default('borrower'),
  /** Which contact (1–6) when party is 'contact'; the number comes from the case, never typed in. */
  contactSlot: z.number().int().min(1).max(6).optional(),
  /** When the attempt happened (default: now): not before the case came or the caller held it; within the window (settings). */
  startedAt: isoTimeSchema.optional(),
  /** Inbound: the borrower or a contact called or came in. Always recordable: the contact rules govern outreach. */
  direction: z.enum(['outbound', 'inbound']).default('outbound'),
  /** User ids of the other collectors on a field visit. */
  companions: z.array(idSchema).max(5).default([]),
};

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time as HH:MM');
export const limitsSchema = z.object({
  quietFrom: hhmm,
  quietUntil: hhmm,
  timeZone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone, e.g. Asia/Shanghai'),
  maxConnectedCallsPerDay: z.number().int().min(0).max(50),
  maxUnansweredPerNumberPerDay: z.number().int().min(0).max(50),
  failedAttemptsBeforeContacts: z.number().int().min(1).max(50),
});

export const complianceRowSchema = z.object({
  collector: z.string(),
  attempts: z.number().int(),
  connectedCalls: z.number().int(),
  /** Attempts the guardrails refused, by rule. */
  refused: z.record(z.string(), z.number().int()),
  /** Attempts let through by a manager's override, by rule. */
  overridden: z.record(z.string(), z.number().int()),
  /** Borrower-days on which this collector's calls reached the connected-call limit. */
  capReachedDays: z.number().int(),
  /** Entries made more than the window after the time they claim (managers, with a reason). */
  lateEntries: z.number().int(),
  /** Outbound entries claimed inside quiet hours, or entered inside them with a claimed time outside. */
  quietHourClaims: z.number().int(),
});

/** One entry behind a row's lateEntries or quietHourClaims. */
export const flaggedAttemptSchema = z.object({
  kind: z.enum(['late_entry', 'claimed_in_quiet', 'entered_in_quiet']),
  collector: z.string(),
  enteredBy: z.string(),
  attemptId: idSchema,
  caseId: idSchema,
  caseNo: z.string(),
  channel: z.string(),
  claimedAt: isoTimeSchema,
  enteredAt: isoTimeSchema,
  lateMinutes: z.number().int(),
  lateReason: z.string().nullable(),
});

export const messageTemplateSchema = z.object({
  id: idSchema,
  name: z.string(),
  kind: z.enum(TEMPLATE_KINDS),
  audience: z.enum(AUDIENCES),
  language: z.enum(TEMPLATE_LANGUAGES),
  body: z.string(),
  updatedAt: isoTimeSchema,
});
export type MessageTemplate = z.infer<typeof messageTemplateSchema>;

export const escalationSchema = z
  .array(z.object({ fromDay: z.number().int().min(0).max(3650), action: z.enum(ESCALATION_ACTIONS), stage: z.enum(ESCALATION_STAGES) }).strict())
  .max(20)
  .refine((steps) => steps.every((s, i) => i === 0 || s.fromDay > steps[i - 1]!.fromDay), 'steps in order of their day, each day once');

/** basis: days overdue (the loan's age) or days since placement (the agency's own clock) — per lender. */
const escalationOutput = z.object({ steps: escalationSchema, isDefault: z.boolean(), basis: z.enum(ESCALATION_BASES) });

export const caseFileSchema = z.object({
  id: idSchema,
  caseId: idSchema,
  name: z.string(),
  mime: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  note: z.string(),
  uploadedBy: z.string(),
  uploadedAt: isoTimeSchema,
});

/** Largest file a case takes (proofs and letters, not archives). */
export const MAX_CASE_FILE_BYTES = 20 * 1024 * 1024;

export const caseworkMethods = {
  ...outcomeMethods,
  'cases.attach': method({
    access: 'cases.work',
    summary: 'Attach a file to a case (kept in the encrypted store, never deleted)',
    input: z.object({ caseId: idSchema, file: fileRefSchema, note: z.string().trim().max(500).default('') }).strict(),
    output: caseFileSchema,
  }),
  'cases.files': method({
    access: 'cases.read',
    summary: "A case's attached files",
    input: z.object({ caseId: idSchema }).strict(),
    output: z.object({ files: z.array(caseFileSchema) }),
  }),
  'cases.fileContent': method({
    access: 'cases.read',
    summary: 'One attached file, as base64 (the download is audited)',
    input: z.object({ fileId: idSchema }).strict(),
    output: z.object({ name: z.string(), mime: z.string(), base64: z.string() }),
  }),
  'escalation.get': method({
    access: 'cases.read',
    summary: "A lender's escalation schedule (its own, or the default) and what its days count",
    input: z.object({ lenderId: idSchema }).strict(),
    output: escalationOutput,
  }),
  'escalation.set': method({
    access: 'lenders.manage',
    summary: "Set a lender's escalation schedule (an empty list restores the default steps) and what its days count (kept when not given)",
    input: z.object({ lenderId: idSchema, steps: escalationSchema, basis: z.enum(ESCALATION_BASES).optional() }).strict(),
    output: escalationOutput,
  }),
  'messageTemplates.list': method({
    access: 'cases.read',
    summary: 'SMS and letter templates',
    input: z.object({}).strict(),
    output: z.object({ templates: z.array(messageTemplateSchema), fields: z.array(z.string()) }),
  }),
  'messageTemplates.save': method({
    access: 'lenders.manage',
    summary: 'Create or change a template (no full ID numbers; nothing about the debt to third parties)',
    input: z
      .object({
        id: idSchema.optional(),
        name: z.string().trim().min(1).max(80),
        kind: z.enum(TEMPLATE_KINDS),
        audience: z.enum(AUDIENCES),
        language: z.enum(TEMPLATE_LANGUAGES),
        body: z.string().trim().min(1).max(5000),
      })
      .strict(),
    output: messageTemplateSchema,
  }),
  'messageTemplates.delete': method({
    access: 'lenders.manage',
    summary: 'Delete a template',
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ deleted: z.boolean() }),
  }),
  'messageTemplates.render': method({
    access: 'cases.work',
    summary: 'Fill a template from a case (and a contact, for third-party templates), for preview, sending or printing',
    input: z
      .object({ templateId: idSchema, caseId: idSchema, contactSlot: z.number().int().min(1).max(6).optional(), deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() })
      .strict(),
    output: z.object({ text: z.string(), kind: z.enum(TEMPLATE_KINDS), audience: z.enum(AUDIENCES), language: z.enum(TEMPLATE_LANGUAGES) }),
  }),
  'messageTemplates.file': method({
    access: 'cases.work',
    summary: 'File a rendered letter with its case: rendered again, checked against the text previewed, kept as an HTML case file with its SHA-256',
    input: z
      .object({
        templateId: idSchema,
        caseId: idSchema,
        contactSlot: z.number().int().min(1).max(6).optional(),
        deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
        /** The text the user saw in the preview: filing is refused if the letter would now differ. */
        text: z.string().min(1).max(20_000),
      })
      .strict(),
    output: caseFileSchema,
  }),
  'compliance.report': method({
    access: 'compliance.report',
    summary: 'Per collector for a period: attempts, refusals and overrides by rule, days at the call limit, late entries and quiet-hour claims',
    input: z.object({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict(),
    output: z.object({ from: z.string(), to: z.string(), rows: z.array(complianceRowSchema), flagged: z.array(flaggedAttemptSchema) }),
  }),
  'compliance.limits': method({
    access: 'cases.read',
    summary: "A lender's guardrail limits (its own settings over the defaults)",
    input: z.object({ lenderId: idSchema }).strict(),
    output: limitsSchema,
  }),
  'compliance.setLimits': method({
    access: 'lenders.manage',
    summary: "Change a lender's guardrail limits (quiet hours, call caps, third-party threshold)",
    input: z.object({ lenderId: idSchema, limits: limitsSchema.partial().strict() }).strict(),
    output: limitsSchema,
  }),
  'cases.move': method({
    access: 'cases.work',
    summary: "Move a case to another stage (the state machine decides what is allowed, for whom, and whether a reason is needed)",
    input: z
      .object({ caseId: idSchema, to: z.enum(STAGES), reason: z.string().trim().max(500).optional(), pauseReason: z.enum(PAUSE_REASONS).optional() })
      .strict(),
    output: z.object({ caseId: idSchema, from: z.string(), to: z.string(), nextStages: z.array(z.string()) }),
  }),
  'contacts.check': method({
    access: 'cases.work',
    summary: 'Which guardrails an attempt would break now (before dialling)',
    input: z.object(intent).strict(),
    output: z.object({ violations: z.array(violationSchema), localTime: z.string() }),
  }),
  'contacts.log': method({
    access: 'cases.work',
    summary: 'Log a contact attempt (催记); refused with COMPLIANCE when a guardrail forbids it',
    input: z
      .object({
        ...intent,
        /** Managers and admins: why an attempt older than the window is entered now (required then). */
        lateReason: z.string().trim().max(500).optional(),
        durationSec: z.number().int().min(0).max(86_400).default(0),
        outcome: outcomeSchema,
        recordingRef: z.string().trim().max(300).optional(),
        note: z.string().trim().max(2000).default(''),
        nextFollowUpAt: isoTimeSchema.optional(),
        promise: z
          .object({ amountFen: z.number().int().positive(), date: dateSchema, repeat: z.object({ count: z.number().int().min(2).max(36), everyMonths: z.number().int().min(1).max(12).default(1) }).strict().optional() })
          .strict()
          .optional(),
        /** A manager's override for this case and rule (compliance.override); without it, an open one for the case is used. */
        overrideId: idSchema.optional(),
      })
      .strict(),
    output: attemptSchema,
  }),
  'contacts.correct': method({
    access: 'cases.work',
    summary: 'Correct a logged attempt by a new entry that references it (the original is never changed)',
    input: z.object({ attemptId: idSchema, outcome: outcomeSchema.optional(), note: z.string().trim().min(1).max(2000) }).strict(),
    output: attemptSchema,
  }),
  'contacts.list': method({
    access: 'cases.read',
    summary: "A case's contact log, newest first (collectors: their own cases)",
    input: z.object({ caseId: idSchema }).strict(),
    output: z.object({ attempts: z.array(attemptSchema), outcomes: z.array(z.string()) }),
  }),
  'compliance.override': method({
    access: 'compliance.override',
    summary: 'Let one attempt on a case pass one guardrail, with a reason (used once, expires)',
    input: z
      .object({ caseId: idSchema, rule: z.enum(GUARDRAILS), reason: z.string().trim().min(4).max(500), validMinutes: z.number().int().min(5).max(24 * 60).default(60) })
      .strict(),
    output: z.object({ overrideId: idSchema, caseId: idSchema, rule: z.string(), expiresAt: isoTimeSchema }),
  }),
};
