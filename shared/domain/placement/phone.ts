// Mainland China phone numbers: mobiles (1[3-9] + 9 digits) and landlines (area code 010 / 02x /
// 0xxx + 7–8 digit local number, optional extension).
import { digitValue, isAllBlank, isBlank, shown } from './chars.js';
import { fail, ok, type Result } from './result.js';

export type PhoneNumber =
  | { kind: 'mobile'; number: string }
  | { kind: 'landline'; number: string; areaCode: string; local: string; extension?: string };

/** An 11-digit mainland mobile, e.g. '+86 138-1234-5678' → '13812345678'. */
export function parseMobile(input: string | number | null | undefined): Result<string> {
  const s = asText(input);
  if (s === null) return fail('empty');
  if (s.length === 11 && isAsciiDigits(s)) return mobileOf(s, s); // the common case: no allocation
  // Digits are accumulated as a number (exact up to 15 digits) so no intermediate strings are built.
  let value = 0;
  let count = 0;
  let first4 = 0;
  let plus = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = digitValue(c);
    if (d >= 0) {
      if (count < 15) value = value * 10 + d;
      if (count < 4) first4 = first4 * 10 + d;
      count++;
    } else if (c === 43 || c === 0xff0b) {
      if (count > 0 || plus) return notPhone(s);
      plus = true;
    } else if (!isSeparator(c)) {
      return extMarkerLength(s, i) > 0 && count > 0
        ? fail(`not a mobile number (has an extension): ${shown(s)}`)
        : notPhone(s);
    }
  }
  if (count === 0) return isAllBlank(s) ? fail('empty') : notPhone(s);
  // Country code: '+86…', '0086…', or '86' + 11 digits.
  const first2 = count >= 4 ? Math.floor(first4 / 100) : count >= 2 ? Math.floor(first4 / 10 ** (count - 2)) : -1;
  let national = count;
  if (plus) {
    if (first2 !== 86) return fail(`not a mainland China number: ${shown(s)}`);
    national -= 2;
  } else if (count >= 4 && first4 === 86) {
    national -= 4;
  } else if (count === 13 && first2 === 86) {
    national -= 2;
  }
  if (count > 15) return fail(`mobile number has ${national} digits`);
  const n = national === 0 ? 0 : value % 10 ** national;
  if (national > 0 && n < 10 ** (national - 1)) return fail(`landline, not a mobile number: ${shown(s)}`);
  if (national !== 11) return fail(`mobile number has ${national} digits`);
  return n >= 13_000_000_000 && n < 20_000_000_000 ? ok(String(n)) : fail(`not a mobile number: ${shown(s)}`);
}

/** A mobile or a landline. Landlines come back as 'area-local[-extension]', e.g. '0755-88886666-123'. */
export function parsePhone(input: string | number | null | undefined): Result<PhoneNumber> {
  const s = asText(input);
  if (s === null) return fail('empty');
  const sc = scan(s);
  if (sc === null) return notPhone(s);
  if (sc.digits === '') return isAllBlank(s) ? fail('empty') : notPhone(s);
  const explicitExt = sc.extAt >= 0 ? sc.digits.slice(sc.extAt) : '';
  const raw = sc.extAt >= 0 ? sc.digits.slice(0, sc.extAt) : sc.digits;
  let d = national(raw, sc.plus);
  if (d === null) return fail(`not a mainland China number: ${shown(s)}`);
  if (isMobile(d)) {
    return explicitExt === '' ? ok({ kind: 'mobile', number: d }) : fail(`not a phone number (mobile with an extension): ${shown(s)}`);
  }
  // After +86 the area code's leading 0 is dropped: '+86 10 12345678'.
  if (d.length < raw.length && d.charCodeAt(0) !== 48) d = `0${d}`;
  if (explicitExt.length > 6) return fail(`extension too long: ${shown(s)}`);
  // '021-61234567-8888': a last dash-separated group is an extension if what precedes it is complete.
  if (explicitExt === '' && sc.lastGroupAfterDash) {
    const lastLen = sc.digits.length - sc.lastGroupAt;
    const before = lastLen <= 6 ? landlineParts(d.slice(0, d.length - lastLen)) : null;
    if (before !== null && typeof before !== 'string') {
      return ok(landline(before.area, before.local, d.slice(d.length - lastLen)));
    }
  }
  const parts = landlineParts(d);
  if (typeof parts === 'string') return fail(`${parts}: ${shown(s)}`);
  return ok(landline(parts.area, parts.local, explicitExt));
}

function landline(area: string, local: string, ext: string): PhoneNumber {
  const number = `${area}-${local}`;
  return ext === ''
    ? { kind: 'landline', number, areaCode: area, local }
    : { kind: 'landline', number: `${number}-${ext}`, areaCode: area, local, extension: ext };
}

/** Area code and local number, or the reason they are not a landline. */
function landlineParts(d: string): { area: string; local: string } | string {
  const c0 = d.charCodeAt(0);
  if (c0 !== 48) {
    if (c0 === 49) return `mobile number has ${d.length} digits`;
    return d.length >= 7 && d.length <= 8 ? 'landline needs an area code' : 'not a phone number';
  }
  const c1 = d.charCodeAt(1);
  // 010 Beijing and 02x are 3 digits; all other area codes are 4 (03xx–09xx).
  const areaLen = c1 === 49 ? (d.charCodeAt(2) === 48 ? 3 : 0) : c1 === 50 ? 3 : c1 >= 51 && c1 <= 57 ? 4 : 0;
  if (areaLen === 0) return 'unknown area code';
  const local = d.slice(areaLen);
  if (local.length < 7 || local.length > 8) return `landline has ${local.length} digits after the area code`;
  if (local.charCodeAt(0) === 48) return 'not a phone number';
  return { area: d.slice(0, areaLen), local };
}

function mobileOf(d: string, s: string): Result<string> {
  if (d.charCodeAt(0) === 48) return fail(`landline, not a mobile number: ${shown(s)}`);
  if (d.length !== 11) return fail(`mobile number has ${d.length} digits`);
  return isMobile(d) ? ok(d) : fail(`not a mobile number: ${shown(s)}`);
}

function isMobile(d: string): boolean {
  const c1 = d.charCodeAt(1);
  return d.length === 11 && d.charCodeAt(0) === 49 && c1 >= 51 && c1 <= 57;
}

/** Drops the country code: '+86…', '0086…', or '86' + 11 digits. null for another country. */
function national(d: string, plus: boolean): string | null {
  if (plus) return d.startsWith('86') ? d.slice(2) : null;
  if (d.startsWith('0086')) return d.slice(4);
  if (d.length === 13 && d.startsWith('86')) return d.slice(2);
  return d;
}

interface Scanned {
  digits: string;
  plus: boolean;
  /** Where an explicit extension (转, 分机, ext, x, #) starts in `digits`; -1 if none. */
  extAt: number;
  lastGroupAt: number;
  lastGroupAfterDash: boolean;
}

const DASH = 1;
const OTHER = 2;

/** Digits of a written phone number, with the grouping needed to spot an extension; null when the
 *  text holds anything but digits, separators, a leading '+' and one extension marker. */
function scan(s: string): Scanned | null {
  let digits = '';
  let plus = false;
  let extAt = -1;
  let lastGroupAt = 0;
  let lastGroupAfterDash = false;
  let pending = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = digitValue(c);
    if (d >= 0) {
      if (digits.length >= 24) return null;
      if (pending !== 0 && digits !== '') {
        lastGroupAt = digits.length;
        lastGroupAfterDash = pending === DASH;
      }
      pending = 0;
      digits += String.fromCharCode(48 + d);
    } else if (c === 45 || c === 0xff0d || (c >= 0x2010 && c <= 0x2014)) {
      pending = DASH;
    } else if (isSeparator(c)) {
      pending = pending || OTHER;
    } else if (c === 43 || c === 0xff0b) {
      if (digits !== '' || plus) return null;
      plus = true;
    } else {
      const len = extMarkerLength(s, i);
      if (len === 0 || extAt >= 0 || digits === '') return null;
      extAt = digits.length;
      pending = OTHER;
      i += len - 1;
    }
  }
  return { digits, plus, extAt, lastGroupAt, lastGroupAfterDash };
}

/** Blanks, dashes, brackets, dots and slashes people put between digit groups. */
function isSeparator(c: number): boolean {
  return (
    isBlank(c) || c === 45 || c === 40 || c === 41 || c === 46 || c === 47 ||
    c === 0xff0d || c === 0xff08 || c === 0xff09 || (c >= 0x2010 && c <= 0x2014)
  );
}

/** Length of an extension marker at i: 转, 分机, #, x, ext, ext. — or 0. */
function extMarkerLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 0x8f6c || c === 35 || c === 0xff03) return 1; // 转 #
  if (c === 0x5206 && s.charCodeAt(i + 1) === 0x673a) return 2; // 分机
  const lower = c | 0x20;
  if (lower === 101 && (s.charCodeAt(i + 1) | 0x20) === 120 && (s.charCodeAt(i + 2) | 0x20) === 116) {
    return s.charCodeAt(i + 3) === 46 ? 4 : 3; // ext / ext.
  }
  return lower === 120 ? 1 : 0; // x
}

function asText(input: string | number | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  return typeof input === 'number' ? String(input) : input;
}

function isAsciiDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function notPhone(s: string) {
  return fail(`not a phone number: ${shown(s)}`);
}
