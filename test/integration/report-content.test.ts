// What a lender reads in a real exported package: stage, status, channel, outcome and plan values as labels
// in the report's language; times in the lender's zone with the offset; days overdue and bucket at
// placement and today; XLSX cells typed (identifiers text, days and times date cells, formula-looking text
// unaltered with the quote-prefix style); CSV in UTF-8 with BOM or GB18030, the manifest hashing the bytes
// written.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { makeStore, removeDir, tempDir, login, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { verifyPackage } from '../../core/reports/verify.js';
import { bucketOf } from '../../shared/domain/placement/buckets.js';

let s: TestStore;
let files: string;
let out: string;
// 14:03 in Shanghai, 06:03 UTC, 01:03 in New York (EST).
let clock = new Date('2026-12-01T10:00:00+08:00');
const EXPORT_TIME = new Date('2026-12-06T14:03:00+08:00');
const PW = 'content pw 1234';
let lender = 0;
let batchId = 0;
let c1: Client;
let m1: Client;
const NOTE = '=HYPERLINK("http://x.example","点我")';
const col = (h: string) => PLACEMENT_HEADERS.indexOf(h);
const rows = makeRows(3, 31, { caseNoPrefix: '0123456789012' }); // 21-digit case numbers with a leading zero

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-report-content-');
  out = path.join(files, 'out');
  lender = (await s.admin.call('lenders.create', { code: 'CNT', name: '内容测试平台' })).id;
  await s.admin.call('users.create', { username: 'c1', displayName: 'C1', role: 'collector', password: PW });
  await s.admin.call('users.create', { username: 'm1', displayName: 'M1', role: 'manager', password: PW });
  c1 = await login(s.backend, 'c1', PW);
  m1 = await login(s.backend, 'm1', PW);
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...rows]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-01', batchNo: '20261101' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  batchId = (await s.admin.call('batches.list', { lenderId: lender })).batches[0]!.id;
  const cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  const c1Id = (await s.admin.call('users.list', {})).users.find((u) => u.username === 'c1')!.id;
  await s.admin.call('assign.manual', { caseIds: cases, collectorId: c1Id });
  // The third case leaves collection on 2026-12-01: its days overdue stop ageing that day.
  await m1.call('cases.move', { caseId: cases[2]!, to: 'closed', reason: '委托方要求结案' });
  clock = EXPORT_TIME; // five days on: sessions have locked, log in again
  c1 = await login(s.backend, 'c1', PW);
  m1 = await login(s.backend, 'm1', PW);
  await c1.call('contacts.log', { caseId: cases[0]!, channel: 'phone', outcome: 'promised_to_pay', durationSec: 90, note: NOTE, promise: { amountFen: 50_000, date: '2026-12-20' } });
  await m1.call('payments.post', { caseId: cases[0]!, paidOn: '2026-12-01', amountFen: 20_000, channel: 'alipay', reference: '+86-REF' });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

const read = (dir: string, name: string) => readFileSync(path.join(dir, name));
/** A UTF-8-with-BOM CSV as rows of cells. */
const csvRows = (text: string) => Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { newline: '\r\n', delimiter: ',' }).data.slice(0, -1);
const byHeader = (table: string[][]) => table.slice(1).map((r) => Object.fromEntries(table[0]!.map((h, i) => [h, r[i]!])));

function sheet(dir: string, name: string) {
  const zip = unzipSync(read(dir, name));
  const xml = strFromU8(zip['xl/worksheets/sheet1.xml']!);
  const styles = strFromU8(zip['xl/styles.xml']!);
  const xfs = /<cellXfs[^>]*>(.*?)<\/cellXfs>/.exec(styles)![1]!.match(/<xf [^>]*\/>/g)!;
  const cells = new Map<string, { t: string | null; s: number; v: string }>();
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"((?: [a-z]+="[^"]*")*)>(.*?)<\/c>/g)) {
    const attr = (n: string) => new RegExp(` ${n}="([^"]*)"`).exec(m[2]!)?.[1] ?? null;
    cells.set(m[1]!, { t: attr('t'), s: Number(attr('s') ?? 0), v: m[3]!.replace(/<[^>]+>/g, '') });
  }
  const header = [...cells.entries()].filter(([r]) => /^[A-Z]+1$/.test(r)).map(([r, c]) => [c.v, r.slice(0, -1)] as const);
  const at = (head: string, row: number) => cells.get(`${new Map(header).get(head)!}${row}`)!;
  const format = (c: { s: number }) => {
    const id = /numFmtId="(\d+)"/.exec(xfs[c.s]!)![1];
    return new RegExp(`<numFmt numFmtId="${id}" formatCode="([^"]*)"`).exec(styles)?.[1]?.replace(/&quot;/g, '"') ?? null;
  };
  return { at, format, quoted: (c: { s: number }) => xfs[c.s]!.includes('quotePrefix="1"') };
}

describe('a package as the lender reads it', () => {
  let dir = '';
  beforeAll(async () => {
    dir = (await m1.call('reports.export', { lenderId: lender, batchId, outDir: out })).path;
  });

  it('writes stage, status, channel, outcome, party and payment values as Chinese labels under Chinese headers', () => {
    const status = byHeader(csvRows(read(dir, 'status-report.csv').toString('utf8')));
    expect(status.map((r) => r['催收阶段'])).toEqual(['联系', '新案', '结案']); // the logged contact moved the first case on
    expect(status.map((r) => r['案件状态'])).toEqual(['在催', '在催', '结案']);
    expect(status[0]!['最近联系结果']).toBe('承诺还款');
    expect(status[0]!['承诺履约']).toBe('待兑现');
    const log = byHeader(csvRows(read(dir, 'contact-log.csv').toString('utf8')));
    expect(log[0]).toMatchObject({ 联系方式: '电话', 联系对象: '本人', 方向: '呼出', 联系结果: '承诺还款', 催记内容: `'${NOTE}` });
    const pay = byHeader(csvRows(read(dir, 'repayments.csv').toString('utf8')));
    expect(pay[0]).toMatchObject({ 还款渠道: '支付宝', 来源: '机构登记', 流水号: "'+86-REF", 还款日期: '2026-12-01' });
  });

  it("writes times in the lender's zone with the offset", () => {
    const log = byHeader(csvRows(read(dir, 'contact-log.csv').toString('utf8')));
    expect(log[0]!['联系时间']).toBe('2026-12-06 14:03:00 +08:00');
    const status = byHeader(csvRows(read(dir, 'status-report.csv').toString('utf8')));
    expect(status[0]!['最近联系时间']).toBe('2026-12-06 14:03:00 +08:00');
  });

  it('gives days overdue and bucket at placement and today (the export day; a closed case the day it left)', () => {
    const status = byHeader(csvRows(read(dir, 'status-report.csv').toString('utf8')));
    status.forEach((r, i) => {
      const atPlacement = Number(rows[i]![col('逾期天数')]);
      const today = atPlacement + (i === 2 ? 30 : 35); // placed 2026-11-01, exported 2026-12-06, the third closed 2026-12-01
      expect(r['合同号']).toBe(rows[i]![0]);
      expect(Number(r['委案时逾期天数'])).toBe(atPlacement);
      expect(Number(r['当前逾期天数'])).toBe(today);
      expect(r['委案时账龄']).toBe(bucketOf(atPlacement)!.code);
      expect(r['当前账龄']).toBe(bucketOf(today)!.code);
    });
  });

  it('types XLSX cells: identifiers text, days and times dates, text unaltered with the quote-prefix style', () => {
    const st = sheet(dir, 'status-report.xlsx');
    const caseNo = st.at('合同号', 2);
    expect(caseNo).toMatchObject({ t: 'inlineStr', v: rows[0]![0] });
    expect(caseNo.v).toMatch(/^0\d{20}$/);
    expect(st.at('委案批次', 2)).toMatchObject({ t: 'inlineStr', v: '20261101' });
    expect(st.at('催收阶段', 2)).toMatchObject({ t: 'inlineStr', v: '联系' });
    expect(st.at('当前逾期天数', 2)).toMatchObject({ t: null, v: String(Number(rows[0]![col('逾期天数')]) + 35) });
    const last = st.at('最近联系时间', 2);
    expect(last.t).toBeNull();
    expect(Number(last.v)).toBeCloseTo(46362 + (14 * 3600 + 3 * 60) / 86400, 9); // 2026-12-06 14:03:00
    expect(st.format(last)).toBe('yyyy-mm-dd hh:mm:ss "+08:00"');
    const promised = st.at('承诺还款日期', 2);
    expect(Number(promised.v)).toBe(46376); // 2026-12-20
    expect(st.format(promised)).toBe('yyyy-mm-dd');

    const log = sheet(dir, 'contact-log.xlsx');
    const note = log.at('催记内容', 2);
    expect(note).toMatchObject({ t: 'inlineStr', v: NOTE });
    expect(log.quoted(note)).toBe(true);
    expect(log.quoted(log.at('合同号', 2))).toBe(false);
    const pay = sheet(dir, 'repayments.xlsx');
    expect(pay.at('流水号', 2)).toMatchObject({ t: 'inlineStr', v: '+86-REF' });
    expect(pay.quoted(pay.at('流水号', 2))).toBe(true);
    expect(pay.format(pay.at('还款日期', 2))).toBe('yyyy-mm-dd');
    expect(pay.at('还款金额', 2)).toMatchObject({ t: null, v: '200' });
  });
});

describe("the lender's settings", () => {
  it('are validated, with Asia/Shanghai and UTF-8 with BOM by default', async () => {
    expect(await m1.call('reports.settings', { lenderId: lender })).toMatchObject({ timeZone: 'Asia/Shanghai', csvEncoding: 'utf8-bom' });
    expect(await m1.error('reports.setSettings', { lenderId: lender, timeZone: 'Mars/Olympus' })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await m1.error('reports.setSettings', { lenderId: lender, csvEncoding: 'latin1' as 'gb18030' })).toMatchObject({ code: 'BAD_INPUT' });
  });

  it("write English labels under English headers, in the lender's zone, with the agency's outcome labels", async () => {
    await m1.call('outcomes.save', { code: 'promised_to_pay', labels: { 'zh-CN': '已承诺还款', en: 'PTP' }, class: 'connected', active: true });
    try {
      await m1.call('reports.setSettings', { lenderId: lender, language: 'en', timeZone: 'America/New_York' });
      const r = await m1.call('reports.export', { lenderId: lender, batchId, formats: ['csv', 'xlsx'], outDir: out });
      const log = byHeader(csvRows(read(r.path, 'contact-log.csv').toString('utf8')));
      expect(log[0]).toMatchObject({ Time: '2026-12-06 01:03:00 -05:00', Channel: 'Phone', Party: 'Borrower', Direction: 'Outbound', Outcome: 'PTP' });
      const status = byHeader(csvRows(read(r.path, 'status-report.csv').toString('utf8')));
      expect(status[0]).toMatchObject({ Stage: 'Contact', Status: 'Open', 'Last outcome': 'PTP', 'Promise kept': 'Pending' });
      // Days overdue today as of the export day in New York (still 2026-12-06 there).
      expect(Number(status[0]!['Days overdue today'])).toBe(Number(rows[0]![col('逾期天数')]) + 35);
      const st = sheet(r.path, 'status-report.xlsx');
      const last = st.at('Last contact', 2);
      expect(Number(last.v)).toBeCloseTo(46362 + (1 * 3600 + 3 * 60) / 86400, 9);
      expect(st.format(last)).toBe('yyyy-mm-dd hh:mm:ss "-05:00"');
    } finally {
      await m1.call('outcomes.save', { code: 'promised_to_pay', labels: { 'zh-CN': '承诺还款', en: 'Promised to pay' }, class: 'connected', active: true });
      await m1.call('reports.setSettings', { lenderId: lender, language: 'zh', timeZone: 'Asia/Shanghai' });
    }
  });

  it('write GB18030 CSV that decodes to the same text as the UTF-8 one, with manifest hashes of the bytes written', async () => {
    const utf = await m1.call('reports.export', { lenderId: lender, batchId, formats: ['csv'], outDir: out });
    await m1.call('reports.setSettings', { lenderId: lender, csvEncoding: 'gb18030' });
    try {
      const gb = await m1.call('reports.export', { lenderId: lender, batchId, formats: ['csv'], outDir: out });
      const manifest = JSON.parse(read(gb.path, 'manifest.json').toString('utf8')) as { files: { name: string; sha256: string; bytes: number }[] };
      for (const name of ['status-report.csv', 'contact-log.csv', 'repayments.csv', 'waivers.csv', 'returns.csv']) {
        const bytes = read(gb.path, name);
        const text = read(utf.path, name).toString('utf8');
        expect(text.charCodeAt(0)).toBe(0xfeff);
        expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), name).toBe(false); // no BOM
        expect(iconv.decode(bytes, 'gb18030'), name).toBe(text.slice(1));
        const entry = manifest.files.find((f) => f.name === name)!;
        expect(entry).toEqual({ ...entry, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
      }
      // Chinese really is GB18030 here: the header is not UTF-8.
      expect(read(gb.path, 'status-report.csv').includes(Buffer.from('合同号', 'utf8'))).toBe(false);
      expect(read(gb.path, 'status-report.csv').includes(iconv.encode('合同号', 'gb18030'))).toBe(true);
      expect(await verifyPackage(gb.path)).toMatchObject({ valid: true, failures: [] });
    } finally {
      await m1.call('reports.setSettings', { lenderId: lender, csvEncoding: 'utf8-bom' });
    }
  });
});
