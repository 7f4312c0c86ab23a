// Assignment (分案): collector profiles, distributing a selection of cases by a rule (preview, then
// apply), manual moves, automatic rules per new batch, the assignment log, and a collector's day.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema, isoTimeSchema } from './models.js';
import { ASSIGN_RULES } from '../domain/assignment/plan.js';
import { caseRowSchema } from './placements.js';
import { caseFactsFields, nextStepSchema } from './case-facts.js';

const tag = z.string().trim().min(1).max(40);

export const staffSchema = z.object({
  userId: idSchema,
  username: z.string(),
  displayName: z.string(),
  teamId: idSchema.nullable(),
  teamName: z.string().nullable(),
  /** Buckets the collector's team owns (by-bucket rule). */
  teamBuckets: z.array(z.string()),
  active: z.boolean(),
  /** Absent collectors receive nothing. */
  absent: z.boolean(),
  capacity: z.number().int().nonnegative(),
  level: z.string(),
  skills: z.array(z.string()),
  regions: z.array(z.string()),
  openCases: z.number().int(),
  openAmountFen: z.number().int(),
});
export type Staff = z.infer<typeof staffSchema>;

/** Which cases: picked ids, or a filter (a batch, a lender, a bucket, a collector's cases…). Open cases only. */
export const selectionSchema = z
  .object({
    caseIds: z.array(idSchema).min(1).max(50_000).optional(),
    lenderId: idSchema.optional(),
    batchId: idSchema.optional(),
    bucket: z.string().max(10).optional(),
    minAmountFen: z.number().int().nonnegative().optional(),
    maxAmountFen: z.number().int().nonnegative().optional(),
    /** The open cases of this collector (e.g. moving an absent collector's cases). */
    collectorId: idSchema.optional(),
    unassignedOnly: z.boolean().default(false),
  })
  .strict()
  .refine((s) => s.caseIds || s.lenderId || s.batchId || s.collectorId || s.unassignedOnly, {
    message: 'Choose the cases: picked cases, a lender, a batch, a collector, or unassigned cases.',
  });
export type Selection = z.output<typeof selectionSchema>;

/** Who may receive: teams, named collectors, and/or a skill; empty = every active collector. */
export const poolSchema = z
  .object({ teamIds: z.array(idSchema).max(200).default([]), collectorIds: z.array(idSchema).max(2000).default([]), skill: tag.optional() })
  .strict();
export type Pool = z.output<typeof poolSchema>;

const assignInput = z
  .object({
    selection: selectionSchema,
    rule: z.enum(ASSIGN_RULES),
    pool: poolSchema.default({ teamIds: [], collectorIds: [] }),
    keepBorrower: z.boolean().default(true),
  })
  .strict();

export const perCollectorSchema = z.object({
  collectorId: idSchema,
  username: z.string(),
  displayName: z.string(),
  /** Cases and amount this assignment gives them. */
  cases: z.number().int(),
  amountFen: z.number().int(),
  buckets: z.record(z.string(), z.number().int()),
  /** Their open cases and amount afterwards, and the room left under their capacity. */
  openCasesAfter: z.number().int(),
  openAmountAfterFen: z.number().int(),
  capacityLeft: z.number().int(),
});

export const assignPlanSchema = z.object({
  selected: z.number().int(),
  /** Cases that change collector. */
  assigned: z.number().int(),
  /** Cases the plan leaves with the collector they already have. */
  unchanged: z.number().int(),
  unassignable: z.array(z.object({ reason: z.string(), value: z.string().nullable(), cases: z.number().int() })),
  perCollector: z.array(perCollectorSchema),
  /** (max − min) / mean of the pool's open amounts afterwards. */
  spread: z.number(),
  /**
   * Apply only (0 in a preview): planned moves not made because the case changed after the plan was read
   * (closed, re-staged, re-bucketed, moved by someone else) or its collector became unavailable. The figures
   * above count only the moves made.
   */
  skipped: z.number().int(),
  /** Apply only: how often the plan was made again because another assignment was saved while it was made. */
  replanned: z.number().int(),
  assignmentId: idSchema.nullable(),
});
export type AssignPlan = z.infer<typeof assignPlanSchema>;

export const ruleSchema = z.object({
  id: idSchema,
  name: z.string(),
  lenderId: idSchema.nullable(),
  lenderCode: z.string().nullable(),
  bucket: z.string().nullable(),
  rule: z.enum(ASSIGN_RULES),
  pool: poolSchema,
  keepBorrower: z.boolean(),
  enabled: z.boolean(),
  updatedAt: isoTimeSchema,
});
export type AssignRuleDef = z.infer<typeof ruleSchema>;

export const assignmentLogSchema = z.object({
  id: idSchema,
  at: isoTimeSchema,
  actor: z.string(),
  kind: z.enum(['rule', 'manual', 'auto']),
  rule: z.string(),
  ruleName: z.string().nullable(),
  assigned: z.number().int(),
  unassignable: z.number().int(),
  detail: z.record(z.string(), z.unknown()),
  /** Still being written in parts: `assigned` is the plan's count until the last part sets the moves made. */
  applying: z.boolean(),
});

/** An assignment being written in parts (core/assignment/apply.ts): how far it is. */
export const applyingSchema = z.object({
  assignmentId: idSchema,
  at: isoTimeSchema,
  actor: z.string(),
  actorName: z.string(),
  rule: z.string(),
  /** Moves planned; parts planned and written (a part: a stored chunk of up to 500 moves; a write transaction takes one or more). */
  moves: z.number().int(),
  parts: z.number().int(),
  partsDone: z.number().int(),
});

/** The "to call" queues, most urgent first, then the cases contacted today (they leave the others). */
export const QUEUES = ['promises', 'followUps', 'new', 'escalation', 'contacted'] as const;

export const queueItemSchema = z.object({
  queue: z.enum(QUEUES),
  caseId: idSchema,
  caseNo: z.string(),
  lenderCode: z.string(),
  borrowerName: z.string(),
  mobile: z.string(),
  overdueAmountFen: z.number().int(),
  /** What is owed today (the one balance function). */
  outstandingFen: z.number().int(),
  daysOverdue: z.number().int().nullable(),
  bucket: z.string().nullable(),
  stage: z.string(),
  /** Promise date or follow-up time that makes it due. */
  due: z.string().nullable(),
  /** The last contact-log entry started today (null: not contacted today). */
  lastContact: z.object({ at: isoTimeSchema, outcome: z.string(), direction: z.enum(['outbound', 'inbound']) }).nullable(),
  nextStep: nextStepSchema.nullable(),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

/**
 * One case as the case view shows it: the list's row (masked; daysOverdue and bucket as of aging.asOf)
 * with every fact of the file, its re-placements and its history.
 */
export const caseDetailSchema = caseRowSchema.omit({ linkedCases: true }).extend({
  lenderId: idSchema,
  lenderName: z.string(),
  /** What the lender's escalation schedule asks of the case today. */
  nextStep: nextStepSchema.nullable(),
  /** Someone entered contract terms for the case's lender (or the case): false shows "terms not set". */
  termsSet: z.boolean(),
  placementDate: z.string(),
  gender: z.string().nullable(),
  collectorId: idSchema.nullable(),
  assignedAt: isoTimeSchema.nullable(),
  contacts: z.array(z.object({ slot: z.number().int(), name: z.string(), relation: z.string(), phone: z.string() })),
  history: z.array(z.object({ at: isoTimeSchema, actor: z.string().nullable(), kind: z.string(), detail: z.record(z.string(), z.unknown()) })),
  ...caseFactsFields,
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

/** A borrower's other open case that a manual move would leave with another holder (keep-together). */
const splitCaseSchema = z.object({
  caseId: idSchema,
  caseNo: z.string(),
  lenderCode: z.string(),
  borrowerName: z.string(),
  /** Who holds it now (null: the pool). */
  collectorName: z.string().nullable(),
  /** The picked case of the same borrower it would be split from. */
  withCaseId: idSchema,
});

export const assignmentMethods = {
  'staff.list': method({
    access: 'users.read',
    summary: 'Collectors with team, capacity, skills, regions, absence and open workload',
    input: z.object({}).strict(),
    output: z.object({ staff: z.array(staffSchema) }),
  }),
  'staff.update': method({
    access: 'assign.manage',
    summary: "Set a collector's capacity, level, skills, regions or absence",
    input: z
      .object({
        userId: idSchema,
        capacity: z.number().int().min(0).max(1_000_000).optional(),
        level: z.string().trim().max(40).optional(),
        skills: z.array(tag).max(20).optional(),
        regions: z.array(tag).max(40).optional(),
        absent: z.boolean().optional(),
      })
      .strict(),
    output: staffSchema,
  }),
  'teams.setBuckets': method({
    access: 'assign.manage',
    summary: 'Set the buckets a team owns (for the by-bucket rule)',
    input: z.object({ teamId: idSchema, buckets: z.array(z.string().trim().min(1).max(10)).max(20) }).strict(),
    output: z.object({ teamId: idSchema, buckets: z.array(z.string()) }),
  }),
  'assign.preview': method({
    access: 'assign.manage',
    summary: 'What a rule would do to a selection, per collector, changing nothing',
    input: assignInput,
    output: assignPlanSchema,
  }),
  'assign.apply': method({
    access: 'assign.manage',
    summary: 'Assign a selection by a rule (recorded in case history and audit)',
    input: assignInput,
    output: assignPlanSchema,
  }),
  'assign.manual': method({
    access: 'assign.manage',
    summary: "Give picked cases to one collector, or recall them to the pool (collectorId null); a move that would split a borrower's cases answers with the others first",
    input: z
      .object({
        caseIds: z.array(idSchema).min(1).max(50_000),
        collectorId: idSchema.nullable(),
        note: z.string().trim().max(200).optional(),
        /** Move even though it splits a borrower's open cases between holders (asked first otherwise). */
        confirmSplit: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      changed: z.number().int(),
      assignmentId: idSchema.nullable(),
      /** Not empty: nothing was moved; these open cases of the same borrowers stay elsewhere. Ask, then call again. */
      splits: z.array(splitCaseSchema),
    }),
  }),
  'assign.applying': method({
    access: 'assign.manage',
    summary: 'Assignments being written now (a large one is written in parts, collectors\' writes in between): who, when, how far',
    input: z.object({}).strict(),
    output: z.object({ applying: z.array(applyingSchema) }),
  }),
  'assign.log': method({
    access: 'assign.manage',
    summary: 'Past assignments: who, when, rule, counts',
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.object({ assignments: z.array(assignmentLogSchema) }),
  }),
  'assignRules.list': method({
    access: 'assign.manage',
    summary: 'Automatic assignment rules run on each new batch',
    input: z.object({}).strict(),
    output: z.object({ rules: z.array(ruleSchema) }),
  }),
  'assignRules.save': method({
    access: 'assign.manage',
    summary: 'Create or change an automatic rule ("M1 cases of lender X: balanced across team A")',
    input: z
      .object({
        id: idSchema.optional(),
        name: z.string().trim().min(1).max(80),
        lenderId: idSchema.nullable().default(null),
        bucket: z.string().trim().min(1).max(10).nullable().default(null),
        rule: z.enum(ASSIGN_RULES),
        pool: poolSchema.default({ teamIds: [], collectorIds: [] }),
        keepBorrower: z.boolean().default(true),
        enabled: z.boolean().default(true),
      })
      .strict(),
    output: ruleSchema,
  }),
  'assignRules.delete': method({
    access: 'assign.manage',
    summary: 'Delete an automatic rule',
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ deleted: z.boolean() }),
  }),
  'queue.today': method({
    access: 'cases.read',
    summary: "A collector's day: promises due, follow-ups due, new cases, escalation steps (collectors: their own)",
    input: z.object({ collectorId: idSchema.optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.object({
      collectorId: idSchema,
      today: z.string(),
      /** Rows per queue (each case in one queue only; "contacted" holds those worked today); open: all open cases held. */
      counts: z.object({ promises: z.number().int(), followUps: z.number().int(), new: z.number().int(), escalation: z.number().int(), contacted: z.number().int(), open: z.number().int() }),
      items: z.array(queueItemSchema),
    }),
  }),
  'staff.colleagues': method({
    access: 'cases.work',
    summary: 'Active collectors and managers by name (e.g. the second person on a field visit)',
    input: z.object({}).strict(),
    output: z.object({ colleagues: z.array(z.object({ userId: idSchema, username: z.string(), displayName: z.string(), role: z.string() })) }),
  }),
  'cases.get': method({
    access: 'cases.read',
    summary: 'One case with contacts and history, masked (collectors: only their own)',
    input: z.object({ id: idSchema }).strict(),
    output: caseDetailSchema,
  }),
};
