import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { formatFen, parseMoneyToFen } from '../../../shared/domain/placement/money.js';

const fen = (input: Parameters<typeof parseMoneyToFen>[0], allowNegative = false) => {
  const r = parseMoneyToFen(input, { allowNegative });
  return r.ok ? r.value : `error: ${r.reason}`;
};

describe('parseMoneyToFen on strings', () => {
  it.each([
    ['1234.5', 123450],
    ['1,234.56', 123456],
    ['¥1,234.56元', 123456],
    ['￥1234', 123400],
    [' 1 234.56 ', 123456],
    ['RMB 1234.56', 123456],
    ['rmb1234.56', 123456],
    ['CNY 12', 1200],
    ['人民币 1,000,000.00 元', 100000000],
    ['1234.56元', 123456],
    ['１２３４．５６', 123456],
    ['１，２３４．５６元', 123456],
    ['0.07', 7],
    ['.5', 50],
    ['12.', 1200],
    ['0', 0],
    ['1.230', 123],
    ['1.2000000', 120],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
    ['+12.50', 1250],
  ])('%s → %i fen', (input, expected) => {
    expect(fen(input)).toBe(expected);
  });

  it('reads negatives only when allowed', () => {
    expect(fen('-12.5', true)).toBe(-1250);
    expect(fen('(12.50)', true)).toBe(-1250);
    expect(fen('(¥12.50)', true)).toBe(-1250);
    expect(fen('¥-1,234.56元', true)).toBe(-123456);
    expect(fen('-12.5')).toBe('error: negative amount not allowed: -12.5');
    expect(fen('(12.50)')).toBe('error: negative amount not allowed: (12.50)');
    expect(fen('-0', true)).toBe(0);
    expect(Object.is(fen('-0.00', true), 0)).toBe(true);
  });

  it('rejects more than 2 decimals unless they are zeros', () => {
    expect(fen('1.23')).toBe(123);
    expect(fen('1.234')).toBe('error: more than 2 decimals: 1.234');
    expect(fen('1.2301')).toBe('error: more than 2 decimals: 1.2301');
  });

  it('rejects misplaced thousands separators', () => {
    expect(fen('12,34.5')).toBe('error: misplaced thousands separator: 12,34.5');
    expect(fen('1,23')).toMatch(/misplaced/);
    expect(fen('1234,567')).toMatch(/misplaced/);
    expect(fen(',123')).toMatch(/misplaced/);
    expect(fen('1,234 567')).toMatch(/misplaced/);
    expect(fen('1,,234')).toMatch(/misplaced/);
    expect(fen('12,345,678')).toBe(1234567800);
  });

  it('says empty for blank cells, and names what is not an amount', () => {
    expect(fen('')).toBe('error: empty');
    expect(fen('   ')).toBe('error: empty');
    expect(fen('\u3000')).toBe('error: empty');
    expect(fen(null)).toBe('error: empty');
    expect(fen(undefined)).toBe('error: empty');
    expect(fen('12,34.5x')).toBe('error: not an amount: 12,34.5x');
    for (const bad of ['abc', '¥', '元', '.', '-', '1.2.3', '1e5', '12 元 5', '--5', '(12', '1.2,3', 'RMBX12']) {
      expect(fen(bad, true), bad).toMatch(/^error: not an amount/);
    }
  });

  it('rejects amounts beyond Number.MAX_SAFE_INTEGER fen', () => {
    expect(fen('90071992547409.92')).toMatch(/too large/);
    expect(fen('90071992547410')).toMatch(/too large/);
    expect(fen('1234567890123456789')).toMatch(/too large/);
    expect(fen('0000000000000000001.5')).toBe(150);
  });
});

describe('parseMoneyToFen on Excel numbers', () => {
  it('rounds half away from zero to fen', () => {
    expect(fen(1234.5)).toBe(123450);
    expect(fen(0.07)).toBe(7);
    expect(fen(1.005)).toBe(101); // the double is 1.00499999…; Excel shows 1.005
    expect(fen(1.004)).toBe(100);
    expect(fen(2.675)).toBe(268);
    expect(fen(-2.675, true)).toBe(-268);
    expect(fen(-0.005, true)).toBe(-1);
    expect(fen(1e-7)).toBe(0);
    expect(fen(12)).toBe(1200);
  });
  it('rejects NaN, Infinity, negatives when not allowed, and unsafe sizes', () => {
    expect(fen(Number.NaN)).toMatch(/^error: not an amount/);
    expect(fen(Number.POSITIVE_INFINITY)).toMatch(/^error: not an amount/);
    expect(fen(-1)).toMatch(/negative/);
    expect(fen(90071992547409)).toBe(9007199254740900);
    expect(fen(90071992547410)).toMatch(/too large/);
    expect(fen(90071992547409.95)).toMatch(/too large/);
    expect(fen(1e21)).toMatch(/too large/);
  });
});

describe('formatFen', () => {
  it('groups thousands and always shows 2 decimals', () => {
    expect(formatFen(123456)).toBe('1,234.56');
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(100000000)).toBe('1,000,000.00');
    expect(formatFen(-123456, { symbol: '¥' })).toBe('-¥1,234.56');
    expect(formatFen(Number.MAX_SAFE_INTEGER)).toBe('90,071,992,547,409.91');
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });

  it('round-trips every safe integer through parseMoneyToFen', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(parseMoneyToFen(formatFen(n), { allowNegative: true })).toEqual({ ok: true, value: n === 0 ? 0 : n });
        expect(parseMoneyToFen(formatFen(Math.abs(n), { symbol: '¥' }) + '元')).toEqual({ ok: true, value: Math.abs(n) });
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the grouped form for small amounts written without separators', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), (n) => {
        const plain = formatFen(n).replaceAll(',', '');
        expect(parseMoneyToFen(plain)).toEqual({ ok: true, value: n });
      }),
    );
  });
});
