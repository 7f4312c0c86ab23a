// The written confirmation (书面确认) of an approved plan: rendered from the plan letter template in the
// chosen language, and filed with its case as an HTML file (rendered again, checked against the text
// previewed), which becomes the plan's letter.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema } from './models.js';
import { caseFileSchema } from './casework.js';
import { PLAN_LETTER_LANGUAGES } from '../domain/money/letter.js';

const letterInput = z.object({ planId: idSchema, language: z.enum(PLAN_LETTER_LANGUAGES) }).strict();

export const planLetterMethods = {
  'plans.letter': method({
    access: 'cases.work',
    summary: "An approved plan's confirmation letter (书面确认): total, waiver and schedule, masked ID (audited)",
    input: letterInput,
    output: z.object({ text: z.string(), language: z.enum(PLAN_LETTER_LANGUAGES), letterFileId: idSchema.nullable() }),
  }),
  'plans.fileLetter': method({
    access: 'cases.work',
    summary: "File an approved plan's confirmation letter with its case (as previewed) and make it the plan's letter",
    input: letterInput.extend({ text: z.string().min(1).max(20_000) }).strict(),
    output: caseFileSchema,
  }),
};
