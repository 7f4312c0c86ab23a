// Placement import end to end through the API: real files of every shape lenders send, hostile files,
// re-imports, re-placements, templates, and the all-or-nothing guarantee.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, readFileSync, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { zipSync, unzipSync, strToU8 } from 'fflate';
import { makeStore, removeDir, tempDir, login, type TestStore } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
let lenderId: number;
let otherLenderId: number;
const f = (name: string) => path.join(files, name);

beforeAll(async () => {
  s = await makeStore();
  files = tempDir('agencydesk-files-');
  lenderId = (await s.admin.call('lenders.create', { code: 'PAYD', name: '平安i贷' })).id;
  otherLenderId = (await s.admin.call('lenders.create', { code: 'ZAXD', name: '众安小贷' })).id;
});
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

const caseCount = async (filter: { lenderId?: number; batchId?: number } = {}) => (await s.admin.call('cases.list', { ...filter, limit: 1 })).total;

describe('file shapes', () => {
  it('imports a GBK CSV with Chinese headers under a title row', async () => {
    const rows = makeRows(30, 11, { caseNoPrefix: 'GBK' });
    const text = 'XX银行2025年3月委案明细,,,\r\n' + toCsv([PLACEMENT_HEADERS, ...rows]);
    writeFileSync(f('gbk.csv'), iconv.encode(text, 'gbk'));
    const preview = await s.admin.call('import.preview', { lenderId, file: { path: f('gbk.csv') } });
    expect(preview).toMatchObject({ format: 'csv', encoding: 'gb18030', headerRow: 2, totalRows: 30, validRows: 30, rejectedRows: 0, missingRequired: [] });
    expect(preview.headers[1]).toBe('客户姓名');
    expect(preview.sample[0]!.values.borrowerName).toBe(rows[0]![1]);
    expect(preview.sample[0]!.values.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/); // masked in the preview
    const job = await importFile(s.admin, lenderId, f('gbk.csv'));
    expect(job.state).toBe('done');
    expect(job.result).toMatchObject({ imported: 30, updated: 0, rejected: 0 });
    const { rows: listed } = await s.admin.call('cases.list', { batchId: job.result!.batch!.id, sort: 'caseNo', desc: false, limit: 5 });
    expect(listed[0]).toMatchObject({ caseNo: 'GBK00000001', borrowerName: rows[0]![1], bucket: expect.stringMatching(/^M/) });
    expect(listed[0]!.overdueAmountFen).toBe(Math.round(Number(rows[0]![10]) * 100));
  });

  it('imports an XLSX with a merged title row, serial and real dates, text IDs and numbers stored as text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('委案明细');
    ws.mergeCells('A1:F1');
    ws.getCell('A1').value = '众安小贷 2025年3月 委案清单';
    ws.addRow([]);
    ws.addRow(['借据号', '借款人姓名', '证件号码', '本人手机', '欠款金额', '应还日期']);
    ws.addRow(['JD-1', '周杰', '110105199003071239', '13812345678', 1234.5, 45736]); // 45736 = 2025-03-20
    ws.addRow(['JD-2', '林静', '110105198501010020', 13900001111, '2,000.00', new Date(Date.UTC(2025, 0, 31))]);
    ws.getColumn(3).numFmt = '@';
    await wb.xlsx.writeFile(f('placement.xlsx'));
    const preview = await s.admin.call('import.preview', { lenderId: otherLenderId, file: { path: f('placement.xlsx') } });
    expect(preview).toMatchObject({ format: 'xlsx', sheet: '委案明细', headerRow: 3, validRows: 2, rejectedRows: 0 });
    expect(preview.sample.map((r) => r.values.dueDate)).toEqual(['2025-03-20', '2025-01-31']);
    expect(preview.sample.map((r) => r.values.overdueAmount)).toEqual(['1,234.50', '2,000.00']);
    const job = await importFile(s.admin, otherLenderId, f('placement.xlsx'));
    expect(job.result).toMatchObject({ imported: 2, rejected: 0 });
  });

  it('handles a BOM, CRLF, quoted line breaks and trailing empty columns', async () => {
    const rows = makeRows(3, 12, { caseNoPrefix: 'BOM' });
    rows[1]![15] = '广州市天河区\n体育西路1号, 3楼 "A座"';
    const text = '\ufeff' + toCsv([[...PLACEMENT_HEADERS, '', ''], ...rows.map((r) => [...r, '', ''])]);
    writeFileSync(f('bom.csv'), text);
    const job = await importFile(s.admin, lenderId, f('bom.csv'));
    expect(job.result).toMatchObject({ imported: 3, rejected: 0 });
  });

  it('rejects bad rows with row, column and reason and imports the good ones', async () => {
    const rows = makeRows(5, 13, { caseNoPrefix: 'BAD' });
    rows[1]![2] = '110105199003071238'; // wrong check digit
    rows[2]![10] = '12,34.5'; // misplaced thousands separator
    rows[3]![3] = '0755-88886666'; // a landline where a mobile is required
    writeFileSync(f('bad-rows.csv'), toCsv([PLACEMENT_HEADERS, ...rows]));
    const job = await importFile(s.admin, lenderId, f('bad-rows.csv'));
    expect(job.result!.imported).toBe(2);
    expect(job.result!.rejections).toEqual([
      { row: 3, column: '身份证号', reason: expect.stringMatching(/checksum/) },
      { row: 4, column: '逾期金额', reason: expect.stringMatching(/12,34\.5/) },
      { row: 5, column: '手机号码', reason: expect.stringMatching(/mobile/) },
    ]);
    const stored = await s.admin.call('batches.rejections', { batchId: job.result!.batch!.id });
    expect(stored.rows.map((r) => r.row)).toEqual([3, 4, 5]);
    expect(stored.rows[0]!.raw[2]).toBe('110105199003071238'); // the original values, for the CSV download
    expect(stored.headers).toEqual(PLACEMENT_HEADERS);
  });

  it("blocks the whole file when the lender's policy says so", async () => {
    const strict = (await s.admin.call('lenders.create', { code: 'STRICT', name: '严格银行', rejectPolicy: 'block_file' })).id;
    const rows = makeRows(4, 14, { caseNoPrefix: 'STR' });
    rows[2]![1] = '';
    writeFileSync(f('strict.csv'), toCsv([PLACEMENT_HEADERS, ...rows]));
    const job = await importFile(s.admin, strict, f('strict.csv'));
    expect(job.state).toBe('failed');
    expect(job.error!.message).toMatch(/1 row\(s\) were rejected .* nothing was imported/);
    expect(await caseCount({ lenderId: strict })).toBe(0);
  });
});

describe('hostile files cost nothing', () => {
  const expectRefused = async (file: string, pattern: RegExp) => {
    const before = await caseCount();
    const err = await s.admin.error('import.preview', { lenderId, file: { path: file } });
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(pattern);
    const job = await importFile(s.admin, lenderId, file);
    expect(job.state).toBe('failed');
    expect(job.error!.message).toMatch(pattern);
    expect(await caseCount()).toBe(before);
  };

  it('an empty file', () => expectRefused((writeFileSync(f('empty.csv'), ''), f('empty.csv')), /empty/));

  it('a binary file', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    writeFileSync(f('binary.csv'), bytes);
    return expectRefused(f('binary.csv'), /binary/);
  });

  it('invalid bytes: refused with the byte offset, never replaced', () => {
    writeFileSync(f('badbytes.csv'), Buffer.concat([Buffer.from(toCsv([PLACEMENT_HEADERS])), Buffer.from([0x81, 0x20, 0xff, 0x0a])]));
    return expectRefused(f('badbytes.csv'), /byte offset \d+/);
  });

  it('a truncated XLSX', () => {
    writeFileSync(f('truncated.xlsx'), readFileSync(f('placement.xlsx')).subarray(0, 2000));
    return expectRefused(f('truncated.xlsx'), /truncated|damaged/);
  });

  it('a zip bomb', () => {
    const zeros = new Uint8Array(300 * 1024 * 1024);
    const bomb = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'xl/workbook.xml': strToU8('<workbook/>'), 'xl/worksheets/sheet1.xml': [zeros, { level: 9 }] });
    writeFileSync(f('bomb.xlsx'), bomb);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    return expectRefused(f('bomb.xlsx'), /zip bomb/);
  });

  it('an XML entity bomb', async () => {
    const entries = unzipSync(readFileSync(f('placement.xlsx')));
    const lol = ['<!ENTITY a0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY a${i + 1} "${`&a${i};`.repeat(10)}">`)].join('');
    const sheet = Object.keys(entries).find((k) => k.startsWith('xl/worksheets/sheet'))!;
    const xml = new TextDecoder().decode(entries[sheet]);
    entries[sheet] = strToU8(xml.replace(/^(<\?xml[^>]*\?>)?/, `$1<!DOCTYPE worksheet [${lol}]>`).replace('<c r="B4"', '<c r="B4" t="inlineStr"><is><t>&a9;</t></is></c><c r="Z4"'));
    writeFileSync(f('entities.xlsx'), zipSync(entries));
    return expectRefused(f('entities.xlsx'), /cannot be read|entity|DOCTYPE/i);
  });

  it('a 1 GB single line', () => {
    const fd = openSync(f('oneline.csv'), 'w');
    const chunk = Buffer.alloc(16 * 1024 * 1024, 'a');
    for (let i = 0; i < 64; i++) writeSync(fd, chunk);
    closeSync(fd);
    return expectRefused(f('oneline.csv'), /longer than 4 MB/);
  });

  it('2 million columns', () => {
    writeFileSync(f('wide.csv'), 'x,'.repeat(2_000_000) + '\n');
    return expectRefused(f('wide.csv'), /2,000,001 columns/);
  });

  it('an old .xls workbook', () => {
    writeFileSync(f('old.xls'), Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]));
    return expectRefused(f('old.xls'), /save it as \.xlsx/);
  });
});

describe('batches, re-imports and re-placements', () => {
  it('refuses the same file twice', async () => {
    const err = await importFile(s.admin, lenderId, f('gbk.csv'));
    expect(err.state).toBe('failed');
    expect(err.error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already imported as batch PAYD-/) });
    const preview = await s.admin.call('import.preview', { lenderId, file: { path: f('gbk.csv') } });
    expect(preview.duplicateOf?.batchNo).toMatch(/^PAYD-/);
    expect(preview.existingCases).toBe(30);
    // Each batch keeps its file's SHA-256 (the reader computes it during the import: never a placeholder).
    const sha = (name: string) => createHash('sha256').update(readFileSync(f(name))).digest('hex');
    const batches = (await s.admin.call('batches.list', { lenderId })).batches;
    expect(batches.find((x) => x.sourceName === 'gbk.csv')?.sourceSha256).toBe(sha('gbk.csv'));
    expect(batches.every((x) => /^[0-9a-f]{64}$/.test(x.sourceSha256))).toBe(true);
  });

  it('updates a case the lender placed before, keeps the change in its history, and records the batch', async () => {
    const first = makeRows(10, 21, { caseNoPrefix: 'RE' });
    writeFileSync(f('re1.csv'), toCsv([PLACEMENT_HEADERS, ...first]));
    const a = await importFile(s.admin, lenderId, f('re1.csv'), { batchNo: 'RE-1' });
    expect(a.result).toMatchObject({ imported: 10, updated: 0 });
    const second = makeRows(15, 21, { caseNoPrefix: 'RE' }).slice(5); // RE6..RE15: 5 known, 5 new
    // The re-placement restates the debt: a new total and components that sum to it (issue 15's amount model).
    second[0]!.splice(10, 4, '99.99', '79.99', '15.00', '5.00');
    writeFileSync(f('re2.csv'), toCsv([PLACEMENT_HEADERS, ...second]));
    const b = await importFile(s.admin, lenderId, f('re2.csv'), { batchNo: 'RE-2' });
    expect(b.result).toMatchObject({ imported: 5, updated: 5 });
    const { rows } = await s.admin.call('cases.list', { q: 'RE00000006' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ batchNo: 'RE-2', overdueAmountFen: 9999 });
    const batches = (await s.admin.call('batches.list', { lenderId })).batches.filter((x) => x.batchNo.startsWith('RE-'));
    expect(batches.map((x) => [x.batchNo, x.rowsImported, x.rowsUpdated])).toEqual([
      ['RE-2', 5, 5],
      ['RE-1', 10, 0],
    ]);
    const audit = await s.admin.call('audit.list', { action: 'import.batch', limit: 1 });
    expect(audit.entries[0]!.detail).toMatchObject({ batchNo: 'RE-2', imported: 5, updated: 5, file: 're2.csv' });
  });

  it('links the same borrower across lenders without merging', async () => {
    const row = makeRows(1, 31, { caseNoPrefix: 'LINK' });
    writeFileSync(f('link-a.csv'), toCsv([PLACEMENT_HEADERS, ...row]));
    writeFileSync(f('link-b.csv'), toCsv([PLACEMENT_HEADERS, [...row[0]!.slice(0, 10), '500.00', ...row[0]!.slice(11)]]));
    await importFile(s.admin, lenderId, f('link-a.csv'));
    await importFile(s.admin, otherLenderId, f('link-b.csv'));
    const { rows } = await s.admin.call('cases.list', { q: row[0]![2]! });
    expect(rows.map((r) => [r.lenderCode, r.linkedCases]).sort()).toEqual([
      ['PAYD', 1],
      ['ZAXD', 1],
    ]);
  });

  it('a dry run reports and writes nothing', async () => {
    writeFileSync(f('dry.csv'), toCsv([PLACEMENT_HEADERS, ...makeRows(7, 41, { caseNoPrefix: 'DRY' })]));
    const before = await caseCount();
    const job = await importFile(s.admin, lenderId, f('dry.csv'), { dryRun: true });
    expect(job.result).toMatchObject({ imported: 7, dryRun: true, batch: null });
    expect(await caseCount()).toBe(before);
    expect((await importFile(s.admin, lenderId, f('dry.csv'))).result!.imported).toBe(7);
  });
});

describe('mapping', () => {
  const odd = ['Ref', 'Debtor', 'Doc', 'Cell', 'Owed', 'Due'];
  const oddRows = (prefix: string) => makeRows(3, 51, { caseNoPrefix: prefix }).map((r) => [r[0]!, r[1]!, r[2]!, r[3]!, r[10]!, r[8]!]);
  const mapping = { caseNo: 'Ref', borrowerName: 'Debtor', idNumber: 'Doc', mobile: 'Cell', overdueAmount: 'Owed', dueDate: 'Due' };

  it('blocks an import whose required fields are not mapped, naming them', async () => {
    writeFileSync(f('odd1.csv'), toCsv([odd, ...oddRows('ODDA')]));
    const err = await s.admin.error('import.preview', { lenderId: otherLenderId, file: { path: f('odd1.csv') } });
    expect(err.message).toMatch(/No header row found/);
    // A header that names enough fields but misses required ones: the preview says which.
    writeFileSync(f('odd2.csv'), toCsv([['合同号', '客户姓名', '逾期金额', 'Doc', 'Cell'], ['X1', '张三', '100', '110105199003071239', '13812345678']]));
    const p = await s.admin.call('import.preview', { lenderId: otherLenderId, file: { path: f('odd2.csv') } });
    expect(p.missingRequired.sort()).toEqual(['idNumber', 'mobile']);
    const job = await importFile(s.admin, otherLenderId, f('odd2.csv'));
    expect(job.error!.message).toMatch(/Required fields are not mapped to any column: 身份证号, 手机号/);
  });

  it('saves the mapping as a template and maps the next file from that lender by itself', async () => {
    const fresh = (await s.admin.call('lenders.create', { code: 'ODD', name: '奇怪表头银行' })).id;
    writeFileSync(f('odd3.csv'), toCsv([['合同号', '客户姓名', '逾期金额', 'Doc', 'Cell'], ['X1', '张三', '100', '110105199003071239', '13812345678']]));
    const job = await importFile(s.admin, fresh, f('odd3.csv'), { mapping: { idNumber: 'Doc', mobile: 'Cell' }, saveTemplateAs: '标准模板' });
    expect(job.result!.imported).toBe(1);
    expect((await s.admin.call('templates.list', { lenderId: fresh })).templates[0]).toMatchObject({ name: '标准模板', mapping: { idNumber: 'Doc', mobile: 'Cell', caseNo: '合同号' } });
    writeFileSync(f('odd4.csv'), toCsv([['合同号', '客户姓名', '逾期金额', 'Doc', 'Cell'], ['X2', '李四', '200', '110105198501010020', '13900001111']]));
    const p = await s.admin.call('import.preview', { lenderId: fresh, file: { path: f('odd4.csv') } });
    expect(p).toMatchObject({ templateUsed: '标准模板', missingRequired: [], validRows: 1 });
    expect((await importFile(s.admin, fresh, f('odd4.csv'))).result!.imported).toBe(1);
    void mapping;
  });
});

describe('who may import and see cases', () => {
  it('a collector cannot import and sees only cases assigned to them', async () => {
    await s.admin.call('users.create', { username: 'collector1', displayName: '催收员一', role: 'collector', teamId: null, password: 'collector pw 1' });
    const c = await login(s.backend, 'collector1', 'collector pw 1');
    expect((await c.error('import.preview', { lenderId, file: { path: f('gbk.csv') } })).code).toBe('FORBIDDEN');
    expect((await c.call('cases.list', {})).total).toBe(0);
    expect(await caseCount()).toBeGreaterThan(50);
  });

});
