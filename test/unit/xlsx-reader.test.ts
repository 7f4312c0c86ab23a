// The XLSX reader that never spools (core/import/read/xlsx.ts): the cell shapes Excel and other writers produce,
// and the same values exceljs's reader gave for a workbook exceljs wrote.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { zipSync, strToU8 } from 'fflate';
import { readXlsx, isDateFormat } from '../../core/import/read/xlsx.js';
import type { Cell } from '../../core/import/read/rows.js';
import { removeDir, tempDir } from '../helpers/store.js';

let dir: string;
beforeAll(() => (dir = tempDir('agencydesk-xlsx-')));
afterAll(() => removeDir(dir));

async function rowsOf(file: string, sheet?: string): Promise<{ rows: Cell[][]; first: number[] }> {
  const rows: Cell[][] = [];
  const first: number[] = [];
  await readXlsx(file, (b) => void (first.push(b.firstRow), rows.push(...b.rows)), sheet ? { sheet } : {});
  return { rows, first };
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
/** A workbook from raw parts, in the given order; `sheets` maps a sheet name to its XML body. */
function rawXlsx(name: string, opts: { sheets: Record<string, string>; shared?: string; styles?: string; date1904?: boolean; prefix?: string }): string {
  const names = Object.keys(opts.sheets);
  const p = opts.prefix ?? '';
  const parts: Record<string, Uint8Array> = {
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0"?><${p}workbook ${p ? `xmlns:${p.slice(0, -1)}="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"` : NS}>${opts.date1904 ? `<${p}workbookPr date1904="1"/>` : ''}<${p}sheets>${names.map((n, i) => `<${p}sheet name="${n}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</${p}sheets></${p}workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${names.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/s${i + 1}.xml"/>`).join('')}<Relationship Id="rS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/><Relationship Id="rT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    ),
  };
  names.forEach((n, i) => (parts[`xl/worksheets/s${i + 1}.xml`] = strToU8(`<?xml version="1.0"?><${p}worksheet ${p ? `xmlns:${p.slice(0, -1)}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"` : NS}><${p}sheetData>${opts.sheets[n]}</${p}sheetData></${p}worksheet>`)));
  if (opts.shared) parts['xl/strings.xml'] = strToU8(`<?xml version="1.0"?><sst ${NS}>${opts.shared}</sst>`);
  if (opts.styles) parts['xl/styles.xml'] = strToU8(`<?xml version="1.0"?><styleSheet ${NS}>${opts.styles}</styleSheet>`);
  const file = path.join(dir, name);
  writeFileSync(file, zipSync(parts));
  return file;
}

describe('readXlsx', () => {
  it('reads what exceljs wrote exactly as exceljs read it: strings, numbers, dates, booleans, formulas, rich text', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('封面').addRow(['ignored']);
    const ws = wb.addWorksheet('明细');
    ws.addRow(['姓名', '金额', '日期', '布尔', '公式', '富文本']);
    ws.addRow(['张三', 1234.5, new Date(Date.UTC(2025, 2, 20)), true, { formula: 'B2*2', result: 2469 }, { richText: [{ text: '李' }, { text: '四', font: { bold: true } }] }]);
    ws.addRow([]);
    ws.addRow(['王五', '2,000.00', null, false, { formula: 'A4', result: '王五' }]);
    const file = path.join(dir, 'exceljs.xlsx');
    await wb.xlsx.writeFile(file);
    const { rows } = await rowsOf(file, '明细');
    expect(rows).toEqual([
      ['姓名', '金额', '日期', '布尔', '公式', '富文本'],
      ['张三', 1234.5, new Date(Date.UTC(2025, 2, 20)), 'TRUE', 2469, '李四'],
      [],
      ['王五', '2,000.00', null, 'FALSE', '王五'],
    ]);
    const first = await rowsOf(file);
    expect(first.rows).toEqual([['ignored']]);
    await expect(rowsOf(file, 'nope')).rejects.toThrow(/No sheet named nope \(sheets: 封面, 明细\)/);
  });

  it('dates by custom and built-in formats (incl. Chinese ids), the 1904 system; phonetic guides are not text', async () => {
    const styles = `<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="&quot;¥&quot;#,##0.00"/></numFmts><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/><xf numFmtId="31"/></cellXfs>`;
    const sheet = `<row r="1"><c r="A1" s="1"><v>45736</v></c><c r="B1" s="2"><v>45736</v></c><c r="C1" s="3"><v>45736</v></c><c r="D1" s="4"><v>45736</v></c><c r="E1"><v>45736</v></c><c r="F1" t="s"><v>0</v></c></row>`;
    const shared = `<si><r><t>周</t></r><r><t xml:space="preserve">杰 </t></r><rPh sb="0" eb="1"><t>ZHOU</t></rPh></si>`;
    const d = new Date(Date.UTC(2025, 2, 20));
    expect((await rowsOf(rawXlsx('dates.xlsx', { sheets: { S: sheet }, shared, styles }))).rows).toEqual([[d, 45736, d, d, 45736, '周杰 ']]);
    const d1904 = new Date(Date.UTC(2029, 2, 21));
    expect((await rowsOf(rawXlsx('d1904.xlsx', { sheets: { S: sheet }, shared, styles, date1904: true }))).rows[0]![0]).toEqual(d1904);
    expect(isDateFormat('yyyy-mm-dd')).toBe(true);
    expect(isDateFormat('"¥"#,##0.00')).toBe(false);
    expect(isDateFormat('[Red]0.00')).toBe(false);
  });

  it('inline strings, rows and cells without r, prefixed SpreadsheetML, errors and empty cells', async () => {
    const sheet = `<x:row><x:c t="inlineStr"><x:is><x:t>甲</x:t></x:is></x:c><x:c t="e"><x:v>#N/A</x:v></x:c><x:c s="0"/><x:c><x:v>7</x:v></x:c></x:row><x:row r="4"><x:c r="C4" t="inlineStr"><x:is><x:r><x:t>乙</x:t></x:r><x:r><x:t>丙</x:t></x:r></x:is></x:c></x:row>`;
    const { rows, first } = await rowsOf(rawXlsx('prefixed.xlsx', { sheets: { S: sheet }, prefix: 'x:' }));
    expect(rows).toEqual([['甲', null, null, 7], [], [], [null, null, '乙丙']]);
    expect(first).toEqual([1]);
  });

  it('refuses a DOCTYPE, too many columns, and keeps Excel row numbers across batches', async () => {
    const bomb = rawXlsx('dtd.xlsx', { sheets: { S: '<row r="1"><c r="A1"><v>1</v></c></row>' } });
    const { unzipSync } = await import('fflate');
    const parts = unzipSync(new Uint8Array(await import('node:fs').then((f) => f.readFileSync(bomb))));
    parts['xl/worksheets/s1.xml'] = strToU8(`<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet ${NS}><sheetData/></worksheet>`);
    writeFileSync(bomb, zipSync(parts));
    await expect(rowsOf(bomb)).rejects.toThrow(/DOCTYPE/);
    await expect(rowsOf(rawXlsx('wide.xlsx', { sheets: { S: '<row r="1"><c r="ALN1"><v>1</v></c></row>' } }))).rejects.toThrow(/1002 columns; at most 1000/);
    const many = Array.from({ length: 4500 }, (_, i) => `<row r="${i + 3}"><c r="A${i + 3}"><v>${i}</v></c></row>`).join('');
    const { rows, first } = await rowsOf(rawXlsx('many.xlsx', { sheets: { S: many } }));
    expect(first).toEqual([1, 2001, 4001]);
    expect(rows).toHaveLength(4502);
    expect(rows[2]).toEqual([0]);
    expect(rows[4501]).toEqual([4499]);
  });

  it('stops reading when the consumer has enough', async () => {
    const many = Array.from({ length: 6000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join('');
    const file = rawXlsx('stop.xlsx', { sheets: { S: many } });
    let batches = 0;
    await readXlsx(file, () => (batches++, false));
    expect(batches).toBe(1);
  });
});
