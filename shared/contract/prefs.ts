// A user's own display preferences (a grid's column widths, hidden columns and density). Only ever the
// caller's: there is no user id to pass. Values are validated per kind and capped in size, so a page
// cannot turn the store into a dumping ground.
import { z } from 'zod';
import { method } from './method.js';

/** "grid.cases", "grid.audit", "grid.today.queue"… */
export const PREF_KEY = /^grid\.[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const MAX_PREF_KEYS = 100;
export const MAX_PREF_BYTES = 4096;
export const GRID_DENSITIES = ['compact', 'standard', 'comfortable'] as const;

const fieldName = z.string().min(1).max(64);
export const gridPrefsSchema = z
  .object({
    /** Column widths in CSS pixels the user dragged to. */
    widths: z.record(fieldName, z.number().int().min(20).max(2000)).optional(),
    /** Columns the user hid (false) or showed (true) through the column menu. */
    visible: z.record(fieldName, z.boolean()).optional(),
    density: z.enum(GRID_DENSITIES).optional(),
  })
  .strict()
  .refine((v) => JSON.stringify(v).length <= MAX_PREF_BYTES, { message: `a preference is at most ${MAX_PREF_BYTES} bytes` });
export type GridPrefs = z.infer<typeof gridPrefsSchema>;

export const prefsMethods = {
  'prefs.get': method({
    access: 'session',
    summary: "The caller's own display preferences (grid column widths, hidden columns, density), by key",
    input: z.object({}).strict(),
    output: z.object({ prefs: z.record(z.string(), gridPrefsSchema) }),
  }),
  'prefs.set': method({
    access: 'session',
    summary: `Sets (or with null clears) one of the caller's own display preferences; at most ${MAX_PREF_KEYS} keys of ${MAX_PREF_BYTES} bytes`,
    input: z.object({ key: z.string().regex(PREF_KEY, 'a key like grid.cases'), value: gridPrefsSchema.nullable() }).strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
};
