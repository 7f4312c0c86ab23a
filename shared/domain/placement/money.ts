// Amounts in placement files, to integer fen (1 yuan = 100 fen). Strings are scanned digit by digit,
// never through parseFloat, so '0.07' is exactly 7 fen and 16-digit amounts do not drift.
import { digitValue, halfWidth, isAllBlank, isBlank, shown } from './chars.js';
import { fail, ok, type Result } from './result.js';

export interface MoneyOptions {
  /** Accept '-12.5', '(12.50)' and negative numbers (refunds, over-payments). Default false. */
  allowNegative?: boolean;
}

const MAX_FEN = Number.MAX_SAFE_INTEGER;
const MAX_YUAN = Math.floor(MAX_FEN / 100); // 90071992547409
const MAX_YUAN_LAST_FEN = MAX_FEN % 100; // 91
const YUAN = 0x5143; // 元

export function parseMoneyToFen(
  input: string | number | null | undefined,
  options: MoneyOptions = {},
): Result<number> {
  if (input === null || input === undefined) return fail('empty');
  if (typeof input === 'number') return fromNumber(input, options.allowNegative === true);
  return fromString(input, options.allowNegative === true);
}

/** Excel numbers: rounded half away from zero on the shortest decimal form (what Excel shows), so
 *  1.005 becomes 101 fen although the binary double is a hair below 1.005. */
function fromNumber(n: number, allowNegative: boolean): Result<number> {
  if (!Number.isFinite(n)) return fail(`not an amount: ${n}`);
  if (n < 0 && !allowNegative) return fail(`negative amount not allowed: ${n}`);
  const abs = Math.abs(n);
  let fen: number;
  if (Number.isInteger(abs)) {
    if (abs > MAX_YUAN) return fail(`amount too large: ${n}`);
    fen = abs * 100;
  } else {
    const text = String(abs);
    const dot = text.indexOf('.');
    if (dot < 0) {
      // Exponent form: below 1e-6 (rounds to 0 fen) or at least 1e21 (too large, caught above).
      fen = 0;
    } else {
      const d1 = dot + 1 < text.length ? text.charCodeAt(dot + 1) - 48 : 0;
      const d2 = dot + 2 < text.length ? text.charCodeAt(dot + 2) - 48 : 0;
      const d3 = dot + 3 < text.length ? text.charCodeAt(dot + 3) - 48 : 0;
      fen = Math.trunc(abs) * 100 + d1 * 10 + d2 + (d3 >= 5 ? 1 : 0);
    }
    if (fen > MAX_FEN) return fail(`amount too large: ${n}`);
  }
  return ok(n < 0 && fen !== 0 ? -fen : fen);
}

function fromString(s: string, allowNegative: boolean): Result<number> {
  let start = 0;
  let end = s.length;
  let negative = false;
  let signed = false;
  // Peel blanks, currency marks (¥ ￥ RMB CNY 人民币, trailing 元), one sign and accounting parentheses.
  for (;;) {
    while (start < end && isBlank(s.charCodeAt(start))) start++;
    while (end > start && isBlank(s.charCodeAt(end - 1))) end--;
    if (start >= end) break;
    const c = halfWidth(s.charCodeAt(start));
    const last = halfWidth(s.charCodeAt(end - 1));
    if (last === YUAN) {
      end--;
    } else if (c === 0xa5 || c === 0xffe5) {
      start++;
    } else if (c === 40 && last === 41 && !signed) {
      signed = negative = true;
      start++;
      end--;
    } else if ((c === 45 || c === 0x2212 || c === 43) && !signed) {
      signed = true;
      negative = c !== 43;
      start++;
    } else if (isAsciiWordAt(s, start, end, 'RMB') || isAsciiWordAt(s, start, end, 'CNY')) {
      start += 3;
    } else if (s.startsWith('人民币', start)) {
      start += 3;
    } else {
      break;
    }
  }
  if (start >= end) return isAllBlank(s) ? fail('empty') : notAmount(s);

  // Integer part: digits, optionally grouped by one kind of thousands separator (',' or a space).
  let yuan = 0;
  let significant = 0;
  let digits = 0;
  let group = 0;
  let sep = 0;
  let badGroups = false; // reported after the scan: a stray character is the better message
  let i = start;
  for (; i < end; i++) {
    const c = halfWidth(s.charCodeAt(i));
    const d = digitValue(c);
    if (d >= 0) {
      if (significant > 0 || d > 0) significant++;
      if (significant <= 15) yuan = yuan * 10 + d;
      digits++;
      group++;
      continue;
    }
    if (c === 46) break;
    const kind = c === 44 ? 44 : isBlank(c) ? 32 : 0;
    if (kind === 0) return notAmount(s);
    if (sep === 0 ? group < 1 || group > 3 : kind !== sep || group !== 3) badGroups = true;
    sep = kind;
    group = 0;
  }
  if (sep !== 0 && group !== 3) badGroups = true;

  // Fraction: two digits kept; further digits must be zeros ('1.230' is fine, '1.234' is not).
  let frac = 0;
  let fracDigits = 0;
  let extra = false;
  for (i++; i < end; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d < 0) return notAmount(s);
    if (fracDigits < 2) frac = frac * 10 + d;
    else if (d !== 0) extra = true;
    fracDigits++;
  }
  if (digits === 0 && fracDigits === 0) return notAmount(s);
  if (badGroups) return misplaced(s);
  if (extra) return fail(`more than 2 decimals: ${shown(s)}`);
  if (fracDigits === 1) frac *= 10;
  if (significant > 15 || yuan > MAX_YUAN || (yuan === MAX_YUAN && frac > MAX_YUAN_LAST_FEN)) {
    return fail(`amount too large: ${shown(s)}`);
  }
  const fen = yuan * 100 + frac;
  if (negative && fen !== 0) {
    if (!allowNegative) return fail(`negative amount not allowed: ${shown(s)}`);
    return ok(-fen);
  }
  return ok(fen);
}

/** `word` (upper-case ASCII) at `pos`, any case, not followed by another letter. */
function isAsciiWordAt(s: string, pos: number, end: number, word: string): boolean {
  if (pos + word.length > end) return false;
  for (let k = 0; k < word.length; k++) {
    if ((s.charCodeAt(pos + k) & ~0x20) !== word.charCodeAt(k)) return false;
  }
  const next = pos + word.length < end ? s.charCodeAt(pos + word.length) | 0x20 : 0;
  return !(next >= 97 && next <= 122);
}

function notAmount(s: string) {
  return fail(`not an amount: ${shown(s)}`);
}

function misplaced(s: string) {
  return fail(`misplaced thousands separator: ${shown(s)}`);
}

/** 123456 → '1,234.56'; with { symbol: '¥' } → '¥1,234.56', negatives '-¥1,234.56'.
 *  Throws RangeError for a non-integer: fen are whole numbers, anything else is a programming error. */
export function formatFen(fen: number, options: { symbol?: string } = {}): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
  const digits = String(fen < 0 ? -fen : fen).padStart(3, '0');
  const intPart = digits.slice(0, -2);
  let grouped = '';
  for (let i = 0; i < intPart.length; i++) {
    if (i > 0 && (intPart.length - i) % 3 === 0) grouped += ',';
    grouped += intPart[i];
  }
  return `${fen < 0 ? '-' : ''}${options.symbol ?? ''}${grouped}.${digits.slice(-2)}`;
}
