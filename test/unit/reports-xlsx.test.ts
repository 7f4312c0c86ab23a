// The report writers' own formatting: numbers as text exactly as JavaScript writes them, and the streamed
// XLSX (a zip made here, not by a library) that unzip, exceljs and the import's reader all accept.
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { numText } from '../../shared/domain/reports/cells.js';
import { XlsxWriter, columnName, xmlText } from '../../core/reports/xlsx-writer.js';
import { removeDir, tempDir } from '../helpers/store.js';

const dir = tempDir('agencydesk-xlsx-');
afterAll(() => removeDir(dir));

describe('numText', () => {
  it('writes every amount exactly as String() does', () => {
    let x = 7;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
    const values = [0, -0, 1, -1, 0.01, -0.05, 0.1, 1.5, 10500, 123.45, 1e15, 1e21, 0.1 + 0.2, 1 / 3, -123456789.99, NaN, Infinity, 2 ** 53];
    for (let i = 0; i < 100_000; i++) values.push((next() - 2 ** 30) / 100, next() / 7, next());
    expect(values.filter((v) => numText(v) !== String(v))).toEqual([]);
  });
});

describe('XlsxWriter', () => {
  it('names columns like Excel', () => {
    expect([1, 26, 27, 52, 53, 702, 703].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('escapes what XML cannot hold, and a literal _xHHHH_ so Excel does not decode it', () => {
    expect(xmlText('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
    expect(xmlText('bell\u0007')).toBe('bell_x0007_');
    expect(xmlText('_x0041_')).toBe('_x005F_x0041_');
    expect(xmlText('张三 plain')).toBe('张三 plain');
  });

  it('writes a zip that unzip tests clean and exceljs reads back cell for cell', async () => {
    const file = path.join(dir, 'r.xlsx');
    const w = new XlsxWriter(file, 'status-report', 4);
    await w.begin(['合同号', 'Amount', 'Note', 'Empty']);
    const rows: (string | number | null)[][] = [
      ['C-1', 123.45, ' leading space', null],
      ['C-2', -0.05, 'a & b <c>', 'x'],
      ['C-3', 10500, '多行\n备注', 0],
    ];
    for (let i = 0; i < 3000; i++) rows.push([`C-${i + 4}`, i / 100, `第${i}行`, i % 7 === 0 ? null : 'y']);
    for (const r of rows) await w.row(r);
    await w.finish();
    expect(w.rows).toBe(rows.length + 1);
    expect(execFileSync('unzip', ['-t', file]).toString()).toContain('No errors detected');
    const sha = execFileSync('sha256sum', [file]).toString().split(' ')[0];
    expect(w.sha256()).toBe(sha);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('status-report');
    expect(sheet.getRow(1).values).toEqual([undefined, '合同号', 'Amount', 'Note', 'Empty']);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.rowCount).toBe(rows.length + 1);
    rows.forEach((r, i) => {
      const got = sheet.getRow(i + 2);
      r.forEach((v, j) => expect(got.getCell(j + 1).value ?? null, `row ${i + 2} col ${j + 1}`).toBe(v));
    });
  });

  it("refuses more rows than Excel's sheet limit with a clear message", async () => {
    const w = new XlsxWriter(path.join(dir, 'big.xlsx'), 's', 1, 3);
    await w.begin(['h']);
    await w.row(['a']);
    await w.row(['b']);
    expect(() => w.row(['c'])).toThrow(/Excel's limit for a sheet: export this report as CSV/);
    w.abort();
  });
});
