// The manager's home (counts that each open a list) and monthly recovery targets.
// Recovered = the dashboard's definition (payments dated in the period, net of reversals, credited to the
// case's holder now); progress = recovered / target as a percentage.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema } from './models.js';

const count = z.number().int().nonnegative();
const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month as YYYY-MM');

export const homeSummarySchema = z.object({
  today: z.string(),
  /** Plans proposed or awaiting the lender's approval. */
  plansAwaiting: count,
  /** Promises due in the last 7 days (before today) that were broken. */
  brokenPromises7d: count,
  /** Open legal referrals whose next date is on or before this Sunday (overdue ones included). */
  legalDueThisWeek: count,
  weekEnd: z.string(),
  /** Complaints not closed, and the open ones past their due time; null where complaints are not recorded. */
  complaints: z.object({ open: count, overdue: count }).nullable(),
  /** Open cases whose placement ends (委案到期日: the case's own, else its batch's) from today to today + termEndDays. */
  termEnding: count,
  termEndDays: z.number().int(),
  recoveredTodayFen: z.number().int(),
  month: z.string(),
  recoveredMonthFen: z.number().int(),
  /** The agency's target for the month (its own, else the teams' sum, else the collectors'); null: none set. */
  monthTargetFen: z.number().int().nullable(),
  monthPct: z.number().nullable(),
  tookMs: z.number(),
});
export type HomeSummary = z.infer<typeof homeSummarySchema>;

export const targetViewSchema = z.object({
  collectorId: idSchema.nullable(),
  collectorName: z.string().nullable(),
  teamId: idSchema.nullable(),
  teamName: z.string().nullable(),
  amountFen: z.number().int(),
  recoveredFen: z.number().int(),
  pct: z.number().nullable(),
  setBy: z.string(),
  setAt: z.string(),
});
export type TargetView = z.infer<typeof targetViewSchema>;

export const homeMethods = {
  'home.summary': method({
    access: 'dashboard.read',
    summary: "The manager's home: plans awaiting decision, broken promises (7 days), legal dates this week, open complaints, cases near placement end, recovery today and this month against target",
    input: z.object({}).strict(),
    output: homeSummarySchema,
  }),
  'targets.list': method({
    access: 'dashboard.read',
    summary: "A month's recovery targets (default this month) per agency, team and collector, with what each has recovered",
    input: z.object({ month: monthSchema.optional() }).strict(),
    output: z.object({ month: z.string(), agencyTargetFen: z.number().int().nullable(), recoveredFen: z.number().int(), agencyPct: z.number().nullable(), targets: z.array(targetViewSchema) }),
  }),
  'targets.set': method({
    access: 'assign.manage',
    summary: 'Set (or with amountFen null remove) the monthly recovery target of a collector, a team, or (neither) the agency',
    input: z
      .object({
        month: monthSchema,
        collectorId: idSchema.optional(),
        teamId: idSchema.optional(),
        amountFen: z.number().int().nonnegative().max(1e14).nullable(),
      })
      .strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
};
