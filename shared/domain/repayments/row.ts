// One row of a repayment file, checked and normalised: the lender's case number, the amount in fen (more
// than zero), the payment date, and the optional channel, payer and reference as written. A bad row is
// rejected with the column and reason the user sees; the store-side checks (unknown case, dates against
// the placement) come later, in core.
import { parseMoneyToFen } from '../placement/money.js';
import { parseDate } from '../placement/dates.js';
import type { RepaymentFieldKey } from './fields.js';
import { REPAYMENT_FIELDS } from './fields.js';

export type RowCell = string | number | Date | null | undefined;

export interface RepaymentRow {
  row: number;
  caseNo: string;
  amountFen: number;
  paidOn: string;
  channel: string;
  payer: string;
  reference: string;
}

export interface RowRejection {
  row: number;
  column: string;
  reason: string;
}

/** field → column index (null: not in the file). */
export type RepaymentColumns = Record<RepaymentFieldKey, number | null>;

const MAX_TEXT = 100;

const text = (c: RowCell): string => {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return String(c).normalize('NFKC').trim();
};

/** A compiled normaliser for one file's layout; `columnName(field)` names a column in rejections. */
export function rowNormaliser(columns: RepaymentColumns, columnName: (field: RepaymentFieldKey) => string) {
  const cell = (cells: readonly RowCell[], field: RepaymentFieldKey): RowCell => {
    const col = columns[field];
    return col === null ? undefined : cells[col];
  };
  return (row: number, cells: readonly RowCell[]): { ok: true; value: RepaymentRow } | { ok: false; rejection: RowRejection } => {
    const bad = (field: RepaymentFieldKey, reason: string) => ({ ok: false as const, rejection: { row, column: columnName(field), reason } });
    const caseNo = text(cell(cells, 'caseNo'));
    if (caseNo === '') return bad('caseNo', 'no case number');
    if (caseNo.length > 64) return bad('caseNo', 'case number longer than 64 characters');
    const rawAmount = cell(cells, 'amount');
    const amount = parseMoneyToFen(typeof rawAmount === 'number' ? rawAmount : text(rawAmount));
    if (!amount.ok) return bad('amount', amount.reason === 'empty' ? 'no amount' : amount.reason);
    if (amount.value <= 0) return bad('amount', 'the amount must be more than zero');
    const rawDate = cell(cells, 'paidOn');
    const date = parseDate(typeof rawDate === 'string' ? text(rawDate) : (rawDate ?? null));
    if (!date.ok) return bad('paidOn', date.reason === 'empty' ? 'no payment date' : date.reason);
    const channel = text(cell(cells, 'channel'));
    const payer = text(cell(cells, 'payer'));
    const reference = text(cell(cells, 'reference'));
    for (const [field, v] of [['channel', channel], ['payer', payer], ['reference', reference]] as const) {
      if (v.length > MAX_TEXT) return bad(field, `longer than ${MAX_TEXT} characters`);
    }
    return { ok: true, value: { row, caseNo, amountFen: amount.value, paidOn: date.value, channel, payer, reference } };
  };
}

export const fieldLabel = (field: RepaymentFieldKey): string => REPAYMENT_FIELDS.find((f) => f.key === field)!.labelZh;
