// The case view's 委案金额 is the placed amount by the one rule (shared/domain/money/placed.ts), the same
// figure the case header and the reports show: the file's placement amount, else its overdue total.
import { describe, expect, it } from 'vitest';
import { caseFacts } from '../../../shared/domain/placement/case-facts.js';
import { placedFenOf } from '../../../shared/domain/money/placed.js';

const placedFact = (row: object) => caseFacts(row).find((g) => g.group === 'debt')!.fields.find((f) => f.key === 'placementAmount')!.value;

describe('placed amount in the case facts', () => {
  it('is the overdue total when the file gave no placement amount, as the header says', () => {
    const row = { overdue_amount_fen: 1_034_683, placement_amount_fen: null };
    expect(placedFact(row)).toBe(placedFenOf(row));
    expect(placedFact(row)).toBe(1_034_683);
  });
  it('is the file’s placement amount when it gave one', () => {
    const row = { overdue_amount_fen: 1_000_00, placement_amount_fen: 1_200_00 };
    expect(placedFact(row)).toBe(1_200_00);
  });
});
