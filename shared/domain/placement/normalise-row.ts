// One row of a placement file → a normalised case, or the reasons it cannot be one (field + reason).
// Strict where a wrong value would mislead collection (identity, phone, amounts, dates); lenient for
// contacts: a bad contact phone is kept as written and flagged, the case is not lost over it.
import { parseMoneyToFen } from './money.js';
import { parseDate, daysBetween } from './dates.js';
import { parseIdNumber } from './id-number.js';
import { parseMobile, parsePhone } from './phone.js';
import { bucketOf } from './buckets.js';

export type CellValue = string | number | Date | null | undefined;

export interface PlacementContact {
  slot: number;
  name: string | null;
  relation: string | null;
  phone: string | null;
  /** False when the phone did not parse: kept as written so nothing is lost. */
  phoneValid: boolean;
}

export interface PlacementCase {
  caseNo: string;
  borrowerName: string;
  idNumber: string;
  gender: 'M' | 'F' | null;
  birthDate: string | null;
  province: string | null;
  mobile: string;
  homeAddress: string | null;
  workAddress: string | null;
  registeredAddress: string | null;
  employer: string | null;
  productName: string | null;
  loanAmountFen: number | null;
  loanDate: string | null;
  dueDate: string | null;
  interestRate: string | null;
  remainingPrincipalFen: number | null;
  overdueAmountFen: number;
  overduePrincipalFen: number | null;
  overdueInterestFen: number | null;
  overduePenaltyFen: number | null;
  overdueLateFeeFen: number | null;
  placementAmountFen: number | null;
  daysOverdue: number | null;
  bucket: string | null;
  overduePeriods: number | null;
  paidPeriods: number | null;
  lastPaymentDate: string | null;
  lastPaymentFen: number | null;
  notes: string | null;
  contacts: PlacementContact[];
}

export interface FieldError {
  field: string;
  reason: string;
}

export type RowResult = { ok: true; value: PlacementCase } | { ok: false; errors: FieldError[] };

export interface NormaliseOptions {
  /** The placement date, 'YYYY-MM-DD': days overdue are counted to it when the file gives none. */
  asOf: string;
}

function text(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return typeof v === 'number' ? String(v) : v.trim();
}

const MAX_TEXT = 500;

/** The fields normaliseRow stores in a case; a column mapped to any other field goes to the case's extra data. */
export const STORED_FIELDS: ReadonlySet<string> = new Set([
  'caseNo', 'borrowerName', 'idNumber', 'gender', 'mobile', 'homeAddress', 'workAddress', 'registeredAddress', 'employer',
  'productName', 'loanAmount', 'loanDate', 'dueDate', 'interestRate', 'remainingPrincipal', 'overdueAmount', 'overduePrincipal',
  'overdueInterest', 'overduePenalty', 'overdueLateFee', 'placementAmount', 'daysOverdue', 'overduePeriods', 'paidPeriods',
  'lastPaymentDate', 'lastPaymentAmount', 'notes',
  ...[1, 2, 3, 4, 5, 6].flatMap((n) => [`contact${n}Name`, `contact${n}Relation`, `contact${n}Phone`]),
]);

export function normaliseRow(cells: readonly CellValue[], columns: Record<string, number | null>, opts: NormaliseOptions): RowResult {
  const errors: FieldError[] = [];
  const cell = (field: string): CellValue => {
    const c = columns[field];
    return c === null || c === undefined ? undefined : cells[c];
  };
  const str = (field: string): string | null => {
    const t = text(cell(field));
    if (t.length > MAX_TEXT) {
      errors.push({ field, reason: `longer than ${MAX_TEXT} characters` });
      return null;
    }
    return t === '' ? null : t;
  };
  const required = (field: string): string => {
    const t = str(field);
    if (t === null && !errors.some((e) => e.field === field)) errors.push({ field, reason: 'empty' });
    return t ?? '';
  };
  const money = (field: string, req = false): number | null => {
    const v = cell(field);
    if (text(v) === '') {
      if (req) errors.push({ field, reason: 'empty' });
      return null;
    }
    const r = parseMoneyToFen(v as string | number);
    if (r.ok) return r.value;
    errors.push({ field, reason: r.reason });
    return null;
  };
  const date = (field: string): string | null => {
    const v = cell(field);
    if (text(v) === '') return null;
    const r = parseDate(v as string | number | Date, { allowSerial: typeof v === 'number' || /^\d{5}$/.test(text(v)) });
    if (r.ok) return r.value;
    errors.push({ field, reason: r.reason });
    return null;
  };
  const int = (field: string): number | null => {
    const t = text(cell(field)).replace(/天$/, '');
    if (t === '') return null;
    if (!/^\d{1,6}$/.test(t)) {
      errors.push({ field, reason: `not a whole number: ${t.slice(0, 20)}` });
      return null;
    }
    return Number(t);
  };

  const caseNo = required('caseNo');
  const borrowerName = required('borrowerName');
  const idCell = cell('idNumber');
  let id: { number18: string; gender: 'M' | 'F'; birthDate: string; province: string } | null = null;
  if (text(idCell) === '') errors.push({ field: 'idNumber', reason: 'empty' });
  else {
    const r = parseIdNumber(idCell as string | number, { asOf: opts.asOf });
    if (r.ok) id = r.value;
    else errors.push({ field: 'idNumber', reason: r.reason });
  }
  let mobile = '';
  const m = parseMobile(cell('mobile') as string | number | null | undefined);
  if (m.ok) mobile = m.value;
  else errors.push({ field: 'mobile', reason: m.reason });

  const overdueAmountFen = money('overdueAmount', true);
  const dueDate = date('dueDate');
  let daysOverdue = int('daysOverdue');
  if (daysOverdue === null && dueDate !== null) daysOverdue = Math.max(0, daysBetween(dueDate, opts.asOf));

  const contacts: PlacementContact[] = [];
  for (let slot = 1; slot <= 6; slot++) {
    const name = str(`contact${slot}Name`);
    const relation = str(`contact${slot}Relation`);
    const rawPhone = str(`contact${slot}Phone`);
    if (name === null && relation === null && rawPhone === null) continue;
    let phone = rawPhone;
    let phoneValid = rawPhone !== null;
    if (rawPhone !== null) {
      const p = parsePhone(rawPhone);
      if (p.ok) phone = p.value.number;
      else phoneValid = false;
    }
    contacts.push({ slot, name, relation, phone, phoneValid });
  }

  const value: PlacementCase = {
    caseNo,
    borrowerName,
    idNumber: id?.number18 ?? '',
    gender: id?.gender ?? genderOf(str('gender')),
    birthDate: id?.birthDate ?? null,
    province: id?.province ?? null,
    mobile,
    homeAddress: str('homeAddress'),
    workAddress: str('workAddress'),
    registeredAddress: str('registeredAddress'),
    employer: str('employer'),
    productName: str('productName'),
    loanAmountFen: money('loanAmount'),
    loanDate: date('loanDate'),
    dueDate,
    interestRate: str('interestRate'),
    remainingPrincipalFen: money('remainingPrincipal'),
    overdueAmountFen: overdueAmountFen ?? 0,
    overduePrincipalFen: money('overduePrincipal'),
    overdueInterestFen: money('overdueInterest'),
    overduePenaltyFen: money('overduePenalty'),
    overdueLateFeeFen: money('overdueLateFee'),
    placementAmountFen: money('placementAmount'),
    daysOverdue,
    bucket: daysOverdue === null ? null : (bucketOf(daysOverdue)?.code ?? null),
    overduePeriods: int('overduePeriods'),
    paidPeriods: int('paidPeriods'),
    lastPaymentDate: date('lastPaymentDate'),
    lastPaymentFen: money('lastPaymentAmount'),
    notes: str('notes'),
    contacts,
  };
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

function genderOf(t: string | null): 'M' | 'F' | null {
  if (t === null) return null;
  if (/^(男|m|male)$/i.test(t)) return 'M';
  if (/^(女|f|female)$/i.test(t)) return 'F';
  return null;
}
