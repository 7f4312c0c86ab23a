// A case's money from the store: its terms (the case's own over the lender's over the defaults), what was
// placed, payments net of reversals, the waivers and freezes of its approved plans, and so its balance.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { BalanceView } from '../../shared/contract/money.js';
import { balanceOn, NO_CHARGES, type ContractTerms, type Freeze, type MoneyEvent } from '../../shared/domain/money/balance.js';
import { zero, type Amounts } from '../../shared/domain/money/allocation.js';
import { DEFAULT_APPROVAL, type ApprovalLimits } from '../../shared/domain/money/plans.js';
import { dayIn } from '../../shared/domain/casework/today.js';
import type { Ctx } from '../context.js';
import { placedFenOf } from '../../shared/domain/money/placed.js';
import type { MoneyCase, MoneyRepo, PaymentRow, PlanRow } from '../../db/repos/money.js';

/** The agency's calendar day now (Asia/Shanghai). */
export const today = (ctx: Ctx): string => dayIn(ctx.now());

/** The case, if this user may read it: a collector only their own (others look like missing ones). Reached
 *  through a child (`child` = e.g. "payment with id 7"), the refusal names the child, never the case's id. */
export function moneyCaseFor(ctx: Ctx, id: number, child?: string): MoneyCase {
  const c = ctx.store.repos.money.moneyCase(id);
  if (!c || (ctx.user!.role === 'collector' && c.collector_id !== ctx.user!.id)) throw new ApiFailure('NOT_FOUND', child ? `No ${child}.` : `No case with id ${id}.`);
  return c;
}

/** A lender's stored terms over "no charges": a lender whose terms nobody entered accrues nothing (migration 012). */
export const lenderTerms = (json: string): ContractTerms => ({ ...NO_CHARGES, ...(JSON.parse(json) as Partial<ContractTerms>) });
export const approvalOf = (json: string): ApprovalLimits => ({ ...DEFAULT_APPROVAL, ...(JSON.parse(json) as Partial<ApprovalLimits>) });

// Parsed terms by their JSON: a report over a million cases parses each lender's terms once.
const parsedTerms = new Map<string, { terms: ContractTerms; own: boolean }>();

export function termsOf(c: MoneyCase): { terms: ContractTerms; own: boolean } {
  const key = `${c.lender_terms}\u0000${c.terms}`;
  let t = parsedTerms.get(key);
  if (!t) {
    const own = JSON.parse(c.terms) as Partial<ContractTerms>;
    t = { terms: { ...lenderTerms(c.lender_terms), ...own }, own: Object.keys(own).length > 0 };
    if (parsedTerms.size > 10_000) parsedTerms.clear();
    parsedTerms.set(key, t);
  }
  return t;
}

/**
 * What was owed on the placement date: the file's principal / interest / penalty / late fee split where it
 * gave one; whatever of the placed amount the split does not explain counts as principal.
 */
export { placedFenOf };

export function openingOf(c: MoneyCase): Amounts {
  const placed = placedFenOf(c);
  const interest = c.overdue_interest_fen ?? 0;
  const penalty = c.overdue_penalty_fen ?? 0;
  const fees = c.overdue_late_fee_fen ?? 0;
  // The components sum to the placed total: principal is what the charges leave of it, whatever principal
  // was stored (imports store exactly that since issue 15; migration 011 repaired older rows). Only
  // charges that alone exceed the total (never imported so) leave principal at 0.
  const principal = Math.max(0, placed - interest - penalty - fees);
  return { fees, penalty, interest, principal };
}

/** What the ledger reads of a payment. */
export type LedgerPayment = Pick<PaymentRow, 'id' | 'paid_on' | 'amount_fen' | 'reverses_id' | 'reversed_by_id'>;

/** Payments that stand: neither reversed nor reversals. */
export const standing = <P extends LedgerPayment>(payments: readonly P[]): P[] => payments.filter((p) => p.reverses_id === null && p.reversed_by_id === null);

export const waiverOf = (p: PlanRow): Amounts => ({ ...zero(), ...(JSON.parse(p.waiver) as Partial<Amounts>) });

/** An approved plan (running or completed) waives its amounts from its balance date and freezes charges while it runs. */
function planEffects(plans: readonly PlanRow[]): { waivers: MoneyEvent[]; freezes: Freeze[] } {
  const waivers: MoneyEvent[] = [];
  const freezes: Freeze[] = [];
  for (const p of plans) {
    if (p.status === 'active' || p.status === 'completed') {
      waivers.push({ date: p.as_of, kind: 'waiver', amounts: waiverOf(p) });
      freezes.push({ from: p.as_of, until: p.ended_on });
    } else if (p.status === 'broken') {
      // A broken plan's waiver is void (it was granted on condition of the plan); the charges it froze
      // while it ran are not charged afterwards.
      freezes.push({ from: p.as_of, until: p.ended_on });
    }
  }
  return { waivers, freezes };
}

/** The case's balance at the start of `asOf`. */
export function balanceOf(ctx: Ctx, c: MoneyCase, asOf: string): BalanceView {
  const r = ctx.store.repos.money;
  if (asOf < c.placed_on) throw new ApiFailure('BAD_INPUT', `The case was placed on ${c.placed_on}: no balance before that.`);
  return balanceFrom(c, r.paymentsOf(c.id), r.plansOf(c.id), asOf);
}

/** The balance from the case's rows (its payments and plans, as read in bulk by reports). `asOf` ≥ placement. */
export function balanceFrom(c: MoneyCase, allPayments: readonly LedgerPayment[], plans: readonly PlanRow[], asOf: string): BalanceView {
  const { terms, own } = termsOf(c);
  const payments = standing(allPayments).filter((p) => p.paid_on >= c.placed_on && p.paid_on <= asOf);
  const { waivers, freezes } = planEffects(plans);
  // Waivers first: on a plan's balance date its waiver applies before that day's payments (the sort is
  // stable), so a waiver never finds its component already paid off.
  // A plan made before a re-placement is in the lender's new figures already, like the payments before it.
  const events: MoneyEvent[] = [...waivers.filter((w) => w.date <= asOf && w.date >= c.placed_on), ...payments.map((p): MoneyEvent => ({ date: p.paid_on, kind: 'payment', fen: p.amount_fen, id: p.id }))];
  const opening = openingOf(c);
  const b = balanceOn(terms, { date: c.placed_on, owed: opening }, events, asOf, freezes);
  return {
    caseId: c.id,
    asOf,
    placedOn: c.placed_on,
    opening,
    owed: b.owed,
    paid: b.paid,
    waived: b.waived,
    accrued: b.accrued,
    outstanding: b.outstanding,
    overpaid: b.overpaid,
    terms: { ...terms, order: [...terms.order] },
    caseTerms: own,
    // Terms someone entered: the lender's (lenders.terms_set) or the case's own. Unknown in report rows: true.
    termsSet: own || c.lender_terms_set !== 0,
    placedFen: placedFenOf(c),
    frozen: freezes.some((f) => f.from <= asOf && (f.until === null || asOf < f.until)),
    allocations: b.allocations.map((a) => ({ paymentId: a.id!, date: a.date, fen: a.fen, applied: a.applied, over: a.over })),
  };
}

/**
 * The outstanding balance of a case on `day` (today in every caller but tests): THE figure every screen,
 * message, letter and report states. A case placed after `day` (a placement date ahead) shows its opening.
 */
export function outstandingOn(money: MoneyRepo, caseId: number, day: string): BalanceView | null {
  const c = money.moneyCase(caseId);
  if (!c) return null;
  const rows = money.ledgerRowsOf(caseId);
  return balanceFrom(c, rows.payments, rows.plans, day < c.placed_on ? c.placed_on : day);
}

/**
 * Stores the case's outstanding on `day` (the list sorts and filters on it; see migration 012), or NULL when
 * nothing happened to it since placement (the placed total stands). Called in the transaction of every
 * payment, reversal, plan decision or end, change of terms and re-placement.
 */
export function refreshOutstanding(money: MoneyRepo, caseId: number, day: string): void {
  if (!money.hasMoneyRows(caseId)) return money.setOutstanding(caseId, null);
  const b = outstandingOn(money, caseId, day);
  if (b) money.setOutstanding(caseId, b.outstanding);
}

/** refreshOutstanding for the current user's day. */
export const refreshCase = (ctx: Ctx, caseId: number): void => refreshOutstanding(ctx.store.repos.money, caseId, today(ctx));

/** Stores the outstanding of every case with money rows once (stores migrated to 012 with payments already in them). */
export function backfillOutstanding(ctx: Ctx): void {
  const r = ctx.store.repos;
  if (r.meta.get('outstanding_backfill') !== 'pending') return;
  const day = today(ctx);
  // One pass over every payment and approved plan (a case at a time would read them through 3 queries each).
  const group = <T extends { case_id: number }>(rows: T[]) => {
    const m = new Map<number, T[]>();
    for (const x of rows) (m.get(x.case_id) ?? m.set(x.case_id, []).get(x.case_id)!).push(x);
    return m;
  };
  r.db.transaction(() => {
    const payments = group(r.money.allPayments());
    const plans = group(r.money.allApprovedPlans());
    for (const id of new Set([...payments.keys(), ...plans.keys()])) {
      const c = r.money.moneyCase(id);
      if (c) r.money.setOutstanding(id, balanceFrom(c, payments.get(id) ?? [], plans.get(id) ?? [], day < c.placed_on ? c.placed_on : day).outstanding);
    }
    r.meta.set('outstanding_backfill', 'done');
  })();
}

/** The money figures a case view shows (cases.get): today's outstanding, the placed amount, and whether terms were entered. */
export function caseFigures(ctx: Ctx, caseId: number): { outstandingFen: number; placedFen: number; termsSet: boolean } {
  const b = outstandingOn(ctx.store.repos.money, caseId, today(ctx))!;
  return { outstandingFen: b.outstanding, placedFen: b.placedFen, termsSet: b.termsSet };
}
