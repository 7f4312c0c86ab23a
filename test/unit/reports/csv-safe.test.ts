// The one neutralisation rule every CSV the app writes follows (shared/domain/reports/csv-safe.ts):
// examples, then properties over arbitrary text with fast-check — the cell reads back as the text (after
// the protective apostrophe), and no cell a spreadsheet reads can start a formula.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { csvCell, csvText, formulaLike, neutralise } from '../../../shared/domain/reports/csv-safe.js';

const FORMULA_CHARS = ['=', '+', '-', '@', '\t', '\r'];

describe('neutralise', () => {
  it('prefixes every formula start, attacks included', () => {
    for (const t of ['=HYPERLINK("http://x.example","点我")', '+cmd|" /C calc"!A0', '-2+3', '@SUM(A1:A9)', '\t=1', '\r=1', '=', '+', '-', '@', '+8613800138000', '-1e5', '--5', '-5-', '- 5', '-12.5.0', '-1,23'])
      expect(neutralise(t), JSON.stringify(t)).toBe(`'${t}`);
  });

  it('leaves plain negative numbers, ordinary text and empty cells alone', () => {
    for (const t of ['-12.50', '-5', '-0', '-1,234.56', '-1234567.89', '12.50', '张三=李四', 'a+b', ' =1', '', "'=already"]) expect(neutralise(t), JSON.stringify(t)).toBe(t);
  });

  it('writes numbers as numbers, never neutralised, and quotes what RFC 4180 needs', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvText([['h'], ['=x']])).toBe("\uFEFFh\r\n'=x\r\n");
    expect(csvText([['h']], false)).toBe('h\r\n');
  });
});

const parse = (text: string): string[][] => {
  const r = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { newline: '\r\n', delimiter: ',' });
  return r.data.slice(0, -1); // the final CRLF ends the last row
};

describe('properties', () => {
  const cellText = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.tuple(fc.constantFrom(...FORMULA_CHARS), fc.string()).map(([a, b]) => a + b),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  );

  it('a neutralised cell is the text, or the text behind one apostrophe exactly when it is formula-looking', () => {
    fc.assert(
      fc.property(cellText, (t) => {
        const n = neutralise(t);
        expect(n).toBe(formulaLike(t) ? `'${t}` : t);
        // Whatever is left alone cannot start a formula, except a plain negative number.
        if (n === t && t.length > 0 && FORMULA_CHARS.includes(t[0]!)) expect(t).toMatch(/^-(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('CSV text reads back cell for cell (a CSV parser sees the apostrophe, nothing else changes)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cellText, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), (rows) => {
        // A lone empty cell is an empty line, which a CSV reader skips: keep every row's first cell non-empty.
        const data = rows.map((r) => [`r${r.length}`, ...r]);
        const back = parse(csvText(data));
        expect(back).toEqual(data.map((r) => r.map(neutralise)));
        for (const row of back) for (const cell of row) if (cell.length > 0 && FORMULA_CHARS.includes(cell[0]!)) expect(formulaLike(cell)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
