import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseMobile, parsePhone } from '../../../shared/domain/placement/phone.js';

const mobile = (input: Parameters<typeof parseMobile>[0]) => {
  const r = parseMobile(input);
  return r.ok ? r.value : `error: ${r.reason}`;
};
const phone = (input: string) => {
  const r = parsePhone(input);
  return r.ok ? `${r.value.kind} ${r.value.number}` : `error: ${r.reason}`;
};

describe('parseMobile', () => {
  it.each([
    '13812345678',
    ' 138 1234 5678 ',
    '138-1234-5678',
    '(138)12345678',
    '+86 138 1234 5678',
    '+86-13812345678',
    '(+86)13812345678',
    '008613812345678',
    '8613812345678',
    '１３８１２３４５６７８',
    '138.1234.5678',
  ])('%s → 13812345678', (input) => {
    expect(mobile(input)).toBe('13812345678');
  });

  it('accepts every 1[3-9] prefix and an Excel number', () => {
    for (const p of ['13', '14', '15', '16', '17', '18', '19']) expect(mobile(`${p}912345678`)).toBe(`${p}912345678`);
    expect(mobile(13812345678)).toBe('13812345678');
  });

  it('rejects landlines, wrong lengths and other countries with clear reasons', () => {
    expect(mobile('010-12345678')).toBe('error: landline, not a mobile number: 010-12345678');
    expect(mobile('075588886666')).toMatch(/^error: landline/);
    expect(mobile('1381234567')).toBe('error: mobile number has 10 digits');
    expect(mobile('138123456789')).toBe('error: mobile number has 12 digits');
    expect(mobile('12812345678')).toBe('error: not a mobile number: 12812345678');
    expect(mobile('128 1234 5678')).toBe('error: not a mobile number: 128 1234 5678');
    expect(mobile('238 1234 5678')).toBe('error: not a mobile number: 238 1234 5678');
    expect(mobile('23812345678')).toBe('error: not a mobile number: 23812345678');
    expect(mobile('+86 0755 8888 6666')).toMatch(/^error: landline/);
    expect(mobile('0086 138 1234 5678 9')).toBe('error: mobile number has 12 digits');
    expect(mobile('1381234567812345678')).toBe('error: mobile number has 19 digits');
    expect(mobile('+852 9123 4567')).toBe('error: not a mainland China number: +852 9123 4567');
    expect(mobile('138 1234 5678 转 12')).toMatch(/extension/);
    expect(mobile('138abc45678')).toBe('error: not a phone number: 138abc45678');
    expect(mobile('1+3812345678')).toMatch(/^error: not a phone number/);
    expect(mobile('')).toBe('error: empty');
    expect(mobile(null)).toBe('error: empty');
    expect(mobile('--')).toMatch(/^error: not a phone number/);
  });

  it('finds every mobile however it is grouped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 9 }),
        fc.stringMatching(/^\d{9}$/),
        fc.constantFrom('', ' ', '-', '  '),
        fc.constantFrom('', '+86 ', '0086', '86'),
        (second, rest, sep, prefix) => {
          const n = `1${second}${rest}`;
          expect(mobile(`${prefix}${n.slice(0, 3)}${sep}${n.slice(3, 7)}${sep}${n.slice(7)}`)).toBe(n);
        },
      ),
    );
  });
});

describe('parsePhone', () => {
  it.each([
    ['13812345678', 'mobile 13812345678'],
    ['+86 138 1234 5678', 'mobile 13812345678'],
    ['010-12345678', 'landline 010-12345678'],
    ['(010)12345678', 'landline 010-12345678'],
    ['（０１０）１２３４５６７８', 'landline 010-12345678'],
    ['01012345678', 'landline 010-12345678'],
    ['0755 8888 6666', 'landline 0755-88886666'],
    ['0755-8888-6666', 'landline 0755-88886666'],
    ['075588886666', 'landline 0755-88886666'],
    ['0755-88886666-123', 'landline 0755-88886666-123'],
    ['0755-88886666转123', 'landline 0755-88886666-123'],
    ['0755-88886666 分机 8001', 'landline 0755-88886666-8001'],
    ['0755-88886666 ext. 12', 'landline 0755-88886666-12'],
    ['021-61234567-8888', 'landline 021-61234567-8888'],
    ['0571-8765432', 'landline 0571-8765432'],
    ['+86 10 12345678', 'landline 010-12345678'],
    ['+86-755-88886666', 'landline 0755-88886666'],
    ['0086 21 61234567', 'landline 021-61234567'],
  ])('%s → %s', (input, expected) => {
    expect(phone(input)).toBe(expected);
  });

  it('gives the parts of a landline', () => {
    expect(parsePhone('0755-88886666-123')).toEqual({
      ok: true,
      value: { kind: 'landline', number: '0755-88886666-123', areaCode: '0755', local: '88886666', extension: '123' },
    });
  });

  it('rejects what is neither', () => {
    expect(phone('88886666')).toBe('error: landline needs an area code: 88886666');
    expect(phone('0755-123456')).toMatch(/^error: landline has 6 digits after the area code/);
    expect(phone('0755-888866667')).toMatch(/^error: landline has 9 digits after the area code/);
    expect(phone('011-12345678')).toMatch(/^error: unknown area code/);
    expect(phone('0755-08886666')).toMatch(/^error: not a phone number/);
    expect(phone('1381234567')).toBe('error: mobile number has 10 digits: 1381234567');
    expect(phone('13812345678转1')).toMatch(/mobile with an extension/);
    expect(phone('0755-88886666转1234567')).toMatch(/extension too long/);
    expect(phone('+1 415 555 0100')).toMatch(/not a mainland China number/);
    expect(phone('phone')).toMatch(/^error: not a phone number/);
    expect(phone('')).toBe('error: empty');
  });
});
