import { z } from 'zod';
import { method } from './method.js';
import { auditEntrySchema, auditVerifySchema } from './models.js';

/** audit-anchor.json against the store's chain (core/audit/anchor.ts). */
export const anchorCheckSchema = z.object({
  /**
   * none: never anchored yet (no anchor key in any session so far); missing: anchored before, file gone;
   * unverified: the file agrees with the store but this session cannot check its MAC (never ok); keyTampered: a
   * slot's privileged key (which the anchor key derives from) was swapped, so the anchor cannot be trusted.
   */
  status: z.enum(['ok', 'none', 'missing', 'damaged', 'forged', 'otherStore', 'behind', 'mismatch', 'unverified', 'keyTampered']),
  ok: z.boolean(),
  /** The MAC was checked (this session can derive the anchor key); otherwise only compared. */
  verified: z.boolean(),
  anchoredSeq: z.number().int().nullable(),
  anchoredAt: z.string().nullable(),
  headSeq: z.number().int(),
  since: z.object({ seq: z.number().int(), at: z.string() }).nullable(),
  message: z.string(),
  /**
   * The anchor's copies outside the store folder (beside backups, in a desktop's app data folder): each reachable
   * one, as compared. One ahead of the store (behind) means the whole folder was put back.
   */
  outside: z
    .array(
      z.object({
        file: z.string(),
        status: z.enum(['ok', 'retired', 'behind', 'mismatch', 'forged', 'damaged']),
        seq: z.number().int().nullable(),
        at: z.string().nullable(),
        message: z.string(),
      }),
    )
    .optional(),
});
export type AnchorCheck = z.infer<typeof anchorCheckSchema>;

/** Payments, reversals, contact-log entries and assignments against the audit entries that record them. */
export const auditRefsSchema = z.object({
  ok: z.boolean(),
  /** Rows and entries looked at. */
  checked: z.number().int(),
  /** The first problems found (at most 50): a row without its entry, or an entry whose row is gone. */
  problems: z.array(z.object({ table: z.string(), rowId: z.number().int().nullable(), seq: z.number().int().nullable(), reason: z.string() })),
  /** Rows written before migration 019 that no entry names (older versions may not have recorded them). */
  olderUnmatched: z.number().int(),
});
export type AuditRefs = z.infer<typeof auditRefsSchema>;

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
  'audit.anchor': method({
    access: 'audit.read',
    summary: 'The audit anchor (audit-anchor.json) against the store: ok, or rolled back / rewritten / missing',
    input: z.object({}).strict(),
    output: anchorCheckSchema,
  }),
  'audit.acceptAnchor': method({
    access: 'settings.manage',
    summary: 'After a reported anchor problem: accept the store as it is and anchor its present head (audited with the reason)',
    input: z.object({ reason: z.string().trim().min(5).max(500) }).strict(),
    output: anchorCheckSchema,
  }),
};
