// Chinese resident ID numbers (居民身份证, GB 11643), and the 18-digit numbers that share its layout:
// 港澳台居民居住证 (81/82/83…) and the 2023 外国人永久居留身份证 ('9' + issuing province + nationality).
// Layout: region(6) birth YYYYMMDD(8) sequence(3, odd = male) check(1, ISO 7064 MOD 11-2).
import { isValidYmd, MIN_YEAR } from './calendar.js';
import { digitValue, isBlank, shown } from './chars.js';
import { isResidencePermitCode, provinceAt } from './provinces.js';
import { fail, ok, type Result } from './result.js';

export type IdKind = 'resident' | 'residencePermit' | 'foreignPermanent';

export interface IdNumberInfo {
  number18: string;
  kind: IdKind;
  birthDate: string;
  gender: 'M' | 'F';
  /** First 6 digits; for a foreign permanent resident card, the issuing province + '0000'. */
  regionCode: string;
  provinceCode: string;
  province: string;
  /** Converted from a legacy 15-digit number. */
  from15: boolean;
}

export interface IdOptions {
  /** 'YYYY-MM-DD': reject birth dates after it (pass the import date). Without it only 1900+ is checked,
   *  so the function stays pure. */
  asOf?: string;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits (which must be ASCII digits). */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '?';
}

export function parseIdNumber(
  input: string | number | null | undefined,
  options: IdOptions = {},
): Result<IdNumberInfo> {
  if (input === null || input === undefined) return fail('empty');
  if (typeof input === 'number') {
    // Excel keeps 15 significant digits: an 18-digit ID typed into a number cell has lost its tail.
    if (!Number.isSafeInteger(input) || input >= 1e15 || input < 0) {
      return fail('ID number was stored as a number and lost digits; format the column as text');
    }
    input = String(input);
  }
  const s = clean(input);
  if (s === null) return fail(`ID number contains an invalid character: ${shown(input)}`);
  if (s === '') return fail('empty');
  const x = s.indexOf('X');
  if (s.length === 15) {
    if (x >= 0) return fail(`ID number has X in the wrong place: ${shown(input)}`);
    const first17 = `${s.slice(0, 6)}19${s.slice(6)}`;
    return fromDigits(first17 + idCheckChar(first17), true, options);
  }
  if (s.length !== 18) return fail(`ID number has ${s.length} digits`);
  if (x >= 0 && x !== 17) return fail(`ID number has X in the wrong place: ${shown(input)}`);
  if (idCheckChar(s) !== s[17]) return fail('ID number checksum does not match');
  return fromDigits(s, false, options);
}

function fromDigits(s: string, from15: boolean, options: IdOptions): Result<IdNumberInfo> {
  const foreign = !from15 && s.charCodeAt(0) === 57; // '9': 15-digit numbers predate these cards
  const province = provinceAt(s, foreign ? 1 : 0);
  const provinceCode = foreign ? s.slice(1, 3) : s.slice(0, 2);
  if (province === undefined || (foreign && provinceCode >= '71')) {
    return fail(`ID number has an unknown province code ${s.slice(0, 2)}`);
  }
  const y = num(s, 6, 4);
  const m = num(s, 10, 2);
  const d = num(s, 12, 2);
  if (!isValidYmd(y, m, d) || y < MIN_YEAR) return fail('ID number has an invalid birth date');
  const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (options.asOf !== undefined && birthDate > options.asOf) return fail('ID number birth date is in the future');
  return ok({
    number18: s,
    kind: foreign ? 'foreignPermanent' : isResidencePermitCode(provinceCode) ? 'residencePermit' : 'resident',
    birthDate,
    gender: (s.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F',
    regionCode: foreign ? `${provinceCode}0000` : s.slice(0, 6),
    provinceCode,
    province,
    from15,
  });
}

function num(s: string, pos: number, len: number): number {
  let v = 0;
  for (let i = pos; i < pos + len; i++) v = v * 10 + s.charCodeAt(i) - 48;
  return v;
}

/** ASCII digits with an upper-case X; blanks, and a leading apostrophe (Excel's text marker) dropped;
 *  full-width digits and Ｘ accepted. null on any other character. Returns the input itself when it is
 *  already clean, so the common case allocates nothing. */
function clean(s: string): string | null {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 48 || c > 57) && !(c === 88 && i === s.length - 1)) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = digitValue(c);
    if (d >= 0) out += String.fromCharCode(48 + d);
    else if (c === 88 || c === 120 || c === 0xff38 || c === 0xff58) out += 'X';
    else if (isBlank(c) || (c === 39 && out === '')) continue;
    else return null;
  }
  return out;
}
