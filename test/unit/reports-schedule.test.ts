import { describe, it, expect } from 'vitest';
import { nextRunOn, periodOf, weekdayOf } from '../../shared/domain/reports/schedule.js';
import { csvField, neutralise } from '../../shared/domain/reports/cells.js';

describe('report schedules', () => {
  it('finds the next Monday, month day or day, counting the day itself', () => {
    expect(weekdayOf('2026-11-23')).toBe(1); // a Monday
    expect(nextRunOn({ every: 'weekly', weekday: 1, monthDay: null }, '2026-11-23')).toBe('2026-11-23');
    expect(nextRunOn({ every: 'weekly', weekday: 1, monthDay: null }, '2026-11-24')).toBe('2026-11-30');
    expect(nextRunOn({ every: 'weekly', weekday: 7, monthDay: null }, '2026-11-24')).toBe('2026-11-29');
    expect(nextRunOn({ every: 'monthly', weekday: null, monthDay: 5 }, '2026-11-05')).toBe('2026-11-05');
    expect(nextRunOn({ every: 'monthly', weekday: null, monthDay: 5 }, '2026-12-06')).toBe('2027-01-05');
    expect(nextRunOn({ every: 'daily', weekday: null, monthDay: null }, '2026-02-28')).toBe('2026-02-28');
  });
  it('reports the day, the week or the calendar month before the run', () => {
    expect(periodOf('daily', '2026-03-01')).toEqual({ from: '2026-02-28', to: '2026-02-28' });
    expect(periodOf('weekly', '2026-11-23')).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(periodOf('monthly', '2026-01-05')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(periodOf('monthly', '2024-03-01')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });
});

describe('cells for the receiver', () => {
  it('neutralises every formula start and quotes what CSV needs', () => {
    for (const t of ['=1+1', '+86', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(neutralise(t)).toBe(`'${t}`);
    expect(neutralise('张三=李四')).toBe('张三=李四');
    expect(neutralise('-5')).toBe('-5'); // a plain negative number runs nothing (csv-safe.ts)
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvField(-5)).toBe('-5'); // numbers are not text: never neutralised
    expect(csvField(null)).toBe('');
  });
});
