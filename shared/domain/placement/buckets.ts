// Delinquency buckets by days overdue. The default follows the industry (and DOMAIN.md): M1 1–30,
// M2 31–60, M3 61–90, M3+ beyond, plus 'C' (current) for cases not overdue, so every case has a bucket.
// A table is configurable per lender; the schema below checks it covers day 0 or 1 upward, in order,
// with no gap or overlap, and ends open-ended.
import { z } from 'zod';

export interface Bucket {
  code: string;
  minDays: number;
  /** Inclusive; null = no upper bound (only the last bucket). */
  maxDays: number | null;
}

export const DEFAULT_BUCKETS: readonly Bucket[] = Object.freeze([
  { code: 'C', minDays: 0, maxDays: 0 },
  { code: 'M1', minDays: 1, maxDays: 30 },
  { code: 'M2', minDays: 31, maxDays: 60 },
  { code: 'M3', minDays: 61, maxDays: 90 },
  { code: 'M3+', minDays: 91, maxDays: null },
]);

/** The bucket for a day count. Negative counts (not yet due) count as 0. undefined when the count is
 *  not an integer, or the table does not cover it (e.g. 0 in a table starting at M1). */
export function bucketOf(daysOverdue: number, buckets: readonly Bucket[] = DEFAULT_BUCKETS): Bucket | undefined {
  if (!Number.isInteger(daysOverdue)) return undefined;
  const days = daysOverdue < 0 ? 0 : daysOverdue;
  for (const b of buckets) {
    if (days >= b.minDays && (b.maxDays === null || days <= b.maxDays)) return b;
  }
  return undefined;
}

const dayCount = z.number().int('days must be whole numbers').min(0, 'days cannot be negative');

export const bucketSchema = z.object({
  code: z.string().trim().min(1, 'bucket code required').max(16, 'bucket code: at most 16 characters'),
  minDays: dayCount,
  maxDays: dayCount.nullable(),
});

export const bucketTableSchema = z
  .array(bucketSchema)
  .min(1, 'at least one bucket')
  .max(50, 'at most 50 buckets')
  .superRefine((table, ctx) => {
    const issue = (index: number, message: string) => ctx.addIssue({ code: 'custom', path: [index], message });
    const first = table[0];
    if (first !== undefined && first.minDays > 1) issue(0, `the first bucket must start at day 0 or 1, not ${first.minDays}`);
    const seen = new Set<string>();
    table.forEach((b, i) => {
      if (seen.has(b.code)) issue(i, `bucket code ${b.code} is used twice`);
      seen.add(b.code);
      if (b.maxDays !== null && b.maxDays < b.minDays) {
        issue(i, `bucket ${b.code} ends (day ${b.maxDays}) before it starts (day ${b.minDays})`);
      }
      const next = table[i + 1];
      if (next === undefined) {
        if (b.maxDays !== null) issue(i, `the last bucket (${b.code}) must have no upper limit`);
      } else if (b.maxDays === null) {
        issue(i, `only the last bucket can have no upper limit, not ${b.code}`);
      } else if (next.minDays !== b.maxDays + 1) {
        issue(i + 1, `bucket ${next.code} must start at day ${b.maxDays + 1}, right after ${b.code} ends`);
      }
    });
  });

export type BucketTable = z.infer<typeof bucketTableSchema>;
