// Money: contract terms and a case's balance on any date, payments (回款) and their reversals, negotiated
// plans (协商方案) with approval limits, and promises to pay judged from the payments. All amounts in fen.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema, isoTimeSchema } from './models.js';
import { COMPONENTS } from '../domain/money/allocation.js';
import { PLAN_KINDS, PLAN_STATUSES } from '../domain/money/plans.js';

export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'a real calendar date');
const fen = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const ppm = z.number().int().min(0).max(10_000_000);

export const amountsSchema = z.object({ fees: fen, penalty: fen, interest: fen, principal: fen });

export const termsSchema = z
  .object({
    penaltyPpmPerDay: z.number().int().min(0).max(100_000),
    penaltyOnInterest: z.boolean(),
    lateFee: z.union([z.object({ kind: z.literal('fixed'), fen }).strict(), z.object({ kind: z.literal('percent'), ppm }).strict()]).nullable(),
    lateFeeEveryDays: z.union([z.literal('once'), z.number().int().min(1).max(366)]),
    aprCapPpm: ppm.nullable(),
    maxChargesFen: fen.nullable(),
    order: z
      .array(z.enum(COMPONENTS))
      .length(COMPONENTS.length)
      .refine((o) => new Set(o).size === COMPONENTS.length, 'each component once'),
  })
  .strict();
export type TermsInput = z.infer<typeof termsSchema>;

export const approvalSchema = z
  .object({ managerMaxWaiverFen: fen, managerMaxWaiverPpm: ppm.max(1_000_000), graceDays: z.number().int().min(0).max(60) })
  .strict();

/** Commission on what is recovered: the rate of the highest tier whose `fromDay` ≤ the case's days overdue at placement. */
export const commissionSchema = z
  .array(z.object({ fromDay: z.number().int().min(0).max(3650), ratePpm: ppm.max(1_000_000) }).strict())
  .max(20)
  .refine((t) => t.every((x, i) => i === 0 || x.fromDay > t[i - 1]!.fromDay), 'tiers in order of their day, each day once');

/** What templates give the borrower: the lender's own hotline and payment account (empty: the agency's). */
export const lenderContactSchema = z.object({ hotline: z.string().trim().max(60), paymentAccount: z.string().trim().max(200) }).strict();

export const moneySettingsSchema = z.object({
  terms: termsSchema,
  /** Someone entered the lender's terms. Not set: a new lender accrues nothing; a lender from before
   *  migration 012 keeps the former built-in default, which `terms` shows. */
  termsSet: z.boolean(),
  approval: approvalSchema,
  commission: commissionSchema,
  contact: lenderContactSchema,
});

export const PAYMENT_CHANNELS = ['bank_transfer', 'alipay', 'wechat', 'lender_platform', 'cash', 'other'] as const;

export const paymentSchema = z.object({
  id: idSchema,
  caseId: idSchema,
  caseNo: z.string(),
  paidOn: z.string(),
  amountFen: z.number().int(),
  channel: z.string(),
  payer: z.string(),
  reference: z.string(),
  note: z.string(),
  source: z.enum(['agency', 'lender_file']),
  enteredBy: z.string(),
  enteredAt: isoTimeSchema,
  /** This entry reverses an earlier payment. */
  reversesId: idSchema.nullable(),
  /** A later entry reversed this payment. */
  reversedById: idSchema.nullable(),
});
export type Payment = z.infer<typeof paymentSchema>;

export const balanceSchema = z.object({
  caseId: idSchema,
  asOf: z.string(),
  placedOn: z.string(),
  /** What the placement file said was owed on the placement date. */
  opening: amountsSchema,
  owed: amountsSchema,
  paid: amountsSchema,
  waived: amountsSchema,
  /** Penalty and fees accrued since placement, after caps. */
  accrued: z.object({ penalty: z.number().int(), fees: z.number().int() }),
  outstanding: z.number().int(),
  overpaid: z.number().int(),
  terms: termsSchema,
  /** The case has its own terms over the lender's. */
  caseTerms: z.boolean(),
  /** Terms someone entered apply (the lender's or the case's own); false: "terms not set" (未设置合同条款). */
  termsSet: z.boolean(),
  /** The placed amount (委案金额), as the file gave it: never the balance. */
  placedFen: z.number().int(),
  /** Penalty and fees are frozen by an active plan. */
  frozen: z.boolean(),
  allocations: z.array(z.object({ paymentId: idSchema, date: z.string(), fen: z.number().int(), applied: amountsSchema, over: z.number().int() })),
});
export type BalanceView = z.infer<typeof balanceSchema>;

const installmentSchema = z.object({
  no: z.number().int(),
  dueDate: z.string(),
  amountFen: z.number().int(),
  paidFen: z.number().int(),
  state: z.enum(['paid', 'part_paid', 'upcoming', 'due', 'missed']),
});

export const planSchema = z.object({
  id: idSchema,
  caseId: idSchema,
  caseNo: z.string(),
  borrowerName: z.string(),
  kind: z.enum(PLAN_KINDS),
  reason: z.string(),
  proofFileIds: z.array(idSchema),
  asOf: z.string(),
  owedFen: z.number().int(),
  waiver: amountsSchema,
  waiverFen: z.number().int(),
  totalFen: z.number().int(),
  graceDays: z.number().int(),
  /** Who must approve: a manager, or (waiver above the lender's limits) the lender. */
  approver: z.enum(['manager', 'lender']),
  status: z.enum(PLAN_STATUSES),
  proposedBy: z.string(),
  proposedAt: isoTimeSchema,
  decidedBy: z.string().nullable(),
  decidedAt: isoTimeSchema.nullable(),
  decisionNote: z.string().nullable(),
  lenderApproval: z.object({ by: z.string(), reference: z.string(), date: z.string() }).nullable(),
  endedOn: z.string().nullable(),
  letterFileId: idSchema.nullable(),
  installments: z.array(installmentSchema),
  paidFen: z.number().int(),
});
export type Plan = z.infer<typeof planSchema>;

export const promiseSchema = z.object({
  attemptId: idSchema,
  caseId: idSchema,
  caseNo: z.string(),
  borrowerName: z.string(),
  collector: z.string(),
  madeOn: z.string(),
  date: z.string(),
  amountFen: z.number().int(),
  paidFen: z.number().int(),
  state: z.enum(['pending', 'kept', 'partly_kept', 'broken']),
  /** A recurring promise is judged payment by payment: this is its `no`-th of `of`. */
  instance: z.object({ no: z.number().int(), of: z.number().int() }).nullable(),
});
export type PromiseView = z.infer<typeof promiseSchema>;

const waiverInput = z.object({ fees: fen.optional(), penalty: fen.optional(), interest: fen.optional() }).strict();

export const moneyMethods = {
  'money.settings': method({
    access: 'lenders.read',
    summary: "A lender's contract terms, waiver approval limits and commission tiers (its own or the defaults)",
    input: z.object({ lenderId: idSchema }).strict(),
    output: moneySettingsSchema,
  }),
  'money.setSettings': method({
    access: 'lenders.manage',
    summary: "Set a lender's contract terms, approval limits or commission tiers",
    input: z.object({ lenderId: idSchema, terms: termsSchema.optional(), approval: approvalSchema.optional(), commission: commissionSchema.optional(), contact: lenderContactSchema.optional() }).strict(),
    output: moneySettingsSchema,
  }),
  'money.setCaseTerms': method({
    access: 'plans.approve',
    summary: "Give one case its own contract terms (null: the lender's again)",
    input: z.object({ caseId: idSchema, terms: termsSchema.nullable(), reason: z.string().trim().min(2).max(500) }).strict(),
    output: balanceSchema,
  }),
  'money.balance': method({
    access: 'cases.read',
    summary: "A case's balance on a date (default today): principal, interest, penalty, fees, waived, paid, outstanding",
    input: z.object({ caseId: idSchema, asOf: dateSchema.optional() }).strict(),
    output: balanceSchema,
  }),
  'payments.post': method({
    access: 'payments.post',
    summary: 'Post a payment (回款) received for a case; a case paid to zero is settled',
    input: z
      .object({
        caseId: idSchema,
        paidOn: dateSchema,
        amountFen: fen.min(1),
        channel: z.enum(PAYMENT_CHANNELS),
        payer: z.string().trim().max(100).default(''),
        reference: z.string().trim().max(100).default(''),
        note: z.string().trim().max(1000).default(''),
      })
      .strict(),
    output: z.object({ payment: paymentSchema, balance: balanceSchema, settled: z.boolean() }),
  }),
  'payments.reverse': method({
    access: 'payments.post',
    summary: 'Reverse a payment posted in error (the original stays; a settled case reopens if it owes again)',
    input: z.object({ paymentId: idSchema, reason: z.string().trim().min(2).max(500) }).strict(),
    output: z.object({ payment: paymentSchema, balance: balanceSchema, reopened: z.boolean() }),
  }),
  'payments.list': method({
    access: 'cases.read',
    summary: "A case's payments and reversals, oldest first",
    input: z.object({ caseId: idSchema }).strict(),
    output: z.object({ payments: z.array(paymentSchema) }),
  }),
  'plans.propose': method({
    access: 'cases.work',
    summary: 'Propose a negotiated plan: extension, installments or a waiver, with the reason and proof',
    input: z
      .object({
        caseId: idSchema,
        kind: z.enum(PLAN_KINDS),
        reason: z.string().trim().min(2).max(1000),
        /** Case files (cases.attach) proving the reason. */
        proofFileIds: z.array(idSchema).max(20).default([]),
        /** Interest, penalty and fees waived (principal is never waived by the agency). */
        waiver: waiverInput.default({}),
        /** Extension and waiver: the one date by which the rest is paid. */
        dueDate: dateSchema.optional(),
        /** Installments: how many, the first due date, and months between them. */
        installments: z.object({ count: z.number().int().min(2).max(60), firstDate: dateSchema, everyMonths: z.number().int().min(1).max(12).default(1) }).strict().optional(),
      })
      .strict(),
    output: planSchema,
  }),
  'plans.decide': method({
    access: 'plans.approve',
    summary: "Approve or reject a proposed plan (a waiver above the lender's limits needs the lender's approval recorded)",
    input: z
      .object({
        planId: idSchema,
        approve: z.boolean(),
        note: z.string().trim().max(1000).default(''),
        lenderApproval: z.object({ by: z.string().trim().min(1).max(100), reference: z.string().trim().min(1).max(100), date: dateSchema }).strict().optional(),
      })
      .strict(),
    output: planSchema,
  }),
  'plans.list': method({
    access: 'cases.read',
    summary: 'Plans of a case, or all plans in some states (collectors: their own cases)',
    input: z.object({ caseId: idSchema.optional(), status: z.array(z.enum(PLAN_STATUSES)).max(6).optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.object({ plans: z.array(planSchema) }),
  }),
  'promises.list': method({
    access: 'cases.read',
    summary: 'Promises to pay and whether each was kept, judged from the payments (collectors: their own)',
    input: z
      .object({
        caseId: idSchema.optional(),
        collectorId: idSchema.optional(),
        states: z.array(z.enum(['pending', 'kept', 'partly_kept', 'broken'])).max(4).optional(),
        from: dateSchema.optional(),
        to: dateSchema.optional(),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
    output: z.object({ promises: z.array(promiseSchema) }),
  }),
};
