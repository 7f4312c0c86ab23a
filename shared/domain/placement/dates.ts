// Dates in placement files, to 'YYYY-MM-DD'. A placement date is a calendar day, not an instant, so
// everything is computed from year/month/day numbers; Date objects are only read, never built.
import { civilFromDays, daysFromCivil, formatYmd, isValidYmd, MAX_YEAR, MIN_YEAR } from './calendar.js';
import { digitValue, halfWidth, isAllBlank, isBlank, shown } from './chars.js';
import { fail, ok, type Result } from './result.js';

export interface DateOptions {
  /** Read a plain number as an Excel serial day. Default: true for numbers, false for strings
   *  (a CSV cell "45736" is more often an ID or an amount than a date). */
  allowSerial?: boolean;
}

// Excel's 1900 date system: serial 1 = 1900-01-01 and, copying a Lotus 1-2-3 bug, serial 60 is the
// non-existent 1900-02-29, so from serial 61 (1900-03-01) on, day 0 is effectively 1899-12-30.
const SERIAL_EPOCH = daysFromCivil(1899, 12, 30);
const SERIAL_EPOCH_BEFORE_BUG = daysFromCivil(1899, 12, 31);
const MAX_SERIAL = daysFromCivil(MAX_YEAR, 12, 31) - SERIAL_EPOCH;
// Time after the date: 'T10:00', ' 10:00:00.000', '+08:00', 'Z'. Compiled once; only used when a
// time is present.
const TIME_TAIL = /^(?:[T ]|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$/;
const SERIAL_WITH_TIME = /^\d{1,6}\.\d+$/;

export function parseDate(
  input: string | number | Date | null | undefined,
  options: DateOptions = {},
): Result<string> {
  if (input === null || input === undefined) return fail('empty');
  if (typeof input === 'number') return fromNumber(input, options.allowSerial ?? true);
  if (input instanceof Date) return fromDate(input);
  return fromString(input, options.allowSerial ?? false);
}

/** Whole days from a to b (b − a), both 'YYYY-MM-DD'. Throws RangeError on another format: callers
 *  pass dates that parseDate already produced. */
export function daysBetween(a: string, b: string): number {
  return isoToDays(b) - isoToDays(a);
}

function isoToDays(s: string): number {
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (s.length !== 10 || s[4] !== '-' || s[7] !== '-' || y < 0 || m < 0 || d < 0 || !isValidYmd(y, m, d)) {
    throw new RangeError(`not a YYYY-MM-DD date: ${s}`);
  }
  return daysFromCivil(y, m, d);
}

/** Value of `len` digits at `pos`, or -1. */
function digits(s: string, pos: number, len: number): number {
  let v = 0;
  for (let i = pos; i < pos + len; i++) {
    const d = i < s.length ? digitValue(s.charCodeAt(i)) : -1;
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** A Date is an instant; its UTC day is used so the result does not depend on the machine's time
 *  zone (spreadsheet readers build dates at UTC midnight). Convert local dates before calling. */
function fromDate(date: Date): Result<string> {
  const t = date.getTime();
  if (Number.isNaN(t)) return fail('not a date: invalid Date');
  return checked(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), '');
}

function fromNumber(n: number, allowSerial: boolean): Result<string> {
  if (!Number.isFinite(n)) return fail(`not a date: ${n}`);
  // 20250320 stored as a number: far beyond the last serial we accept (2100-12-31), so unambiguous.
  if (Number.isInteger(n) && n >= 10000000 && n <= 99999999) {
    return checked(Math.floor(n / 10000), Math.floor(n / 100) % 100, n % 100, String(n));
  }
  if (!allowSerial) return fail(`not a date: ${n}`);
  return fromSerial(n, String(n));
}

function fromSerial(n: number, text: string): Result<string> {
  const serial = Math.floor(n); // a fraction is the time of day
  if (serial === 60) return fail('Excel serial 60 is 1900-02-29, a day that does not exist');
  if (serial < 1 || serial > MAX_SERIAL) return fail(`not a date (Excel serial out of range): ${shown(text)}`);
  return ok(civilFromDays((serial < 60 ? SERIAL_EPOCH_BEFORE_BUG : SERIAL_EPOCH) + serial));
}

function fromString(s: string, allowSerial: boolean): Result<string> {
  let start = 0;
  let end = s.length;
  while (start < end && isBlank(s.charCodeAt(start))) start++;
  while (end > start && isBlank(s.charCodeAt(end - 1))) end--;
  if (start >= end) return isAllBlank(s) ? fail('empty') : notDate(s);

  // Year: the first run of digits.
  let i = start;
  let y = 0;
  for (; i < end; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d < 0) break;
    if (i - start < 9) y = y * 10 + d;
  }
  const run = i - start;
  if (i === end) {
    if (run === 8) return checked(Math.floor(y / 10000), Math.floor(y / 100) % 100, y % 100, s);
    if (allowSerial && run <= 6) return fromSerial(y, s);
    return notDate(s);
  }
  if (run !== 4) return allowSerial ? serialWithFraction(s, start, end) : notDate(s);

  // Separator: - / . or 年 … 月 … 日; the same one between month and day.
  const sep = halfWidth(s.charCodeAt(i));
  const chinese = sep === 0x5e74; // 年
  if (!chinese && sep !== 45 && sep !== 47 && sep !== 46) return notDate(s);
  let m = 0;
  const mStart = ++i;
  for (; i < end && i - mStart < 3; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d < 0) break;
    m = m * 10 + d;
  }
  if (i === mStart || i - mStart > 2 || i >= end) return notDate(s);
  if (halfWidth(s.charCodeAt(i)) !== (chinese ? 0x6708 : sep)) return notDate(s); // 月
  let day = 0;
  const dStart = ++i;
  for (; i < end && i - dStart < 3; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d < 0) break;
    day = day * 10 + d;
  }
  if (i === dStart || i - dStart > 2) return notDate(s);
  if (chinese && i < end && s.charCodeAt(i) === 0x65e5) i++; // 日
  if (i < end && !TIME_TAIL.test(s.slice(i, end))) return notDate(s);
  return checked(y, m, day, s);
}

/** '45736.5' with allowSerial: a serial with a time of day. */
function serialWithFraction(s: string, start: number, end: number): Result<string> {
  const text = s.slice(start, end);
  const n = Number(text);
  if (!SERIAL_WITH_TIME.test(text) || !Number.isFinite(n)) return notDate(s);
  return fromSerial(n, text);
}

function checked(y: number, m: number, d: number, text: string): Result<string> {
  if (!isValidYmd(y, m, d)) return fail(`no such date: ${text === '' ? formatYmd(y, m, d) : shown(text)}`);
  if (y < MIN_YEAR || y > MAX_YEAR) return fail(`year out of range ${MIN_YEAR}–${MAX_YEAR}: ${shown(text || String(y))}`);
  return ok(formatYmd(y, m, d));
}

function notDate(s: string) {
  return fail(`not a date: ${shown(s)}`);
}
