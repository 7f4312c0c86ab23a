import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { daysBetween, parseDate } from '../../../shared/domain/placement/dates.js';

const d = (input: Parameters<typeof parseDate>[0], allowSerial?: boolean) => {
  const r = parseDate(input, allowSerial === undefined ? {} : { allowSerial });
  return r.ok ? r.value : `error: ${r.reason}`;
};

// Independent oracle for the property tests: the platform's UTC calendar.
const utcDay = (y: number, m: number, day: number) => Date.UTC(y, m - 1, day) / 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const validDate = fc
  .record({ y: fc.integer({ min: 1900, max: 2100 }), m: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .filter(({ y, m, day }) => new Date(Date.UTC(y, m - 1, day)).getUTCDate() === day);

describe('parseDate on text', () => {
  it.each([
    ['2025-03-20', '2025-03-20'],
    ['2025-3-20', '2025-03-20'],
    ['2025/3/20', '2025-03-20'],
    ['2025/03/05', '2025-03-05'],
    ['2025.03.20', '2025-03-20'],
    ['20250320', '2025-03-20'],
    ['2025年3月20日', '2025-03-20'],
    ['2025年03月20', '2025-03-20'],
    ['２０２５年３月２０日', '2025-03-20'],
    ['２０２５－０３－２０', '2025-03-20'],
    ['2025-03-20T10:00:00', '2025-03-20'],
    ['2025-03-20 10:00:00', '2025-03-20'],
    ['2025-03-20T23:59:59.999+08:00', '2025-03-20'],
    ['2025/3/20 0:00', '2025-03-20'],
    ['2025年3月20日 10:00', '2025-03-20'],
    ['  2025-03-20  ', '2025-03-20'],
  ])('%s → %s', (input, expected) => {
    expect(d(input)).toBe(expected);
  });

  it('checks the calendar and the 1900–2100 range', () => {
    expect(d('2025-02-29')).toBe('error: no such date: 2025-02-29');
    expect(d('2024-02-29')).toBe('2024-02-29');
    expect(d('1900-02-29')).toMatch(/no such date/);
    expect(d('2000-02-29')).toBe('2000-02-29');
    expect(d('2025-04-31')).toMatch(/no such date/);
    expect(d('2025-13-01')).toMatch(/no such date/);
    expect(d('2025-00-10')).toMatch(/no such date/);
    expect(d('20250230')).toMatch(/no such date/);
    expect(d('1899-12-31')).toMatch(/year out of range/);
    expect(d('2101-01-01')).toMatch(/year out of range/);
    expect(d('1900-01-01')).toBe('1900-01-01');
    expect(d('2100-12-31')).toBe('2100-12-31');
  });

  it('rejects other shapes with a reason naming the cell', () => {
    expect(d('')).toBe('error: empty');
    expect(d(' ')).toBe('error: empty');
    expect(d(null)).toBe('error: empty');
    for (const bad of ['3/20/2025', '20/03/2025', '2025-03/20', '2025-03', '25-03-20', '2025-003-20', '2025-03-201',
      '2025-03-20x', '2025-03-20 noon', 'yesterday', '2025320', '2025年3月', '45736']) {
      expect(d(bad), bad).toMatch(/^error: not a date/);
    }
  });
});

describe('parseDate on Excel serials', () => {
  it('follows the 1900 date system, fake leap day included', () => {
    expect(d(1)).toBe('1900-01-01');
    expect(d(59)).toBe('1900-02-28');
    expect(d(60)).toBe('error: Excel serial 60 is 1900-02-29, a day that does not exist');
    expect(d(61)).toBe('1900-03-01');
    expect(d(36526)).toBe('2000-01-01');
    expect(d(45736)).toBe('2025-03-20');
    expect(d(45736.75)).toBe('2025-03-20'); // 18:00 that day
    expect(d(73415)).toBe('2100-12-31');
    expect(d(73416)).toMatch(/out of range/);
    expect(d(0)).toMatch(/out of range/);
    expect(d(-5)).toMatch(/out of range/);
    expect(d(Number.NaN)).toMatch(/^error: not a date/);
  });
  it('reads numeric strings as serials only when asked', () => {
    expect(d('45736')).toMatch(/^error: not a date/);
    expect(d('45736', true)).toBe('2025-03-20');
    expect(d('45736.5', true)).toBe('2025-03-20');
    expect(d('60', true)).toMatch(/does not exist/);
    expect(d(45736, false)).toMatch(/^error: not a date/);
    expect(d('20250320', true)).toBe('2025-03-20');
  });
  it('reads an 8-digit number as YYYYMMDD (Excel turned the text into a number)', () => {
    expect(d(20250320)).toBe('2025-03-20');
    expect(d(20250230)).toMatch(/no such date/);
  });
  it('maps every serial from 61 on to the day the UTC calendar gives', () => {
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 73415 }), (serial) => {
        const expected = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
        expect(d(serial)).toBe(expected);
      }),
    );
  });
});

describe('parseDate on Date objects', () => {
  it('uses the UTC calendar day', () => {
    expect(d(new Date(Date.UTC(2025, 2, 20)))).toBe('2025-03-20');
    expect(d(new Date('2025-03-20T23:30:00Z'))).toBe('2025-03-20');
    expect(d(new Date('2025-03-20T23:30:00-05:00'))).toBe('2025-03-21');
    expect(d(new Date('invalid'))).toMatch(/^error: not a date/);
    expect(d(new Date(Date.UTC(1800, 0, 1)))).toMatch(/year out of range/);
  });
});

describe('dates round-trip', () => {
  it('through YYYY/M/D, YYYYMMDD and 年月日', () => {
    fc.assert(
      fc.property(validDate, ({ y, m, day }) => {
        const iso = `${y}-${pad(m)}-${pad(day)}`;
        expect(d(`${y}/${m}/${day}`)).toBe(iso);
        expect(d(`${y}${pad(m)}${pad(day)}`)).toBe(iso);
        expect(d(`${y}年${m}月${day}日`)).toBe(iso);
        expect(d(iso)).toBe(iso);
      }),
      { numRuns: 1000 },
    );
  });
  it('rejects every impossible day of a month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 29, max: 31 }), (y, m, day) => {
        const real = new Date(Date.UTC(y, m - 1, day)).getUTCDate() === day;
        expect(parseDate(`${y}-${m}-${day}`).ok).toBe(real);
      }),
    );
  });
});

describe('daysBetween', () => {
  it('counts calendar days, b − a', () => {
    expect(daysBetween('2025-03-20', '2025-03-20')).toBe(0);
    expect(daysBetween('2025-02-28', '2025-03-01')).toBe(1);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-03-01', '2025-02-28')).toBe(-1);
    expect(daysBetween('1900-01-01', '2100-12-31')).toBe(73413); // 201 × 365 + 49 leap days − 1
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2); // across the EU DST change
  });
  it('agrees with the UTC calendar for any two dates', () => {
    fc.assert(
      fc.property(validDate, validDate, (a, b) => {
        const ia = `${a.y}-${pad(a.m)}-${pad(a.day)}`;
        const ib = `${b.y}-${pad(b.m)}-${pad(b.day)}`;
        expect(daysBetween(ia, ib)).toBe(utcDay(b.y, b.m, b.day) - utcDay(a.y, a.m, a.day));
      }),
    );
  });
  it('refuses anything but YYYY-MM-DD', () => {
    expect(() => daysBetween('2025/3/20', '2025-03-20')).toThrow(RangeError);
    expect(() => daysBetween('2025-02-30', '2025-03-20')).toThrow(RangeError);
  });
});
