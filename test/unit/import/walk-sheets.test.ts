// A lender's workbook whose first sheet is instructions (填表说明) and whose cases are on the second: found
// trying real files (session 18) — the wizard said "no header row" and offered no sheet to pick, so the file
// could not be imported from the UI at all. walk() now reads the next sheet that has a header row. And the
// 合计 line lenders add under their cases: it was a "rejected row" (under block_file, the whole file refused).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { walk, type Layout } from '../../../core/import/walk.js';
import type { ImportSettings } from '../../../core/import/protocol.js';
import { makeRows, PLACEMENT_HEADERS } from '../../helpers/placement-data.js';

const dir = mkdtempSync(path.join(tmpdir(), 'agencydesk-walk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settings = (sheet?: string): ImportSettings => ({
  lenderId: 1, lenderCode: 'PAYD', rejectPolicy: 'skip_rows', sheet, mapping: {}, templateName: null,
  placementDate: '2026-11-25', amountPolicy: 'principal_difference', today: '2026-12-07',
});

async function workbook(name: string, sheets: [string, string[][]][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [title, rows] of sheets) {
    const ws = wb.addWorksheet(title);
    rows.forEach((r, i) => (ws.getRow(i + 1).values = r));
  }
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

async function read(filePath: string, sheet?: string) {
  const layouts: Layout[] = [];
  const rows: number[] = [];
  const r = await walk({ filePath, fileKey: undefined, settings: settings(sheet) }, (l) => layouts.push(l), (n) => rows.push(n), () => {});
  return { ...r, layouts, rows };
}

const HELP: string[][] = [['1. 金额单位：元'], ['2. 身份证号请设置为文本格式'], ['3. 日期格式 2025-03-05']];
const DATA = [PLACEMENT_HEADERS, ...makeRows(3, 7)];

describe('walk: which sheet of a workbook', () => {
  it('reads the first sheet with a header row when none was chosen', async () => {
    const file = await workbook('help-first.xlsx', [['填表说明', HELP], ['案件数据', DATA]]);
    const r = await read(file);
    expect(r.info.sheet).toBe('案件数据');
    expect(r.info.sheets).toEqual(['填表说明', '案件数据']);
    expect(r.layouts).toHaveLength(1);
    expect(r.layout.headerRowNo).toBe(1);
    expect(r.rows).toEqual([2, 3, 4]);
  });

  it('a sheet the user chose is read as chosen: no header there is an error', async () => {
    const file = await workbook('help-chosen.xlsx', [['填表说明', HELP], ['案件数据', DATA]]);
    await expect(read(file, '填表说明')).rejects.toThrow(/^No header row found in the first 20 rows: .*\.$/);
    expect((await read(file, '案件数据')).rows).toEqual([2, 3, 4]);
  });

  it('no sheet with a header row: the error names the sheets it read', async () => {
    const file = await workbook('help-only.xlsx', [['填表说明', HELP], ['备注', HELP]]);
    await expect(read(file)).rejects.toThrow('No sheet of the workbook has a header row in its first 20 rows (sheets: 填表说明, 备注).');
  });

  it('a CSV without a header row is refused as before', async () => {
    const file = path.join(dir, 'no-header.csv');
    writeFileSync(file, HELP.map((r) => r.join(',')).join('\r\n') + '\r\n');
    await expect(read(file)).rejects.toThrow(/^No header row found in the first 20 rows: .*\(best: 0\)\.$/);
  });
});

describe('the message when no sheet has a header row', () => {
  it('is recognised as its own key, with the sheets as a parameter', async () => {
    const { recogniseMessage } = await import('../../../shared/contract/messages.js');
    const file = await workbook('help-only-2.xlsx', [['填表说明', HELP], ['备注', HELP]]);
    const message = await read(file).then(() => '', (e: Error) => e.message);
    expect(recogniseMessage(message)).toMatchObject({ key: 'fileNoHeaderRowSheets', params: { sheets: '填表说明, 备注', rows: '20' } });
  });
});

describe('walk: a totals line under the cases', () => {
  it('is not a case: neither handed on nor rejected; a case that merely says 合计 still is one', async () => {
    const cases = makeRows(3, 9);
    const named = [...cases[2]!];
    named[1] = '合计'; // a borrower's name column that says 合计, with an ID number and a mobile: a (bad) case
    const totals = PLACEMENT_HEADERS.map((_, i) => (i === 0 ? '合 计：' : i === 10 ? '12,345.60' : ''));
    const english = PLACEMENT_HEADERS.map((_, i) => (i === 1 ? 'Total' : ''));
    const file = await workbook('totals.xlsx', [['委案明细', [PLACEMENT_HEADERS, ...cases, named, [], totals, english]]]);
    const r = await read(file);
    expect(r.rows).toEqual([2, 3, 4, 5]);
  });
});
