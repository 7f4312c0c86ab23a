// Repayment helpers for the screens: rates in ppm as percentages, the commission statement as CSV rows,
// rejection reasons in the UI language.
import type { TFunction } from 'i18next';
import { rejectionReason } from './rejectionReasons.js';
import type { CommissionStatement } from '../shared/contract/repayments.js';
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
