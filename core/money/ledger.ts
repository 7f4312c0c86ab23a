// A case's money from the store: its terms (the case's own over the lender's over the defaults), what was
// placed, payments net of reversals, the waivers and freezes of its approved plans, and so its balance.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { BalanceView } from '../../shared/contract/money.js';
import { balanceOn, DEFAULT_TERMS, type ContractTerms, type Freeze, type MoneyEvent } from '../../shared/domain/money/balance.js';
import { zero, type Amounts } from '../../shared/domain/money/allocation.js';
import { DEFAULT_APPROVAL, type ApprovalLimits } from '../../shared/domain/money/plans.js';
import { dayIn } from '../../shared/domain/casework/today.js';
import type { Ctx } from '../context.js';
import type { MoneyCase, PaymentRow, PlanRow } from '../../db/repos/money.js';

/** The agency's calendar day now (Asia/Shanghai). */
export const today = (ctx: Ctx): string => dayIn(ctx.now());

/** The case, if this user may read it: a collector only their own (others look like missing ones). */
export function moneyCaseFor(ctx: Ctx, id: number): MoneyCase {
  const c = ctx.store.repos.money.moneyCase(id);
  if (!c || (ctx.user!.role === 'collector' && c.collector_id !== ctx.user!.id)) throw new ApiFailure('NOT_FOUND', `No case with id ${id}.`);
  return c;
}

export const lenderTerms = (json: string): ContractTerms => ({ ...DEFAULT_TERMS, ...(JSON.parse(json) as Partial<ContractTerms>) });
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
export function openingOf(c: MoneyCase): Amounts {
  const placed = c.placement_amount_fen ?? c.overdue_amount_fen;
  const interest = c.overdue_interest_fen ?? 0;
  const penalty = c.overdue_penalty_fen ?? 0;
  const fees = c.overdue_late_fee_fen ?? 0;
  const principal = c.overdue_principal_fen ?? Math.max(0, placed - interest - penalty - fees);
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
  const events: MoneyEvent[] = [...waivers.filter((w) => w.date <= asOf), ...payments.map((p): MoneyEvent => ({ date: p.paid_on, kind: 'payment', fen: p.amount_fen, id: p.id }))];
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
    frozen: freezes.some((f) => f.from <= asOf && (f.until === null || asOf < f.until)),
    allocations: b.allocations.map((a) => ({ paymentId: a.id!, date: a.date, fen: a.fen, applied: a.applied, over: a.over })),
  };
}
