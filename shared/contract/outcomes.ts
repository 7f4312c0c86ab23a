// The agency's outcome codes for the contact log: everyone who reads cases reads them (labels of past
// entries); managers and admins change them. Spread into caseworkMethods.
import { z } from 'zod';
import { method } from './method.js';
import { OUTCOME_CLASSES } from '../domain/casework/outcomes.js';

export const outcomeCodeSchema = z.string().trim().min(1).max(40).regex(/^[a-z][a-z0-9_]*$/, 'outcome code: lower-case letters, digits and _, starting with a letter');
const labelSchema = z.string().trim().min(1, 'a label is required').max(40);

export const outcomeDefSchema = z.object({
  code: outcomeCodeSchema,
  labels: z.object({ 'zh-CN': labelSchema, en: labelSchema }).strict(),
  class: z.enum(OUTCOME_CLASSES),
  active: z.boolean(),
});

export const outcomeSchema = outcomeDefSchema.extend({
  builtIn: z.boolean(),
  /** Contact-log entries that used this code (a used code can be disabled, not deleted). */
  used: z.number().int(),
});
export type OutcomeView = z.infer<typeof outcomeSchema>;

const listOutput = z.object({ outcomes: z.array(outcomeSchema) });

export const outcomeMethods = {
  'outcomes.list': method({
    access: 'cases.read',
    summary: "The agency's outcome codes (built-in and its own), with labels, classes and whether each is in use",
    input: z.object({}).strict(),
    output: listOutput,
  }),
  'outcomes.save': method({
    access: 'lenders.manage',
    summary: 'Add an outcome code (create: true) or change one: labels, class (own codes only), enabled',
    input: outcomeDefSchema.extend({ create: z.boolean().default(false) }).strict(),
    output: listOutput,
  }),
  'outcomes.delete': method({
    access: 'lenders.manage',
    summary: "Delete one of the agency's own outcome codes that no entry used (otherwise disable it)",
    input: z.object({ code: outcomeCodeSchema }).strict(),
    output: listOutput,
  }),
};
