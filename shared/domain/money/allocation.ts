// Applying a payment to what is owed, component by component in the contract's order (default: fees,
// penalty, interest, principal — DOMAIN.md). Whatever is left over is an overpayment, never lost.

export const COMPONENTS = ['fees', 'penalty', 'interest', 'principal'] as const;
export type Component = (typeof COMPONENTS)[number];
export type Amounts = Record<Component, number>;

export const DEFAULT_ORDER: readonly Component[] = COMPONENTS;

export const zero = (): Amounts => ({ fees: 0, penalty: 0, interest: 0, principal: 0 });

export function total(a: Amounts): number {
  return a.fees + a.penalty + a.interest + a.principal;
}

/** How a payment of `paymentFen` splits over `owed`, in `order`; `over` is what exceeds everything owed. */
export function allocate(paymentFen: number, owed: Amounts, order: readonly Component[] = DEFAULT_ORDER): { applied: Amounts; remaining: Amounts; over: number } {
  if (!Number.isSafeInteger(paymentFen) || paymentFen < 0) throw new RangeError('a payment is a non-negative whole number of fen');
  if (new Set(order).size !== COMPONENTS.length || !order.every((c) => COMPONENTS.includes(c))) throw new RangeError('the order must name each component once');
  const applied = zero();
  const remaining = { ...owed };
  let left = paymentFen;
  for (const c of order) {
    const take = Math.min(left, Math.max(0, remaining[c]));
    applied[c] = take;
    remaining[c] -= take;
    left -= take;
  }
  return { applied, remaining, over: left };
}
