// Records that travel through the API. Never a password, key or hash here.
import { z } from 'zod';
import { ROLES, PERMISSIONS } from '../domain/roles.js';

export const idSchema = z.number().int().positive();
export const isoTimeSchema = z.string(); // ISO 8601, UTC

export const userSchema = z.object({
  id: idSchema,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  teamId: idSchema.nullable(),
  teamName: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  createdAt: isoTimeSchema,
});
export type User = z.infer<typeof userSchema>;

export const teamSchema = z.object({
  id: idSchema,
  name: z.string(),
  memberCount: z.number().int().nonnegative(),
  /** Buckets the team owns (the by-bucket assignment rule). */
  buckets: z.array(z.string()),
  createdAt: isoTimeSchema,
});
export type Team = z.infer<typeof teamSchema>;

export const sessionSchema = z.object({
  token: z.string(),
  user: userSchema,
  permissions: z.array(z.enum(PERMISSIONS)),
  idleLockMinutes: z.number().int().positive(),
});
export type Session = z.infer<typeof sessionSchema>;

export const HOST_KINDS = ['desktop', 'web', 'server', 'cli', 'test'] as const;
export type HostKind = (typeof HOST_KINDS)[number];

export const auditEntrySchema = z.object({
  seq: idSchema,
  at: isoTimeSchema,
  actorId: idSchema.nullable(),
  actor: z.string(),
  host: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  hash: z.string(),
  /** The erasure run that cleared this entry's free text (reasons, notes, names: db/repos/audit.ts); absent while it is there. */
  textErasedBy: z.number().int().optional(),
  /** For an entry about one case (entity 'case' or a caseId in its detail): its case number and lender, read at list time. */
  caseRef: z.object({ caseNo: z.string(), lenderCode: z.string() }).optional(),
  /** For an entry about a lender: its code and name, read at list time. */
  lenderRef: z.object({ code: z.string(), name: z.string() }).optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int().nonnegative(),
  headHash: z.string(),
  /** The first entry whose hash or link does not match, and why. */
  brokenAt: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
  /** Entries whose free text an erasure cleared (the chain still verifies), per erasure run and its certificate. */
  textErased: z.array(z.object({ runId: z.number().int(), entries: z.number().int().nonnegative(), manifestSha256: z.string().nullable() })).optional(),
});
export type AuditVerify = z.infer<typeof auditVerifySchema>;

export const settingsSchema = z.object({
  idleLockMinutes: z.number().int().min(1).max(24 * 60),
  /** What templates give the borrower ({{agencyHotline}}, {{paymentAccount}}) unless the lender has its own. */
  agencyHotline: z.string().trim().max(60),
  paymentAccount: z.string().trim().max(200),
  /** How long after an attempt it may be logged without a manager's reason (shared/domain/casework/call-times.ts). */
  attemptLateWindowMinutes: z.number().int().min(5).max(7 * 24 * 60),
  /** The manager's home lists open cases whose placement ends within this many days (委案到期). */
  termEndWarnDays: z.number().int().min(1).max(365),
  /** Days the agency gives itself to answer a complaint (shared/domain/casework/complaints.ts). */
  complaintAnswerDays: z.number().int().min(1).max(30),
});
export type Settings = z.infer<typeof settingsSchema>;
