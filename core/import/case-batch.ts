// Normalised cases travel from the import's reader thread to its writer in batches: every text value of
// the batch in one string plus each value's length, numbers in a Float64Array. Cheap to build, to hand to
// another thread (one string copy, the typed arrays are transferred) and to bind, with no escaping: any
// character may appear in a value.
import type { FieldError, PlacementCase } from '../../shared/domain/placement/normalise-row.js';
import { CASE_COLUMNS } from '../../db/repos/cases.js';
import { cellText, type Cell } from './read/rows.js';
import { contactsToJson } from '../../shared/domain/placement/contacts-json.js';

export const VALUES_PER_CASE = CASE_COLUMNS.length;
/** Index of overdue_amount_fen and case_no in a case's values. */
export const OVERDUE_AMOUNT = CASE_COLUMNS.indexOf('overdue_amount_fen');
export const CASE_NO = CASE_COLUMNS.indexOf('case_no');

/** The case's extra data: the columns no stored field claimed, kept verbatim as {header: value}. */
export function extraOf(headers: readonly string[], cells: readonly Cell[], keepColumns: readonly number[]): string {
  if (!keepColumns.length) return '{}';
  const kept: Record<string, string> = {};
  for (const i of keepColumns) {
    const v = cellText(cells[i]);
    if (v !== '') kept[headers[i] || `column ${i + 1}`] = v;
  }
  return JSON.stringify(kept);
}

/**
 * A case's column values in CASE_COLUMNS order, written into `out` (reused from row to row: this runs a
 * million times per import). Must stay in step with CASE_COLUMNS (checked at load time below).
 */
export function caseValues(c: PlacementCase, extra: string, out: unknown[]): unknown[] {
  out[0] = c.caseNo;
  out[1] = c.borrowerName;
  out[2] = c.idNumber;
  out[3] = c.gender;
  out[4] = c.birthDate;
  out[5] = c.province;
  out[6] = c.mobile;
  out[7] = c.homeAddress;
  out[8] = c.workAddress;
  out[9] = c.registeredAddress;
  out[10] = c.employer;
  out[11] = c.productName;
  out[12] = c.loanAmountFen;
  out[13] = c.loanDate;
  out[14] = c.dueDate;
  out[15] = c.interestRate;
  out[16] = c.remainingPrincipalFen;
  out[17] = c.overdueAmountFen;
  out[18] = c.overduePrincipalFen;
  out[19] = c.overdueInterestFen;
  out[20] = c.overduePenaltyFen;
  out[21] = c.overdueLateFeeFen;
  out[22] = c.placementAmountFen;
  out[23] = c.daysOverdue;
  out[24] = c.bucket;
  out[25] = c.overduePeriods;
  out[26] = c.paidPeriods;
  out[27] = c.lastPaymentDate;
  out[28] = c.lastPaymentFen;
  out[29] = c.notes;
  out[30] = contactsToJson(c.contacts);
  out[31] = extra;
  out[32] = c.placedOn;
  out[33] = c.termEndDate;
  return out;
}

const EXPECTED_COLUMNS = [
  'case_no', 'borrower_name', 'id_number', 'gender', 'birth_date', 'province', 'mobile', 'home_address', 'work_address',
  'registered_address', 'employer', 'product_name', 'loan_amount_fen', 'loan_date', 'due_date', 'interest_rate',
  'remaining_principal_fen', 'overdue_amount_fen', 'overdue_principal_fen', 'overdue_interest_fen', 'overdue_penalty_fen',
  'overdue_late_fee_fen', 'placement_amount_fen', 'days_overdue', 'bucket', 'overdue_periods', 'paid_periods',
  'last_payment_date', 'last_payment_fen', 'notes', 'contacts', 'extra', 'placed_on', 'term_end_date',
];
if (CASE_COLUMNS.join() !== EXPECTED_COLUMNS.join()) throw new Error('caseValues() is out of step with CASE_COLUMNS');

/** A row the normaliser refused, with what the file said. */
export interface RejectedRow {
  row: number;
  errors: FieldError[];
  raw: string[];
}

/** One batch of rows as the reader thread sends it. */
export interface CaseBatch {
  /** Cases in the batch. */
  n: number;
  /** File row number of each case. */
  rowNos: Int32Array;
  /** All text values, one after the other. */
  text: string;
  /** Per value: its length in `text`, or NULL_VALUE, or NUMBER_VALUE (then the value is in `nums`). */
  lens: Int32Array;
  nums: Float64Array;
  /** The original cells of cases whose case number may repeat an earlier one (index in the batch → cells). */
  raws: { i: number; raw: string[] }[];
  /** Rows that failed validation, in row order. */
  rejected: RejectedRow[];
}

const NULL_VALUE = -1;
const NUMBER_VALUE = -2;

export class CaseBatchBuilder {
  private n = 0;
  private rowNos: Int32Array;
  private text = '';
  private lens: Int32Array;
  private nums: Float64Array;
  private raws: { i: number; raw: string[] }[] = [];
  private rejected: RejectedRow[] = [];

  constructor(readonly capacity: number) {
    this.rowNos = new Int32Array(capacity);
    this.lens = new Int32Array(capacity * VALUES_PER_CASE);
    this.nums = new Float64Array(capacity * VALUES_PER_CASE);
  }

  get size(): number {
    return this.n + this.rejected.length;
  }

  get full(): boolean {
    return this.n >= this.capacity || this.rejected.length >= this.capacity;
  }

  add(rowNo: number, values: readonly unknown[], raw: string[] | null): void {
    const i = this.n++;
    this.rowNos[i] = rowNo;
    const base = i * VALUES_PER_CASE;
    for (let k = 0; k < VALUES_PER_CASE; k++) {
      const v = values[k];
      if (typeof v === 'string') {
        this.lens[base + k] = v.length;
        this.text += v; // a rope: cheaper than collecting parts and joining them
      } else if (typeof v === 'number') {
        this.lens[base + k] = NUMBER_VALUE;
        this.nums[base + k] = v;
      } else if (v === null || v === undefined) {
        this.lens[base + k] = NULL_VALUE;
      } else {
        throw new Error(`unexpected ${typeof v} in ${CASE_COLUMNS[k]}`);
      }
    }
    if (raw) this.raws.push({ i, raw });
  }

  reject(r: RejectedRow): void {
    this.rejected.push(r);
  }

  /** The batch so far (its buffers can be transferred); the builder starts a new one. */
  take(): CaseBatch {
    const n = this.n;
    const batch: CaseBatch = {
      n,
      rowNos: this.rowNos.slice(0, n),
      text: this.text,
      lens: this.lens.slice(0, n * VALUES_PER_CASE),
      nums: this.nums.slice(0, n * VALUES_PER_CASE),
      raws: this.raws,
      rejected: this.rejected,
    };
    this.n = 0;
    this.text = '';
    this.raws = [];
    this.rejected = [];
    return batch;
  }
}

/** Reads the cases of a batch back, in order, into one reused values array. */
export class CaseBatchReader {
  private i = -1;
  private pos = 0;
  private raw = 0;

  constructor(private readonly b: CaseBatch) {}

  /** Moves to the next case; false at the end. */
  next(out: unknown[]): boolean {
    const i = ++this.i;
    if (i >= this.b.n) return false;
    const { lens, nums, text } = this.b;
    const base = i * VALUES_PER_CASE;
    let pos = this.pos;
    for (let k = 0; k < VALUES_PER_CASE; k++) {
      const len = lens[base + k]!;
      if (len >= 0) {
        out[k] = text.substring(pos, pos + len);
        pos += len;
      } else out[k] = len === NULL_VALUE ? null : nums[base + k];
    }
    this.pos = pos;
    return true;
  }

  get rowNo(): number {
    return this.b.rowNos[this.i]!;
  }

  /** The original cells of the current case, if the reader sent them. */
  rawCells(): string[] | null {
    const raws = this.b.raws;
    while (this.raw < raws.length && raws[this.raw]!.i < this.i) this.raw++;
    const r = raws[this.raw];
    return r && r.i === this.i ? r.raw : null;
  }
}

/** 31-bit FNV-1a hash of a string (fits a small integer: cheap in a Set). */
export function hash31(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h & 0x7fffffff;
}
