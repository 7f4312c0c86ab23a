// The managers' dashboard: recovery by lender, batch, bucket and collector, promises kept, right-party
// contact, roll rates between buckets and cases per stage, for a period and optionally one lender.
// Counts and fen only (rates are derived from them in core, as percentages with 2 decimals).
import { z } from 'zod';
import { method } from './method.js';
import { idSchema } from './models.js';
import { dateSchema } from './money.js';

const count = z.number().int().nonnegative();
/** A percentage with 2 decimals, or null when there is nothing to divide by. */
const pct = z.number().nullable();

export const recoveryRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  cases: count,
  /** Placement amount of the group's cases (placed by the period end). */
  placedFen: z.number().int(),
  /** Payments dated in the period, net of reversals. */
  recoveredFen: z.number().int(),
  /** Cases with a payment in the period. */
  payingCases: count,
  recoveryPct: pct,
});
export type RecoveryRow = z.infer<typeof recoveryRowSchema>;

export const promiseRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  made: count,
  kept: count,
  partlyKept: count,
  broken: count,
  /** Not yet due: left out of the kept rate. */
  pending: count,
  promisedFen: z.number().int(),
  paidFen: z.number().int(),
  /** kept / (kept + partly kept + broken). */
  keptPct: pct,
});

export const contactRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** Calls and field visits to the borrower in the period (corrected entries replaced by their corrections). */
  attempts: count,
  /** Of those, the ones whose outcome is of the "connected" class. */
  connected: count,
  rpcPct: pct,
});

export const rollRowSchema = z.object({
  /** Bucket at the period start. */
  bucket: z.string(),
  /** Cases in that bucket at the period start (placed by then, not paid off before it). */
  cohort: count,
  /** Paid something in the period. */
  paid: count,
  /** Nothing paid and still in the same bucket at the period end. */
  stayed: count,
  /** Nothing paid and in a later bucket at the period end. */
  rolled: count,
  /** Where the unpaid ones ended, by bucket. */
  to: z.array(z.object({ bucket: z.string(), cases: count })),
  rollPct: pct,
});

export const dashboardSchema = z.object({
  from: z.string(),
  to: z.string(),
  lenderId: idSchema.nullable(),
  periodDays: z.number().int(),
  totals: recoveryRowSchema,
  recovery: z.object({ byLender: z.array(recoveryRowSchema), byBatch: z.array(recoveryRowSchema), byBucket: z.array(recoveryRowSchema), byCollector: z.array(recoveryRowSchema) }),
  promises: z.object({ totals: promiseRowSchema, byCollector: z.array(promiseRowSchema) }),
  contact: z.object({ totals: contactRowSchema, byCollector: z.array(contactRowSchema) }),
  roll: z.array(rollRowSchema),
  stages: z.array(z.object({ stage: z.string(), cases: count, placedFen: z.number().int() })),
  /** How long the store took to answer, ms (the dashboard shows it; the benchmark prints it). */
  tookMs: z.number(),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const dashboardMethods = {
  'dashboard.get': method({
    access: 'dashboard.read',
    summary: "Managers' dashboard for a period (default: this month to today) and optionally one lender: recovery, promises kept, right-party contact, roll rates, cases per stage",
    input: z.object({ from: dateSchema.optional(), to: dateSchema.optional(), lenderId: idSchema.optional() }).strict(),
    output: dashboardSchema,
  }),
};
