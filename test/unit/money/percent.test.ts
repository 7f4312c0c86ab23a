// The money screens' conversions: percentages typed by users to parts per million and back (never a
// float), yuan typed to fen.
import { describe, expect, it } from 'vitest';
import { parseYuan, percentToPpm, ppmToPercent } from '../../../renderer/money.js';

describe('percent ↔ ppm', () => {
  it('shows ppm as a percentage without trailing zeros', () => {
    expect(ppmToPercent(500)).toBe('0.05');
    expect(ppmToPercent(240_000)).toBe('24');
    expect(ppmToPercent(1)).toBe('0.0001');
    expect(ppmToPercent(0)).toBe('0');
    expect(ppmToPercent(1_000_000)).toBe('100');
  });

  it('reads typed percentages exactly, up to 4 decimals', () => {
    expect(percentToPpm('0.05')).toBe(500);
    expect(percentToPpm('24 %')).toBe(240_000);
    expect(percentToPpm('0.0001')).toBe(1);
    expect(percentToPpm('33.3333')).toBe(333_333);
    expect(percentToPpm('0.29')).toBe(2_900); // 0.29 * 10000 is 2899.9999… as a float
    for (const bad of ['', 'abc', '-1', '1.00001', '1,5']) expect(percentToPpm(bad)).toBeNull();
  });

  it('round-trips', () => {
    for (const ppm of [0, 1, 7, 500, 2_900, 240_000, 333_333, 10_000_000]) expect(percentToPpm(ppmToPercent(ppm))).toBe(ppm);
  });
});

describe('yuan', () => {
  it('parses typed yuan to fen, empty or junk to null', () => {
    expect(parseYuan('3,333.34')).toBe(333_334);
    expect(parseYuan('¥0.07')).toBe(7);
    expect(parseYuan('')).toBeNull();
    expect(parseYuan('12.345')).toBeNull();
    expect(parseYuan('x')).toBeNull();
  });
});
