// The amount model of a placement (委案金额): what a case owed when it was placed, as a total and its
// components (principal, interest, penalty, late fee) that always sum to it. Lenders give it in one of
// four shapes — a total (逾期金额 / 委托金额), the components only, 剩余本金 only, or a total with components —
// and a total that disagrees with its components is settled by the lender's policy. Pure: the import's
// normaliser calls `resolveAmounts` once per row (no allocation unless a row disagrees).

export const AMOUNT_MISMATCH_POLICIES = ['principal_difference', 'reject_row'] as const;
export type AmountMismatchPolicy = (typeof AMOUNT_MISMATCH_POLICIES)[number];

/** How a row's total was formed. */
export const AMOUNT_BASES = ['total', 'components', 'remaining'] as const;
export type AmountBasis = (typeof AMOUNT_BASES)[number];

/** The fields that may give a case's debt: any one of them satisfies the required "overdue amount". */
export const TOTAL_FIELDS = ['overdueAmount', 'placementAmount'] as const;
export const COMPONENT_FIELDS = ['overduePrincipal', 'overdueInterest', 'overduePenalty', 'overdueLateFee'] as const;
export const AMOUNT_SOURCE_FIELDS: readonly string[] = [...TOTAL_FIELDS, ...COMPONENT_FIELDS, 'remainingPrincipal'];

/** True when the mapping gives the debt some way: a total, a component or 剩余本金. */
export function amountMapped(columns: Readonly<Record<string, number | null | undefined>>): boolean {
  return AMOUNT_SOURCE_FIELDS.some((k) => columns[k] !== null && columns[k] !== undefined);
}

/** The file's figures for one row, in fen (null: no column, or a blank cell). */
export interface RowAmounts {
  overdue: number | null;
  placement: number | null;
  principal: number | null;
  interest: number | null;
  penalty: number | null;
  lateFee: number | null;
  remaining: number | null;
}

/** What is stored: components that sum to `total` (a component the file did not give stays null = 0). */
export interface ResolvedAmounts {
  total: number;
  principal: number;
  interest: number | null;
  penalty: number | null;
  lateFee: number | null;
  basis: AmountBasis;
  /** The file's total and the sum of its components, when they disagreed and the difference went to principal. */
  mismatch: { totalFen: number; componentsFen: number } | null;
}

export type AmountOutcome =
  | ({ ok: true } & ResolvedAmounts)
  | { ok: false; field: string; reason: string; mismatch: { totalFen: number; componentsFen: number } | null };

const yuan = (fen: number) => {
  const s = String(Math.abs(fen)).padStart(3, '0');
  return `${fen < 0 ? '-' : ''}${s.slice(0, -2).replace(/\B(?=(\d{3})+$)/g, ',')}.${s.slice(-2)}`;
};

/**
 * The row's debt. A total with no principal column: the components explain part of it and the rest is
 * principal (they disagree only when the charges alone exceed the total). A total with a principal that
 * does not add up: under 'principal_difference' the principal becomes total − the other components (the
 * file's figures are reported), under 'reject_row' the row is refused; a principal that would go below
 * zero is refused under either.
 */
export function resolveAmounts(a: RowAmounts, policy: AmountMismatchPolicy): AmountOutcome {
  const { principal, interest, penalty, lateFee } = a;
  const others = (interest ?? 0) + (penalty ?? 0) + (lateFee ?? 0);
  const hasComponents = principal !== null || interest !== null || penalty !== null || lateFee !== null;
  if (a.overdue !== null && a.placement !== null && a.overdue !== a.placement) {
    return {
      ok: false,
      field: 'placementAmount',
      reason: `placement amount ${yuan(a.placement)} differs from the overdue amount ${yuan(a.overdue)}`,
      mismatch: null,
    };
  }
  const total = a.overdue ?? a.placement;
  if (total !== null) {
    if (!hasComponents) return { ok: true, total, principal: total, interest, penalty, lateFee, basis: 'total', mismatch: null };
    const sum = (principal ?? 0) + others;
    if (principal === null ? others <= total : sum === total) {
      return { ok: true, total, principal: total - others, interest, penalty, lateFee, basis: 'total', mismatch: null };
    }
    const mismatch = { totalFen: total, componentsFen: sum };
    const field = a.overdue !== null ? 'overdueAmount' : 'placementAmount';
    if (total - others < 0) {
      return { ok: false, field, reason: `components ${yuan(sum)} exceed the total ${yuan(total)}`, mismatch };
    }
    if (policy === 'reject_row') {
      return { ok: false, field, reason: `total ${yuan(total)} differs from its components ${yuan(sum)}`, mismatch };
    }
    return { ok: true, total, principal: total - others, interest, penalty, lateFee, basis: 'total', mismatch };
  }
  if (hasComponents) {
    return { ok: true, total: (principal ?? 0) + others, principal: principal ?? 0, interest, penalty, lateFee, basis: 'components', mismatch: null };
  }
  if (a.remaining !== null) {
    return { ok: true, total: a.remaining, principal: a.remaining, interest: null, penalty: null, lateFee: null, basis: 'remaining', mismatch: null };
  }
  return { ok: false, field: 'overdueAmount', reason: 'empty', mismatch: null };
}

/**
 * "= 逾期本金 + 逾期利息 + 罚息": how a total of this basis is formed from the file's columns (their headers).
 * `header(field)` gives a mapped field's column header, or null.
 */
export function amountFormula(basis: AmountBasis, header: (field: string) => string | null): string {
  const names =
    basis === 'total'
      ? [header('overdueAmount') ?? header('placementAmount')]
      : basis === 'components'
        ? COMPONENT_FIELDS.map(header)
        : [header('remainingPrincipal')];
  return `= ${names.filter((n): n is string => n !== null).join(' + ')}`;
}
