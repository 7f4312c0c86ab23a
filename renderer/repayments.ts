// Repayment helpers for the screens: rates in ppm as percentages, the commission statement as CSV rows,
// rejection reasons in the UI language.
import type { TFunction } from 'i18next';
import { rejectionReason } from './rejectionReasons.js';
import type { CommissionStatement, Reconciliation } from '../shared/contract/repayments.js';
import { formatFen } from '../shared/domain/placement/money.js';

/** 150000 ppm → '15%', 333333 → '33.3333%'. */
export function formatPpm(ppm: number): string {
  const whole = Math.floor(ppm / 10_000);
  const frac = String(ppm % 10_000).padStart(4, '0').replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''}%`;
}

/** The statement as the CSV a lender gets: one line per payment, then the totals (amounts in yuan). */
export function commissionCsv(st: CommissionStatement, header: string[], sourceName: (s: string) => string, totalLabel: string): (string | number)[][] {
  return [
    header,
    ...st.lines.map((l) => [l.paidOn, l.caseNo, sourceName(l.source), l.daysOverdue ?? '', formatPpm(l.ratePpm), formatFen(l.amountFen), formatFen(l.commissionFen)]),
    [totalLabel, '', '', '', '', formatFen(st.recoveredFen), formatFen(st.commissionFen)],
  ];
}

/**
 * A reconciliation as CSV rows: every payment of the four groups (not only those the screen lists), with
 * both sides' dates and amounts in yuan. Cells are neutralised when written (downloadCsv).
 */
export function reconciliationCsv(r: Reconciliation, t: TFunction): (string | number)[][] {
  const g = (id: string) => t(`repayments.reconcile.groups.${id}`);
  const fen = (f: number) => formatFen(f);
  const lender = t('repayments.reconcile.lenderSide');
  const agency = t('repayments.reconcile.agencySide');
  return [
    [t('repayments.reconcile.group'), t('repayments.col.caseNo'), `${lender} · ${t('repayments.col.paidOn')}`, `${agency} · ${t('repayments.col.paidOn')}`, t('repayments.reconcile.reference'), t('repayments.col.row'), lender, agency, t('repayments.reconcile.difference')],
    ...r.matched.items.map((x) => [g('matched'), x.caseNo, x.paidOn, x.paidOn, x.fileName, x.row, fen(x.amountFen), fen(x.amountFen), fen(0)]),
    ...r.lenderOnly.items.map((x) => [g('lenderOnly'), x.caseNo, x.paidOn, '', x.fileName, x.row, fen(x.amountFen), '', '']),
    ...r.agencyOnly.items.map((x) => [g('agencyOnly'), x.caseNo, '', x.paidOn, x.reference, '', '', fen(x.amountFen), '']),
    ...r.mismatches.items.map((x) => [g('mismatches'), x.caseNo, x.lender.paidOn, x.agency.paidOn, x.lender.fileName, x.lender.row, fen(x.lender.amountFen), fen(x.agency.amountFen), fen(x.differenceFen)]),
  ];
}

/** 'YYYY-MM' of a 'YYYY-MM-DD' day. */
export const monthOf = (day: string): string => day.slice(0, 7);

// Why a repayment row was rejected, in the UI language: core words reasons in English (they are stored with
// the file); these are recognised by pattern, the value checks shared with placements by rejectionReason.
const REASONS: Array<[RegExp, string]> = [
  [/^no case (.*) placed by this lender$/s, 'unknownCase'],
  [/^(\S+) is before the case was placed \((\S+)\)/, 'beforePlacement'],
  [/^(\S+) is in the future \(today is (\S+)\)$/, 'future'],
  [/^case (.*) is (\w+): its payments/s, 'finalCase'],
  [/^reference (.*) repeats row (\d+) for the same case$/s, 'referenceRepeats'],
  [/^reference (.*) was already imported for this case \((.*), row (\d+)\)$/s, 'referenceImported'],
  [/^the amount must be more than zero$/, 'notPositive'],
  [/^no case number$/, 'noCaseNo'],
  [/^no amount$/, 'noAmount'],
  [/^no payment date$/, 'noDate'],
];

export function repaymentReason(t: TFunction, reason: string): string {
  for (const [re, key] of REASONS) {
    const m = re.exec(reason);
    if (m) return t(`repayments.reasons.${key}`, { a: m[1] ?? '', b: m[2] ?? '', c: m[3] ?? '' });
  }
  return rejectionReason(t, reason);
}
