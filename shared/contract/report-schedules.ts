// Saved report schedules ("weekly status report to lender X, every Monday"): the app produces each
// package when due (while the store is open; a run missed while closed happens once at the next chance)
// and lists what it produced so the UI can tell the manager.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema, isoTimeSchema } from './models.js';
import { EVERY } from '../domain/reports/schedule.js';
import { FORMATS } from './reports.js';

export const scheduleSchema = z.object({
  id: idSchema,
  lenderId: idSchema,
  lender: z.string(),
  name: z.string(),
  every: z.enum(EVERY),
  weekday: z.number().int().nullable(),
  monthDay: z.number().int().nullable(),
  formats: z.array(z.enum(FORMATS)),
  zip: z.boolean(),
  outDir: z.string().nullable(),
  active: z.boolean(),
  nextRunOn: z.string(),
  lastRunOn: z.string().nullable(),
  lastExport: z.object({ id: idSchema, path: z.string(), generatedAt: isoTimeSchema }).nullable(),
  lastError: z.string().nullable(),
  createdBy: z.string(),
});
export type ReportSchedule = z.infer<typeof scheduleSchema>;

export const reportScheduleMethods = {
  'reportSchedules.list': method({
    access: 'reports.export',
    summary: 'Saved report schedules with their next run and the last package each produced',
    input: z.object({ lenderId: idSchema.optional() }).strict(),
    output: z.object({ schedules: z.array(scheduleSchema) }),
  }),
  'reportSchedules.save': method({
    access: 'reports.export',
    summary: 'Save a report schedule (new, or changed by id)',
    input: z
      .object({
        id: idSchema.optional(),
        lenderId: idSchema,
        name: z.string().trim().min(1).max(100),
        every: z.enum(EVERY),
        weekday: z.number().int().min(1).max(7).optional(),
        monthDay: z.number().int().min(1).max(28).optional(),
        formats: z.array(z.enum(FORMATS)).min(1).max(2).default(['csv', 'xlsx']),
        zip: z.boolean().default(true),
        outDir: z.string().min(1).max(4096).optional(),
        active: z.boolean().default(true),
      })
      .strict(),
    output: scheduleSchema,
  }),
  'reportSchedules.delete': method({
    access: 'reports.export',
    summary: 'Delete a report schedule (the packages it produced stay)',
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ deleted: z.boolean() }),
  }),
  'reportSchedules.runDue': method({
    access: 'reports.export',
    summary: 'Produce every package that is due now (the app also does this by itself while open)',
    input: z.object({}).strict(),
    output: z.object({ produced: z.array(z.object({ scheduleId: idSchema, exportId: idSchema.nullable(), path: z.string().nullable(), error: z.string().nullable() })) }),
  }),
};
