// Assignment rules (分案规则) as a pure function: which collector gets each selected case. No I/O, so
// the preview and the apply compute the same plan, and the rules can be property-tested.
import { MinHeap } from './heap.js';

export const ASSIGN_RULES = ['round_robin', 'balanced', 'by_bucket', 'by_region'] as const;
export type AssignRule = (typeof ASSIGN_RULES)[number];

/**
 * One case as positions, not named fields: the store hands over a million rows as arrays, and turning
 * each into an object first cost more than the whole plan. [id, amountFen, bucket, province, borrower]
 * where borrower is their identity across lenders and batches (the ID number). Longer rows fit too.
 */
export interface PlanCase {
  readonly 0: number;
  readonly 1: number;
  readonly 2: string | null;
  readonly 3: string | null;
  readonly 4: string;
}
const AMOUNT = 1;
const BUCKET = 2;
const PROVINCE = 3;
const BORROWER = 4;

export interface PlanCollector {
  id: number;
  /** Open cases they may still take (capacity minus open cases outside the selection). */
  capacityLeft: number;
  /** Outstanding amount of their open cases outside the selection: what "balanced" evens out. */
  loadFen: number;
  /** Buckets their team owns (by_bucket). */
  buckets: readonly string[];
  /** Provinces they cover (by_region). */
  regions: readonly string[];
  /** In the pool the manager chose; others only take a borrower they already hold (keep-together). */
  inPool: boolean;
}

export interface PlanOptions {
  rule: AssignRule;
  /** Keep each borrower's cases with one collector (in the selection, and with whoever holds the rest). */
  keepBorrower: boolean;
  /** Borrower → the collector holding their other open cases (outside the selection). */
  holders?: ReadonlyMap<string, number>;
  /** Buckets from least to most overdue: a borrower's cases go by their worst bucket. */
  bucketOrder?: readonly string[];
}

export type UnassignableReason = 'capacity' | 'no_team_for_bucket' | 'no_collector_for_region' | 'no_province' | 'no_bucket';

export interface Plan {
  /** Collector id per case, in the order of the input; 0 where no collector could take it. */
  to: Int32Array;
  /** Why cases stay unassigned, e.g. {reason: 'no_team_for_bucket', value: 'M3+', cases: 12}. */
  unassignable: { reason: UnassignableReason; value: string | null; cases: number }[];
}

/**
 * The units the rules place: one per case, or one per borrower when kept together. Columnar (typed
 * arrays, and the cases' own strings) because a million unit objects cost seconds in allocation alone.
 * Unit k's order of first appearance breaks ties, so the same input always gives the same plan.
 */
interface Units {
  count: number;
  /** Unit index of each case. */
  of: Int32Array;
  amount: Float64Array;
  size: Int32Array;
  /** Index of the unit's first case: its borrower and province. */
  first: Int32Array;
  /** A borrower's worst bucket where it differs from their first case's. */
  worst: Map<number, string | null>;
}

function buildUnits(cases: readonly PlanCase[], opts: PlanOptions): Units {
  const n = cases.length;
  const u: Units = { count: 0, of: new Int32Array(n), amount: new Float64Array(n), size: new Int32Array(n), first: new Int32Array(n), worst: new Map() };
  if (!opts.keepBorrower) {
    for (let i = 0; i < n; i++) {
      u.of[i] = i;
      u.amount[i] = cases[i]![AMOUNT];
      u.size[i] = 1;
      u.first[i] = i;
    }
    u.count = n;
    return u;
  }
  const severity = new Map((opts.bucketOrder ?? []).map((b, i) => [b, i]));
  const rank = (b: string | null) => severity.get(b ?? '') ?? -1;
  const byBorrower = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const c = cases[i]!;
    const k = byBorrower.get(c[BORROWER]);
    if (k !== undefined) {
      u.of[i] = k;
      u.amount[k] = u.amount[k]! + c[AMOUNT];
      u.size[k] = u.size[k]! + 1;
      if (rank(c[BUCKET]) > rank(bucketOfUnit(u, cases, k))) u.worst.set(k, c[BUCKET]);
      continue;
    }
    const nk = u.count++;
    u.of[i] = nk;
    u.amount[nk] = c[AMOUNT];
    u.size[nk] = 1;
    u.first[nk] = i;
    byBorrower.set(c[BORROWER], nk);
  }
  return u;
}

function bucketOfUnit(u: Units, cases: readonly PlanCase[], k: number): string | null {
  const w = u.worst.get(k);
  return w !== undefined ? w : cases[u.first[k]!]![BUCKET];
}

const PACK = 2 ** 21;
const MAX_PACKED_AMOUNT = 2 ** 32 - 1;

/** Unit indices by amount, largest first, ties by first appearance: a numeric sort of packed keys when they fit. */
function byAmountDesc(units: number[], amount: Float64Array): number[] {
  const fits = units.length < PACK && units.every((k) => k < PACK && amount[k]! <= MAX_PACKED_AMOUNT && Number.isInteger(amount[k]!));
  if (!fits) return units.sort((a, b) => amount[b]! - amount[a]! || a - b);
  const keys = new Float64Array(units.length);
  units.forEach((k, j) => (keys[j] = (MAX_PACKED_AMOUNT - amount[k]!) * PACK + k));
  keys.sort();
  return Array.from(keys, (key) => key % PACK);
}

/** Which group of collectors may take a unit under the rule ('' = everyone in the pool), or why none. */
function partitionOf(rule: AssignRule, bucket: string | null, province: string | null): string | UnassignableReason {
  if (rule === 'by_bucket') return bucket === null ? 'no_bucket' : `b:${bucket}`;
  if (rule === 'by_region') return province === null ? 'no_province' : `r:${province}`;
  return '';
}
const isKey = (p: string): boolean => p === '' || p.startsWith('b:') || p.startsWith('r:');

function eligible(rule: AssignRule, key: string, c: PlanCollector): boolean {
  if (!c.inPool) return false;
  if (rule === 'by_bucket') return c.buckets.includes(key.slice(2));
  if (rule === 'by_region') return c.regions.includes(key.slice(2));
  return true;
}

const NO_ONE_REASON: Partial<Record<AssignRule, UnassignableReason>> = { by_bucket: 'no_team_for_bucket', by_region: 'no_collector_for_region' };

export function planAssignment(cases: readonly PlanCase[], collectors: readonly PlanCollector[], opts: PlanOptions): Plan {
  const { rule } = opts;
  const u = buildUnits(cases, opts);
  // Borrowers someone already holds go first, so the room their collector has is kept for them.
  const heldFirst: number[] = [];
  const rest: number[] = [];
  for (let k = 0; k < u.count; k++) (opts.keepBorrower && opts.holders?.has(cases[u.first[k]!]![BORROWER]) ? heldFirst : rest).push(k);
  const order =
    rule === 'round_robin' ? [...heldFirst, ...rest] : [...byAmountDesc(heldFirst, u.amount), ...byAmountDesc(rest, u.amount)];

  const cap = collectors.map((c) => c.capacityLeft);
  const load = collectors.map((c) => c.loadFen);
  const version = new Int32Array(collectors.length);
  const indexOf = new Map(collectors.map((c, i) => [c.id, i]));

  // Partitions (groups of eligible collectors) as small integers; each collector's memberships.
  const partIndex = new Map<string, number>();
  const partKeys: string[] = [];
  const members: number[][] = [];
  const memberOf: number[][] = collectors.map(() => []);
  const unitPart = new Int32Array(u.count);
  const unitReason: (UnassignableReason | null)[] = [];
  for (let k = 0; k < u.count; k++) {
    const key = rule === 'by_bucket' || rule === 'by_region' ? partitionOf(rule, bucketOfUnit(u, cases, k), cases[u.first[k]!]![PROVINCE]) : '';
    if (!isKey(key)) {
      unitPart[k] = -1;
      unitReason[k] = key as UnassignableReason;
      continue;
    }
    let p = partIndex.get(key);
    if (p === undefined) {
      p = partKeys.length;
      partIndex.set(key, p);
      partKeys.push(key);
      const list: number[] = [];
      collectors.forEach((c, i) => {
        if (eligible(rule, key, c)) {
          list.push(i);
          memberOf[i]!.push(p!);
        }
      });
      list.sort((a, b) => collectors[a]!.id - collectors[b]!.id);
      members.push(list);
    }
    unitPart[k] = p;
  }

  // Balanced picks: one heap per partition keyed by load; entries of an older version are stale.
  const STRIDE = 1 << 16;
  const heaps: MinHeap[] = partKeys.map(() => new MinHeap());
  if (rule !== 'round_robin') members.forEach((list, p) => list.forEach((i) => heaps[p]!.push(load[i]!, collectors[i]!.id, i)));
  const rrNext = new Int32Array(partKeys.length);

  const pickBalanced = (p: number, size: number): number => {
    const heap = heaps[p]!;
    let setAside: number[] | null = null;
    let found = -1;
    while (heap.size > 0) {
      const val = heap.topVal();
      const i = val % STRIDE;
      if (Math.floor(val / STRIDE) !== version[i] || cap[i]! <= 0) {
        heap.pop(); // stale, or full for good
        continue;
      }
      if (cap[i]! < size) {
        (setAside ??= []).push(heap.topKey(), val); // full for this borrower's group, not for smaller ones
        heap.pop();
        continue;
      }
      found = i;
      break;
    }
    if (setAside) for (let j = 0; j < setAside.length; j += 2) heap.push(setAside[j]!, collectors[setAside[j + 1]! % STRIDE]!.id, setAside[j + 1]!);
    return found;
  };

  const pickRoundRobin = (p: number, size: number): number => {
    const list = members[p]!;
    const start = rrNext[p]!;
    for (let k = 0; k < list.length; k++) {
      const pos = (start + k) % list.length;
      const i = list[pos]!;
      if (cap[i]! >= size) {
        rrNext[p] = pos + 1;
        return i;
      }
    }
    return -1;
  };

  const reasons = new Map<string, { reason: UnassignableReason; value: string | null; cases: number }>();
  const refuse = (reason: UnassignableReason, value: string | null, n: number) => {
    const key = `${reason}\u0000${value}`;
    const r = reasons.get(key) ?? { reason, value, cases: 0 };
    r.cases += n;
    reasons.set(key, r);
  };

  const unitTo = new Int32Array(u.count);
  for (let o = 0; o < u.count; o++) {
    const k = order[o]!;
    const size = u.size[k]!;
    let chosen = -1;
    let fromHeap = -1;
    // Keep-together first: the collector already holding this borrower, if they have room.
    const holder = opts.keepBorrower ? opts.holders?.get(cases[u.first[k]!]![BORROWER]) : undefined;
    if (holder !== undefined) {
      const i = indexOf.get(holder);
      if (i !== undefined && cap[i]! >= size) chosen = i;
    }
    if (chosen < 0) {
      const p = unitPart[k]!;
      if (p < 0) {
        refuse(unitReason[k]!, null, size);
        continue;
      }
      if (members[p]!.length === 0) {
        refuse(NO_ONE_REASON[rule] ?? 'capacity', partKeys[p]!.slice(2) || null, size);
        continue;
      }
      chosen = rule === 'round_robin' ? pickRoundRobin(p, size) : pickBalanced(p, size);
      if (chosen < 0) {
        refuse('capacity', null, size);
        continue;
      }
      fromHeap = rule === 'round_robin' ? -1 : p;
    }
    unitTo[k] = collectors[chosen]!.id;
    cap[chosen] = cap[chosen]! - size;
    load[chosen] = load[chosen]! + u.amount[k]!;
    version[chosen] = version[chosen]! + 1;
    if (rule === 'round_robin') continue;
    const val = version[chosen]! * STRIDE + chosen;
    for (const p of memberOf[chosen]!) {
      // The heap it came from has it on top: update in place; elsewhere its old entry turns stale.
      if (p === fromHeap) {
        if (cap[chosen]! > 0) heaps[p]!.replaceTop(load[chosen]!, val);
        else heaps[p]!.pop();
      } else if (cap[chosen]! > 0) heaps[p]!.push(load[chosen]!, collectors[chosen]!.id, val);
    }
  }

  const to = new Int32Array(cases.length);
  for (let i = 0; i < cases.length; i++) to[i] = unitTo[u.of[i]!]!;
  return { to, unassignable: [...reasons.values()] };
}

/** (max − min) / mean of the collectors' totals: 0 is perfectly even. 0 for fewer than two. */
export function spreadOf(totals: readonly number[]): number {
  if (totals.length < 2) return 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const t of totals) {
    min = Math.min(min, t);
    max = Math.max(max, t);
    sum += t;
  }
  const mean = sum / totals.length;
  return mean === 0 ? 0 : (max - min) / mean;
}
