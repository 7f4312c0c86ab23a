import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { bucketOf, bucketTableSchema, DEFAULT_BUCKETS } from '../../../shared/domain/placement/buckets.js';

const code = (days: number) => bucketOf(days)?.code;

describe('bucketOf with the default table', () => {
  it('places the boundaries', () => {
    expect([0, 1, 30, 31, 60, 61, 90, 91, 10_000].map(code)).toEqual(['C', 'M1', 'M1', 'M2', 'M2', 'M3', 'M3', 'M3+', 'M3+']);
  });
  it('treats not-yet-due as current and refuses non-integers', () => {
    expect(code(-3)).toBe('C');
    expect(code(1.5)).toBeUndefined();
    expect(code(Number.NaN)).toBeUndefined();
  });
  it('puts every day count in exactly one bucket', () => {
    fc.assert(
      fc.property(fc.nat(100_000), (days) => {
        const matches = DEFAULT_BUCKETS.filter((b) => days >= b.minDays && (b.maxDays === null || days <= b.maxDays));
        expect(matches).toHaveLength(1);
        expect(bucketOf(days)).toBe(matches[0]);
      }),
    );
  });
  it('validates against its own schema', () => {
    expect(bucketTableSchema.safeParse(DEFAULT_BUCKETS).success).toBe(true);
  });
});

describe('bucketTableSchema', () => {
  const messages = (table: unknown) => {
    const r = bucketTableSchema.safeParse(table);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };

  it('accepts a custom contiguous table and uses it', () => {
    const table = [
      { code: 'M1', minDays: 1, maxDays: 30 },
      { code: 'M2+', minDays: 31, maxDays: null },
    ];
    expect(messages(table)).toEqual([]);
    expect(bucketOf(0, table)).toBeUndefined();
    expect(bucketOf(45, table)?.code).toBe('M2+');
  });

  it('explains gaps, overlaps, order and open ends', () => {
    expect(messages([{ code: 'M1', minDays: 1, maxDays: 30 }, { code: 'M2', minDays: 32, maxDays: null }]))
      .toEqual(['bucket M2 must start at day 31, right after M1 ends']);
    expect(messages([{ code: 'M1', minDays: 1, maxDays: 30 }, { code: 'M2', minDays: 25, maxDays: null }]))
      .toEqual(['bucket M2 must start at day 31, right after M1 ends']);
    expect(messages([{ code: 'M2', minDays: 31, maxDays: 60 }, { code: 'M1', minDays: 1, maxDays: null }]))
      .toContain('the first bucket must start at day 0 or 1, not 31');
    expect(messages([{ code: 'M1', minDays: 1, maxDays: 30 }])).toEqual(['the last bucket (M1) must have no upper limit']);
    expect(messages([{ code: 'A', minDays: 0, maxDays: null }, { code: 'B', minDays: 1, maxDays: null }]))
      .toContain('only the last bucket can have no upper limit, not A');
    expect(messages([{ code: 'A', minDays: 5, maxDays: 2 }, { code: 'B', minDays: 3, maxDays: null }]))
      .toContain('bucket A ends (day 2) before it starts (day 5)');
    expect(messages([{ code: 'A', minDays: 0, maxDays: 0 }, { code: 'A', minDays: 1, maxDays: null }]))
      .toEqual(['bucket code A is used twice']);
    expect(messages([])).toEqual(['at least one bucket']);
    expect(messages([{ code: '', minDays: 0.5, maxDays: null }])).toEqual(
      expect.arrayContaining(['bucket code required', 'days must be whole numbers']),
    );
  });
});
