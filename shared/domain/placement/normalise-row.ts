// One row of a placement file → a normalised case, or the reasons it cannot be one (field + reason).
// Strict where a wrong value would mislead collection (identity, phone, amounts, dates); lenient for
// contacts: a bad contact phone is kept as written and flagged, the case is not lost over it.
import { parseMoneyToFen } from './money.js';
import { parseDate, daysBetween } from './dates.js';
import { parseIdNumber } from './id-number.js';
import { parseMobile, parsePhone } from './phone.js';
import { bucketOf } from './buckets.js';
import { resolveAmounts, type AmountBasis, type AmountMismatchPolicy } from './amounts.js';

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
  /** The total owed at placement; the components below sum to it (see amounts.ts). */
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
  /** The row's own 委案日期 / 委案到期日, when the file gives them (else the batch's apply). */
  placedOn: string | null;
  termEndDate: string | null;
  /** How the total was formed, and the file's disagreeing figures when the difference went to principal. */
  amountBasis: AmountBasis;
  amountMismatch: { totalFen: number; componentsFen: number } | null;
}

export interface FieldError {
  field: string;
  reason: string;
}

export type RowResult =
  | { ok: true; value: PlacementCase }
  | { ok: false; errors: FieldError[]; amountMismatch?: { totalFen: number; componentsFen: number } | null };

export interface NormaliseOptions {
  /** The batch's placement date, 'YYYY-MM-DD': days overdue are counted to the row's own 委案日期, else to it. */
  asOf: string;
  /** What to do with a total that disagrees with its components (the lender's policy; default principal_difference). */
  amountPolicy?: AmountMismatchPolicy | undefined;
  /** A row placed after this day is refused (the import's day). */
  latestPlacement?: string | undefined;
}

function text(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return typeof v === 'number' ? String(v) : unguard(v).trim();
}

/**
 * `="0012345"` → `0012345`: lender systems write ID numbers, phones and case numbers into CSV this way so that
 * Excel keeps them as text; the spreadsheet shows the inner text, so that is the value. Only this exact shape
 * (no other formula) is unwrapped; a doubled quote inside stands for one.
 */
function unguard(v: string): string {
  if (v.length < 3 || v.charCodeAt(0) !== 61 || v.charCodeAt(1) !== 34 || v.charCodeAt(v.length - 1) !== 34) return v;
  const inner = v.slice(2, -1);
  return inner.replace(/""/g, '').includes('"') ? v : inner.replace(/""/g, '"');
}

/** Excel's accounting format shows zero as a dash (`-`, `¥ -`): in an amount column that is 0, not an error. */
const ACCOUNTING_ZERO = /^[\s¥￥]*[-－—–‐][\s]*$/;

const MAX_TEXT = 500;

/** The fields normaliseRow stores in a case; a column mapped to any other field goes to the case's extra data. */
export const STORED_FIELDS: ReadonlySet<string> = new Set([
  'caseNo', 'borrowerName', 'idNumber', 'gender', 'mobile', 'homeAddress', 'workAddress', 'registeredAddress', 'employer',
  'productName', 'loanAmount', 'loanDate', 'dueDate', 'interestRate', 'remainingPrincipal', 'overdueAmount', 'overduePrincipal',
  'overdueInterest', 'overduePenalty', 'overdueLateFee', 'placementAmount', 'daysOverdue', 'overduePeriods', 'paidPeriods',
  'lastPaymentDate', 'lastPaymentAmount', 'notes', 'placementDate', 'placementEndDate',
  ...[1, 2, 3, 4, 5, 6].flatMap((n) => [`contact${n}Name`, `contact${n}Relation`, `contact${n}Phone`]),
]);

/** Normalises one row (compiles the layout each call: for many rows use compileRowNormaliser). */
export function normaliseRow(cells: readonly CellValue[], columns: Record<string, number | null>, opts: NormaliseOptions): RowResult {
  return compileRowNormaliser(columns, opts)(cells);
}

/**
 * Compiles a normaliser for one file layout: column positions are resolved once, and nothing is
 * allocated per row beyond the result, since an import runs this a million times.
 */
export function compileRowNormaliser(columns: Record<string, number | null>, opts: NormaliseOptions): (cells: readonly CellValue[]) => RowResult {
  const col = (field: string): number => columns[field] ?? -1;
  const c = {
    caseNo: col('caseNo'), borrowerName: col('borrowerName'), idNumber: col('idNumber'), mobile: col('mobile'), gender: col('gender'),
    homeAddress: col('homeAddress'), workAddress: col('workAddress'), registeredAddress: col('registeredAddress'), employer: col('employer'),
    productName: col('productName'), loanAmount: col('loanAmount'), loanDate: col('loanDate'), dueDate: col('dueDate'),
    interestRate: col('interestRate'), remainingPrincipal: col('remainingPrincipal'), overdueAmount: col('overdueAmount'),
    overduePrincipal: col('overduePrincipal'), overdueInterest: col('overdueInterest'), overduePenalty: col('overduePenalty'),
    overdueLateFee: col('overdueLateFee'), placementAmount: col('placementAmount'), daysOverdue: col('daysOverdue'),
    overduePeriods: col('overduePeriods'), paidPeriods: col('paidPeriods'), lastPaymentDate: col('lastPaymentDate'),
    lastPaymentAmount: col('lastPaymentAmount'), notes: col('notes'), placementDate: col('placementDate'),
    placementEndDate: col('placementEndDate'),
  };
  const contactCols: { slot: number; name: number; relation: number; phone: number }[] = [];
  for (let slot = 1; slot <= 6; slot++) {
    const cc = { slot, name: col(`contact${slot}Name`), relation: col(`contact${slot}Relation`), phone: col(`contact${slot}Phone`) };
    if (cc.name >= 0 || cc.relation >= 0 || cc.phone >= 0) contactCols.push(cc);
  }
  const batchDay = opts.asOf;
  const amountPolicy = opts.amountPolicy ?? 'principal_difference';
  const latest = opts.latestPlacement ?? null;

  const at = (cells: readonly CellValue[], i: number): CellValue => {
    if (i < 0) return undefined;
    const v = cells[i];
    return typeof v === 'string' ? unguard(v) : v;
  };
  function str(cells: readonly CellValue[], i: number, field: string, errors: FieldError[]): string | null {
    if (i < 0) return null;
    const t = text(cells[i]);
    if (t.length > MAX_TEXT) {
      errors.push({ field, reason: `longer than ${MAX_TEXT} characters` });
      return null;
    }
    return t === '' ? null : t;
  }
  function money(cells: readonly CellValue[], i: number, field: string, errors: FieldError[], required = false): number | null {
    const v = at(cells, i);
    if (v === undefined || v === null || v === '' || (typeof v === 'string' && v.trim() === '')) {
      if (required) errors.push({ field, reason: 'empty' });
      return null;
    }
    if (typeof v === 'string' && ACCOUNTING_ZERO.test(v)) return 0;
    const r = parseMoneyToFen(v as string | number);
    if (r.ok) return r.value;
    errors.push({ field, reason: r.reason });
    return null;
  }
  function date(cells: readonly CellValue[], i: number, field: string, errors: FieldError[]): string | null {
    const v = at(cells, i);
    if (v === undefined || v === null || v === '') return null;
    const r = parseDate(v as string | number | Date, { allowSerial: typeof v === 'number' || (typeof v === 'string' && SERIAL_TEXT.test(v)) });
    if (r.ok) return r.value;
    if (r.reason === 'empty') return null;
    errors.push({ field, reason: r.reason });
    return null;
  }
  function int(cells: readonly CellValue[], i: number, field: string, errors: FieldError[]): number | null {
    if (i < 0) return null;
    let t = text(cells[i]);
    if (t.endsWith('天')) t = t.slice(0, -1).trim();
    if (t === '') return null;
    if (!WHOLE.test(t)) {
      errors.push({ field, reason: `not a whole number: ${t.slice(0, 20)}` });
      return null;
    }
    return Number(t);
  }

  return (cells) => {
    const errors: FieldError[] = [];
    // The row's own placement date, if any: days overdue and the ID's age are counted to it.
    const placedOn = date(cells, c.placementDate, 'placementDate', errors);
    if (placedOn !== null && latest !== null && placedOn > latest) errors.push({ field: 'placementDate', reason: `placement date ${placedOn} is after today` });
    const asOf = placedOn ?? batchDay;
    const termEndDate = date(cells, c.placementEndDate, 'placementEndDate', errors);
    if (termEndDate !== null && termEndDate < asOf) errors.push({ field: 'placementEndDate', reason: `placement end ${termEndDate} is before the placement date ${asOf}` });
    const caseNo = str(cells, c.caseNo, 'caseNo', errors);
    if (caseNo === null && !errors.length) errors.push({ field: 'caseNo', reason: 'empty' });
    const borrowerName = str(cells, c.borrowerName, 'borrowerName', errors);
    if (borrowerName === null && !errors.some((e) => e.field === 'borrowerName')) errors.push({ field: 'borrowerName', reason: 'empty' });
    const idCell = at(cells, c.idNumber);
    let id: { number18: string; gender: 'M' | 'F'; birthDate: string; province: string } | null = null;
    const idr = parseIdNumber(idCell as string | number | null | undefined, { asOf });
    if (idr.ok) id = idr.value;
    else errors.push({ field: 'idNumber', reason: idr.reason });
    let mobile = '';
    const m = parseMobile(at(cells, c.mobile) as string | number | null | undefined);
    if (m.ok) mobile = m.value;
    else errors.push({ field: 'mobile', reason: m.reason });

    const before = errors.length;
    const placement = money(cells, c.placementAmount, 'placementAmount', errors);
    const remaining = money(cells, c.remainingPrincipal, 'remainingPrincipal', errors);
    const amounts = resolveAmounts(
      {
        overdue: money(cells, c.overdueAmount, 'overdueAmount', errors),
        placement,
        principal: money(cells, c.overduePrincipal, 'overduePrincipal', errors),
        interest: money(cells, c.overdueInterest, 'overdueInterest', errors),
        penalty: money(cells, c.overduePenalty, 'overduePenalty', errors),
        lateFee: money(cells, c.overdueLateFee, 'overdueLateFee', errors),
        remaining,
      },
      amountPolicy,
    );
    // A cell that did not parse already says why: "empty" or a disagreement only when every figure read.
    if (!amounts.ok && errors.length === before) errors.push({ field: amounts.field, reason: amounts.reason });
    const dueDate = date(cells, c.dueDate, 'dueDate', errors);
    let daysOverdue = int(cells, c.daysOverdue, 'daysOverdue', errors);
    if (daysOverdue === null && dueDate !== null) daysOverdue = Math.max(0, daysBetween(dueDate, asOf));

    const contacts: PlacementContact[] = [];
    for (const cc of contactCols) {
      const name = str(cells, cc.name, `contact${cc.slot}Name`, errors);
      const relation = str(cells, cc.relation, `contact${cc.slot}Relation`, errors);
      const rawPhone = str(cells, cc.phone, `contact${cc.slot}Phone`, errors);
      if (name === null && relation === null && rawPhone === null) continue;
      let phone = rawPhone;
      let phoneValid = rawPhone !== null;
      if (rawPhone !== null) {
        const p = parsePhone(rawPhone);
        if (p.ok) phone = p.value.number;
        else phoneValid = false;
      }
      contacts.push({ slot: cc.slot, name, relation, phone, phoneValid });
    }

    const value: PlacementCase = {
      caseNo: caseNo ?? '',
      borrowerName: borrowerName ?? '',
      idNumber: id?.number18 ?? '',
      gender: id?.gender ?? genderOf(str(cells, c.gender, 'gender', errors)),
      birthDate: id?.birthDate ?? null,
      province: id?.province ?? null,
      mobile,
      homeAddress: str(cells, c.homeAddress, 'homeAddress', errors),
      workAddress: str(cells, c.workAddress, 'workAddress', errors),
      registeredAddress: str(cells, c.registeredAddress, 'registeredAddress', errors),
      employer: str(cells, c.employer, 'employer', errors),
      productName: str(cells, c.productName, 'productName', errors),
      loanAmountFen: money(cells, c.loanAmount, 'loanAmount', errors),
      loanDate: date(cells, c.loanDate, 'loanDate', errors),
      dueDate,
      interestRate: str(cells, c.interestRate, 'interestRate', errors),
      remainingPrincipalFen: remaining,
      overdueAmountFen: amounts.ok ? amounts.total : 0,
      overduePrincipalFen: amounts.ok ? amounts.principal : null,
      overdueInterestFen: amounts.ok ? amounts.interest : null,
      overduePenaltyFen: amounts.ok ? amounts.penalty : null,
      overdueLateFeeFen: amounts.ok ? amounts.lateFee : null,
      placementAmountFen: placement,
      daysOverdue,
      bucket: daysOverdue === null ? null : (bucketOf(daysOverdue)?.code ?? null),
      overduePeriods: int(cells, c.overduePeriods, 'overduePeriods', errors),
      paidPeriods: int(cells, c.paidPeriods, 'paidPeriods', errors),
      lastPaymentDate: date(cells, c.lastPaymentDate, 'lastPaymentDate', errors),
      lastPaymentFen: money(cells, c.lastPaymentAmount, 'lastPaymentAmount', errors),
      notes: str(cells, c.notes, 'notes', errors),
      contacts,
      placedOn,
      termEndDate,
      amountBasis: amounts.ok ? amounts.basis : 'total',
      amountMismatch: amounts.mismatch,
    };
    return errors.length ? { ok: false, errors, amountMismatch: amounts.mismatch } : { ok: true, value };
  };
}

const SERIAL_TEXT = /^\d{5}$/;

const WHOLE = /^\d{1,6}$/;

function genderOf(t: string | null): 'M' | 'F' | null {
  if (t === null) return null;
  if (/^(男|m|male)$/i.test(t)) return 'M';
  if (/^(女|f|female)$/i.test(t)) return 'F';
  return null;
}
