// A case's balance on any date, from the lender's contract terms: penalty interest accrued day by day on
// what is overdue, late fees per period, caps (an annualised rate and a total), waivers and payments
// (allocated in the contract's order). Integer fen throughout; the fractions of a fen that daily
// accrual produces are carried, not rounded away each day, so 10 days at 0.1665 fen make 1 fen.
import { allocate, DEFAULT_ORDER, zero, type Amounts, type Component } from './allocation.js';

export interface ContractTerms {
  /** Penalty interest per day on overdue principal, parts per million (0.05 % a day = 500). */
  penaltyPpmPerDay: number;
  /** Charge penalty on overdue interest too. */
  penaltyOnInterest: boolean;
  /** A late fee: a fixed sum, or parts per million of the overdue principal when charged. */
  lateFee: { kind: 'fixed'; fen: number } | { kind: 'percent'; ppm: number } | null;
  /** Charge it once (on the first day) or every N days after placement. */
  lateFeeEveryDays: number | 'once';
  /** Cap on all charges accrued after placement, as an annualised rate on the placed principal (24 % = 240,000). */
  aprCapPpm: number | null;
  /** Cap on all charges accrued after placement, in fen. */
  maxChargesFen: number | null;
  order: readonly Component[];
}

/**
 * What applies to a lender whose contract terms nobody entered: nothing accrues (no penalty, no fee), so no
 * charge the contract may not allow is ever stated to a borrower or a lender. Stored terms merge over this.
 */
export const NO_CHARGES: ContractTerms = Object.freeze({
  penaltyPpmPerDay: 0,
  penaltyOnInterest: false,
  lateFee: null,
  lateFeeEveryDays: 'once',
  aprCapPpm: null,
  maxChargesFen: null,
  order: DEFAULT_ORDER,
});

/**
 * The terms suggested when a lender's terms are entered (0.05 % a day on overdue principal, 24 % APR cap).
 * Until migration 012 they applied silently to every lender; now only to lenders who have them.
 */
export const DEFAULT_TERMS: ContractTerms = Object.freeze({
  penaltyPpmPerDay: 500,
  penaltyOnInterest: false,
  lateFee: null,
  lateFeeEveryDays: 'once',
  aprCapPpm: 240_000,
  maxChargesFen: null,
  order: DEFAULT_ORDER,
});

/** What the placement file said was owed on the placement date. */
export interface Opening {
  date: string;
  owed: Amounts;
}

export type MoneyEvent = { date: string; kind: 'payment'; fen: number; id?: number } | { date: string; kind: 'waiver'; amounts: Partial<Amounts> };

/** Days on which nothing accrues (an approved plan freezes penalty and fees): from `from` up to, not including, `until`. */
export interface Freeze {
  from: string;
  until: string | null;
}

/** How one payment was applied. */
export interface Allocation {
  id?: number;
  date: string;
  fen: number;
  applied: Amounts;
  over: number;
}

export interface Balance {
  owed: Amounts;
  paid: Amounts;
  waived: Amounts;
  /** Penalty and fees accrued since placement (after caps). */
  accrued: { penalty: number; fees: number };
  outstanding: number;
  /** Paid beyond everything owed: kept, to refund or apply. */
  overpaid: number;
  /** Each payment and what it paid, in the order applied. */
  allocations: Allocation[];
}

const DAY = 86_400_000;
/** Days since 1970 of a YYYY-MM-DD date, cached: a report asks for the same few dates a million times. */
function dayNo(d: string): number {
  let n = dayNos.get(d);
  if (n === undefined) {
    if (dayNos.size >= 10_000) dayNos.clear();
    dayNos.set(d, (n = Date.parse(`${d}T00:00:00Z`) / DAY));
  }
  return n;
}
const dayNos = new Map<string, number>();

/** The balance at the start of `date` (charges for `date` itself not yet accrued). */
export function balanceOn(terms: ContractTerms, opening: Opening, events: readonly MoneyEvent[], date: string, freezes: readonly Freeze[] = []): Balance {
  const start = dayNo(opening.date);
  const end = dayNo(date);
  if (end < start) throw new RangeError('a balance before the placement date is not known');
  const quick = events.length === 0 && freezes.length === 0 && terms.lateFee === null ? untouched(terms, opening, end - start) : null;
  if (quick) return quick;
  const owed = { ...opening.owed };
  const paid = zero();
  const waived = zero();
  const accrued = { penalty: 0, fees: 0 };
  let overpaid = 0;
  const allocations: Allocation[] = [];
  const frozen = freezes.map((f) => [dayNo(f.from), f.until === null ? Infinity : dayNo(f.until)] as const);
  let carry = 0; // millionths of a fen of penalty not yet a whole fen
  const byDay = new Map<number, MoneyEvent[]>();
  for (const e of [...events].sort((a, b) => a.date.localeCompare(b.date))) {
    const d = dayNo(e.date);
    if (d < start || d > end) throw new RangeError(`event on ${e.date} is outside ${opening.date} … ${date}`);
    byDay.set(d, [...(byDay.get(d) ?? []), e]);
  }
  const capAllowed = (elapsedDays: number) => {
    let cap = Infinity;
    if (terms.aprCapPpm !== null) cap = Math.floor((opening.owed.principal * terms.aprCapPpm * elapsedDays) / (365 * 1_000_000));
    if (terms.maxChargesFen !== null) cap = Math.min(cap, terms.maxChargesFen);
    return cap;
  };
  // Charges the caps hold back are not lost: they wait, oldest first, and are charged as the allowance
  // grows with time (so on any date the charges are the uncapped ones, or the cap, whichever is less).
  const held: { kind: 'penalty' | 'fees'; fen: number }[] = [];
  const charge = (kind: 'penalty' | 'fees', fen: number, elapsedDays: number) => {
    if (fen > 0) held.push({ kind, fen });
    if (held.length === 0) return; // most days of most cases: nothing to charge (reports run this a hundred million times)
    let room = Math.max(0, capAllowed(elapsedDays) - accrued.penalty - accrued.fees);
    while (room > 0 && held.length) {
      const h = held[0]!;
      const take = Math.min(h.fen, room);
      accrued[h.kind] += take;
      owed[h.kind] += take;
      room -= take;
      h.fen -= take;
      if (h.fen === 0) held.shift();
    }
  };

  // Without late fees or freezes, the days between two events all accrue on the same base and charge only
  // penalty: they are added up at once (a case paid once in 90 days takes 2 steps, not 90). The sum is the
  // loop's exactly: the carried millionths telescope, and the caps only ever grow, so after any day the
  // penalty charged is min(cap, everything due so far) — the unit tests hold the two to equality.
  const stretches = terms.lateFee === null && frozen.length === 0;
  const eventDays = [...byDay.keys()].sort((a, b) => a - b);
  let nextEvent = 0;
  const accrueUntil = (d: number, until: number): boolean => {
    const base = owed.principal + (terms.penaltyOnInterest ? owed.interest : 0);
    const due = carry + (until - d) * base * terms.penaltyPpmPerDay;
    if (base < 0 || !Number.isSafeInteger(due)) return false;
    const whole = Math.floor(due / 1_000_000);
    carry = due - whole * 1_000_000;
    // One charge against the cap of the stretch's last day: what the daily charges would have come to.
    charge('penalty', whole, until - start);
    return true;
  };

  for (let d = start; d <= end; d++) {
    // The day's payments and waivers first (a payment on day d stops that day's penalty on what it paid).
    const todays = byDay.get(d);
    if (todays !== undefined) for (const e of todays) {
      if (e.kind === 'payment') {
        const r = allocate(e.fen, owed, terms.order);
        for (const c of terms.order) {
          paid[c] += r.applied[c];
          owed[c] = r.remaining[c];
        }
        overpaid += r.over;
        allocations.push({ ...(e.id === undefined ? {} : { id: e.id }), date: e.date, fen: e.fen, applied: r.applied, over: r.over });
      } else {
        for (const [c, fen] of Object.entries(e.amounts) as [Component, number][]) {
          const take = Math.min(fen, owed[c]);
          waived[c] += take;
          owed[c] -= take;
        }
      }
    }
    if (d === end) break;
    if (frozen.length > 0 && frozen.some(([a, b]) => d >= a && d < b)) continue;
    if (stretches) {
      while (nextEvent < eventDays.length && eventDays[nextEvent]! <= d) nextEvent++;
      const until = nextEvent < eventDays.length ? eventDays[nextEvent]! : end;
      if (accrueUntil(d, until)) {
        d = until - 1; // the loop goes on with the next event's day
        continue;
      }
    }
    const elapsed = d - start + 1;
    if (terms.lateFee && (terms.lateFeeEveryDays === 'once' ? d === start : elapsed % terms.lateFeeEveryDays === 0)) {
      charge('fees', terms.lateFee.kind === 'fixed' ? terms.lateFee.fen : Math.floor((owed.principal * terms.lateFee.ppm) / 1_000_000), elapsed);
    }
    const base = owed.principal + (terms.penaltyOnInterest ? owed.interest : 0);
    carry += base * terms.penaltyPpmPerDay;
    const whole = Math.floor(carry / 1_000_000);
    carry -= whole * 1_000_000;
    charge('penalty', whole, elapsed);
  }
  return { owed, paid, waived, accrued, outstanding: owed.fees + owed.penalty + owed.interest + owed.principal, overpaid, allocations };
}

/**
 * The same result without the day loop, for a case nothing happened to (no payment, waiver, freeze or
 * late fee): the carried daily penalty sums to floor(days × base × rate), and the held-back cap model
 * charges min(uncapped, cap) — both proved equal to the loop in the unit tests. Null when the product
 * would leave exact integer range (then the loop runs).
 */
function untouched(terms: ContractTerms, opening: Opening, days: number): Balance | null {
  const base = opening.owed.principal + (terms.penaltyOnInterest ? opening.owed.interest : 0);
  const product = base * terms.penaltyPpmPerDay * days;
  if (!Number.isSafeInteger(product) || base < 0) return null;
  let penalty = Math.floor(product / 1_000_000);
  if (terms.aprCapPpm !== null) {
    const capProduct = opening.owed.principal * terms.aprCapPpm * days;
    if (!Number.isSafeInteger(capProduct)) return null;
    penalty = Math.min(penalty, Math.floor(capProduct / (365 * 1_000_000)));
  }
  if (terms.maxChargesFen !== null) penalty = Math.min(penalty, terms.maxChargesFen);
  penalty = Math.max(0, penalty);
  const owed = { ...opening.owed, penalty: opening.owed.penalty + penalty };
  return {
    owed,
    paid: zero(),
    waived: zero(),
    accrued: { penalty, fees: 0 },
    outstanding: owed.fees + owed.penalty + owed.interest + owed.principal,
    overpaid: 0,
    allocations: [],
  };
}
