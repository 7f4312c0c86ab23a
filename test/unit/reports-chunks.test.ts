// A chunk's payments and contact entries arrive as JSON text in their index's order (case, day or start,
// id), with no ORDER BY in the SQL: the formatter merges them into cases by that order, so rows out of it
// must stop the export rather than be attached to the wrong case or yield a wrong "last contact".
import { describe, it, expect } from 'vitest';
import { bundlesOf, type RawChunk } from '../../core/reports/rows.js';
import type { RowContext } from '../../db/repos/reports.js';

const ctx: RowContext = { batches: new Map([[1, { batch_no: 'B1', placement_date: '2026-01-01' }]]), users: new Map([[1, 'c1']]), lenderTerms: '{}' };
// Raw rows in the column order of db/repos/reports.ts (CASE_COLS, payments, contact log).
const kase = (id: number) => [id, 1, `C-${id}`, 1, '王小明', '110101199001011234', '13800000000', 'M1', 'new', 'open', null, 100_000, null, null, null, null, null, '{}'];
const payment = (id: number, caseId: number, day: string) => [id, caseId, day, 5_000, 'alipay', '', '', '', 'agency', 1, '2026-02-01T00:00:00.000Z', null, null];
const attempt = (id: number, caseId: number, at: string) => [id, caseId, at, 'phone', 'borrower', null, null, 'outbound', 60, 'no_answer', '', null, null, 1, null, null, 0];
const chunk = (payments: unknown[][], attempts: unknown[][] = []): RawChunk => ({
  cases: JSON.stringify([kase(1), kase(2)]),
  payments: JSON.stringify(payments),
  attempts: JSON.stringify(attempts),
  plans: [],
  legal: [],
  rows: { status: 2, contacts: attempts.length, repayments: payments.length },
});

describe('bundlesOf', () => {
  it("attaches each case's payments and contact entries, in order", () => {
    const b = bundlesOf(chunk([payment(7, 1, '2026-02-01'), payment(3, 1, '2026-02-03'), payment(9, 2, '2026-01-05')], [attempt(4, 2, '2026-02-01T01:00:00.000Z'), attempt(5, 2, '2026-02-01T01:00:00.000Z')]), ctx);
    expect(b.map((x) => x.payments.map((p) => p.id))).toEqual([[7, 3], [9]]);
    expect(b.map((x) => x.attempts.map((a) => a.id))).toEqual([[], [4, 5]]);
  });

  it('refuses entries out of case, day or id order', () => {
    expect(() => bundlesOf(chunk([payment(9, 2, '2026-01-05'), payment(7, 1, '2026-02-01')]), ctx)).toThrow(/out of order/);
    expect(() => bundlesOf(chunk([payment(3, 1, '2026-02-03'), payment(7, 1, '2026-02-01')]), ctx)).toThrow(/out of order/);
    expect(() => bundlesOf(chunk([], [attempt(5, 2, '2026-02-01T01:00:00.000Z'), attempt(4, 2, '2026-02-01T01:00:00.000Z')]), ctx)).toThrow(/out of order/);
  });
});
