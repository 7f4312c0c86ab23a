// The assignment rules' properties over random portfolios and staff: every case placed at most once and
// only with an eligible collector, capacity never exceeded, borrowers kept together, balance within bound.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { planAssignment, spreadOf, type PlanCase, type PlanCollector, type AssignRule } from '../../../shared/domain/assignment/plan.js';

const BUCKETS = ['M1', 'M2', 'M3', 'M3+'];
const PROVINCES = ['北京', '上海', '广东', '浙江'];

// A borrower's province comes from their ID number, so all their cases share it.
const caseArb = fc
  .record({ amountFen: fc.integer({ min: 0, max: 5_000_000 }), bucket: fc.constantFrom(...BUCKETS), n: fc.integer({ min: 0, max: 40 }) })
  .map(({ amountFen, bucket, n }) => ({ amountFen, bucket, province: PROVINCES[n % PROVINCES.length]!, borrower: `B${n}` }));
const cases = (n: { min: number; max: number }) =>
  fc.array(caseArb, { minLength: n.min, maxLength: n.max }).map((xs) => xs.map((c, i): PlanCase => [i + 1, c.amountFen, c.bucket, c.province, c.borrower]));
const collectorArb = fc.record({
  capacityLeft: fc.integer({ min: 0, max: 60 }),
  loadFen: fc.integer({ min: 0, max: 2_000_000 }),
  buckets: fc.subarray(BUCKETS),
  regions: fc.subarray(PROVINCES),
  inPool: fc.boolean(),
});
const collectors = fc.array(collectorArb, { minLength: 1, maxLength: 12 }).map((xs) => xs.map((c, i): PlanCollector => ({ id: 100 + i, ...c })));
const rules = fc.constantFrom<AssignRule>('round_robin', 'balanced', 'by_bucket', 'by_region');

function byCollector(to: Int32Array): Map<number, number[]> {
  const m = new Map<number, number[]>();
  to.forEach((c, i) => c && m.set(c, [...(m.get(c) ?? []), i]));
  return m;
}

describe('planAssignment properties', () => {
  it('never exceeds capacity, uses only eligible pool collectors, and accounts for every case', () => {
    fc.assert(
      fc.property(cases({ min: 0, max: 120 }), collectors, rules, fc.boolean(), (cs, cols, rule, keepBorrower) => {
        const plan = planAssignment(cs, cols, { rule, keepBorrower, bucketOrder: BUCKETS });
        const byId = new Map(cols.map((c) => [c.id, c]));
        for (const [cid, idx] of byCollector(plan.to)) {
          const c = byId.get(cid)!;
          expect(c.inPool).toBe(true);
          expect(idx.length).toBeLessThanOrEqual(c.capacityLeft);
          if (rule === 'by_region') for (const i of idx) expect(c.regions).toContain(cs[i]![3]);
          if (rule === 'by_bucket' && !keepBorrower) for (const i of idx) expect(c.buckets).toContain(cs[i]![2]);
        }
        const placed = plan.to.filter((c) => c !== 0).length;
        const refused = plan.unassignable.reduce((n, u) => n + u.cases, 0);
        expect(placed + refused).toBe(cs.length);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps each borrower with one collector, and with the collector already holding them', () => {
    fc.assert(
      fc.property(cases({ min: 1, max: 120 }), collectors, rules, (cs, cols, rule) => {
        const holder = cols[0]!;
        const holders = new Map([['B0', holder.id]]);
        const plan = planAssignment(cs, cols, { rule, keepBorrower: true, holders, bucketOrder: BUCKETS });
        const owner = new Map<string, number>();
        cs.forEach((c, i) => {
          const to = plan.to[i]!;
          if (owner.has(c[4])) expect(to).toBe(owner.get(c[4]));
          owner.set(c[4], to);
        });
        const b0 = cs.filter((c) => c[4] === 'B0').length;
        if (b0 > 0 && b0 <= holder.capacityLeft) expect(owner.get('B0')).toBe(holder.id);
      }),
      { numRuns: 300 },
    );
  });

  it('balanced: totals end within the largest single case of each other when capacity is ample', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 15 }),
        (amounts, k) => {
          const cs = amounts.map((amountFen, i): PlanCase => [i + 1, amountFen, 'M1', '北京', `B${i}`]);
          const cols = Array.from({ length: k }, (_, i): PlanCollector => ({ id: i + 1, capacityLeft: 10_000, loadFen: 0, buckets: [], regions: [], inPool: true }));
          const plan = planAssignment(cs, cols, { rule: 'balanced', keepBorrower: true });
          const totals = new Array<number>(k).fill(0);
          plan.to.forEach((c, i) => (totals[c - 1]! += amounts[i]!));
          // Greedy on the least-loaded collector, largest case first: the gap never exceeds one case.
          expect(Math.max(...totals) - Math.min(...totals)).toBeLessThanOrEqual(Math.max(...amounts));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('balanced: evens out existing loads first', () => {
    const cs = Array.from({ length: 10 }, (_, i): PlanCase => [i + 1, 100, null, null, `B${i}`]);
    const cols: PlanCollector[] = [
      { id: 1, capacityLeft: 100, loadFen: 1000, buckets: [], regions: [], inPool: true },
      { id: 2, capacityLeft: 100, loadFen: 0, buckets: [], regions: [], inPool: true },
    ];
    const plan = planAssignment(cs, cols, { rule: 'balanced', keepBorrower: false });
    expect([...plan.to].filter((c) => c === 2)).toHaveLength(10);
  });

  it('round robin: counts differ by at most one without capacity limits or groups', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 20 }), (n, k) => {
        const cs = Array.from({ length: n }, (_, i): PlanCase => [i + 1, i * 37, 'M1', null, `B${i}`]);
        const cols = Array.from({ length: k }, (_, i): PlanCollector => ({ id: i + 1, capacityLeft: 1000, loadFen: 0, buckets: [], regions: [], inPool: true }));
        const plan = planAssignment(cs, cols, { rule: 'round_robin', keepBorrower: false });
        const counts = new Array<number>(k).fill(0);
        plan.to.forEach((c) => counts[c - 1]!++);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        expect(plan.to[0]).toBe(n > 0 ? 1 : undefined);
      }),
    );
  });

  it('names why cases stay unassigned', () => {
    const cs: PlanCase[] = [
      [1, 5, 'M3+', '西藏', 'x'],
      [2, 5, null, null, 'y'],
      [3, 5, 'M1', '北京', 'z'],
      [4, 5, 'M1', '北京', 'w'],
    ];
    const cols: PlanCollector[] = [{ id: 9, capacityLeft: 1, loadFen: 0, buckets: ['M1'], regions: ['北京'], inPool: true }];
    expect(planAssignment(cs, cols, { rule: 'by_bucket', keepBorrower: false }).unassignable).toEqual([
      { reason: 'no_team_for_bucket', value: 'M3+', cases: 1 },
      { reason: 'no_bucket', value: null, cases: 1 },
      { reason: 'capacity', value: null, cases: 1 },
    ]);
    expect(planAssignment(cs, cols, { rule: 'by_region', keepBorrower: false }).unassignable).toEqual([
      { reason: 'no_collector_for_region', value: '西藏', cases: 1 },
      { reason: 'no_province', value: null, cases: 1 },
      { reason: 'capacity', value: null, cases: 1 },
    ]);
  });

  it("a borrower's group too big for a collector's remaining room goes to one with room", () => {
    const cs: PlanCase[] = [1, 2, 3].map((id): PlanCase => [id, 10, 'M1', null, 'same']);
    const cols: PlanCollector[] = [
      { id: 1, capacityLeft: 2, loadFen: 0, buckets: [], regions: [], inPool: true },
      { id: 2, capacityLeft: 3, loadFen: 500, buckets: [], regions: [], inPool: true },
    ];
    expect([...planAssignment(cs, cols, { rule: 'balanced', keepBorrower: true }).to]).toEqual([2, 2, 2]);
    expect([...planAssignment(cs, cols, { rule: 'balanced', keepBorrower: false }).to].sort()).toEqual([1, 1, 2]);
  });

  it('spreadOf', () => {
    expect(spreadOf([100, 100, 100])).toBe(0);
    expect(spreadOf([90, 110])).toBeCloseTo(0.2);
    expect(spreadOf([5])).toBe(0);
    expect(spreadOf([0, 0])).toBe(0);
  });
});
