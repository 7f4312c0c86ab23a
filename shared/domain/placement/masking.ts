// Default masking of personal data on screens and exports (PIPL: least disclosure). These never throw:
// whatever cannot be recognised is masked completely, keeping its length so the layout holds.
import { parsePhone } from './phone.js';

const STAR = '*';
const ID_SHAPE = /^\d+[\dXx]$/;

function stars(n: number): string {
  return n > 0 ? STAR.repeat(n) : '';
}

function fullyMasked(s: unknown): string {
  return typeof s === 'string' ? stars([...s].length) : '';
}

/** '110105199003071234' → '110105********1234' (region and last 4 kept); 15-digit numbers alike. */
export function maskIdNumber(input: string | null | undefined): string {
  if (typeof input !== 'string') return '';
  const s = input.trim();
  if ((s.length !== 18 && s.length !== 15) || !ID_SHAPE.test(s)) return fullyMasked(input);
  return s.slice(0, 6) + stars(s.length - 10) + s.slice(-4);
}

/** '13812345678' → '138****5678'. Other spellings of a valid mobile are normalised first. */
export function maskMobile(input: string | null | undefined): string {
  if (typeof input !== 'string') return '';
  const p = parsePhone(input);
  if (!p.ok || p.value.kind !== 'mobile') return fullyMasked(input);
  const n = p.value.number;
  return `${n.slice(0, 3)}****${n.slice(7)}`;
}

/** Mobiles as maskMobile; landlines keep the area code and last 4: '0755-88886666-123' → '0755-****6666-***'. */
export function maskPhone(input: string | null | undefined): string {
  if (typeof input !== 'string') return '';
  const p = parsePhone(input);
  if (!p.ok) return fullyMasked(input);
  const v = p.value;
  if (v.kind === 'mobile') return `${v.number.slice(0, 3)}****${v.number.slice(7)}`;
  const masked = `${v.areaCode}-${stars(v.local.length - 4)}${v.local.slice(-4)}`;
  return v.extension === undefined ? masked : `${masked}-${stars(v.extension.length)}`;
}

const HAN = /\p{Script=Han}/u;
const LATIN_NAME = /^[\p{L}\p{M}]+(?:[ .'’-]+[\p{L}\p{M}]+)*\.?$/u;
const LATIN_WORD = /[\p{L}\p{M}]+/gu;

/** Chinese names keep the first and last character ('张三丰' → '张*丰', '张三' → '张*', '欧阳娜娜' →
 *  '欧**娜'); Latin names keep each word's first letter ('John Smith' → 'J*** S****'). */
export function maskName(input: string | null | undefined): string {
  if (typeof input !== 'string') return '';
  const s = input.trim();
  if (s === '') return fullyMasked(input);
  if (HAN.test(s)) {
    const chars = [...s];
    if (chars.some((c) => !HAN.test(c) && c !== '·' && c !== '•')) return fullyMasked(input);
    if (chars.length === 1) return STAR;
    if (chars.length === 2) return `${chars[0]}${STAR}`;
    return `${chars[0]}${stars(chars.length - 2)}${chars[chars.length - 1]}`;
  }
  if (!LATIN_NAME.test(s)) return fullyMasked(input);
  return s.replace(LATIN_WORD, (w) => {
    const first = [...w][0] ?? '';
    return first + stars([...w].length - 1);
  });
}

// Administrative divisions at the start of a Chinese address: province level (省, 自治区, 特别行政区, the four
// municipalities), prefecture level (市, 自治州, 地区, 盟, 州) and county level (区, 县, 旗, county-level 市).
// Names are Han characters only, with no other division's suffix and none of the words of a street
// address, so "88号院3区" is not a district and "朝阳区农贸市场" is not a city. Suffixes are tried in the
// order given, so "永州市" is a city named 永州 rather than a 州 named 永.
const NAME = '[\\p{Script=Han}--[省市区县旗盟路街号巷弄栋幢楼室村组]]';
const level = (max: number, suffixes: string[]) => suffixes.map((x) => new RegExp(`^${NAME}{1,${max}}?${x}`, 'v'));
const DIVISIONS: RegExp[][] = [
  [/^(?:北京|天津|上海|重庆)市?/, ...level(7, ['省', '自治区', '特别行政区'])],
  level(10, ['市', '自治州', '地区', '盟', '州']),
  level(8, ['自治县', '区', '县', '旗', '市']),
];
const ADDRESS_MASK = '****';

/**
 * Addresses keep their province, city and district/county and hide the rest (street, number, building,
 * room) behind a fixed '****', so neither the street nor its length is disclosed: '北京市朝阳区建国路88号1201室'
 * → '北京市朝阳区****'. An address whose divisions cannot be recognised is hidden whole ('****').
 */
export function maskAddress(input: string | null | undefined): string {
  if (typeof input !== 'string') return '';
  const s = input.replace(/\s+/g, '');
  if (s === '') return '';
  let kept = '';
  for (const tries of DIVISIONS) {
    const rest = s.slice(kept.length);
    for (const re of tries) {
      const m = re.exec(rest);
      if (m) {
        kept += m[0];
        break;
      }
    }
  }
  return kept.length === s.length ? kept : kept + ADDRESS_MASK;
}
