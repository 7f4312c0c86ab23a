// Lender repayment files (回款) through the API on a real store: a GB18030 file with a title row whose rows
// match the agency's own payment, post new ones (one settling its case), and are rejected for an unknown
// case, bad amounts, dates before the placement or in the future and a repeated reference; the same file
// twice is refused; reconciliation groups with their totals; the commission statement with its rounding
// worked out by hand; and who may do what.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { makeStore, removeDir, tempDir, login, type TestStore, type Client } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
const clock = new Date('2026-11-23T10:00:00+08:00');
const PW = 'repay pw 1234';
const as: Record<string, Client> = {};
let lender = 0;
let other = 0;
const caseId: Record<string, number> = {};
const f = (name: string) => path.join(files, name);
const col = (h: string) => PLACEMENT_HEADERS.indexOf(h);
const HT = (n: number) => `HT${String(n).padStart(8, '0')}`;

// Days overdue at placement of HT00000001 … HT00000006 (commission tiers go by these).
const DAYS = [10, 45, 100, 200, 30, 31];

const FILE_ROWS = [
  ['某消费金融 2026年11月 回款明细'],
  [],
  ['借据号', '回款金额(元)', '入账日期', '还款渠道', '还款人', '交易流水号'],
  [HT(1), '300.00', '2026/11/12', '支付宝', '本人', 'T001'], // row 4: matches the agency's ¥300 of 11-10
  [HT(2), '450.00', '2026-11-15', '银行卡代扣', '本人', 'T002'], // row 5: posted (the agency has ¥500: a mismatch)
  [HT(4), '¥10,700.00', '20261120', 'APP还款', '配偶', 'T003'], // row 6: posted, settles the case
  ['HT99999999', '100.00', '2026-11-10', '支付宝', '本人', 'T004'], // row 7: no such case
  [HT(5), 'abc', '2026-11-10', '', '', 'T005'], // row 8: bad amount
  [HT(5), '100.00', '2026-10-20', '', '', 'T006'], // row 9: before the placement
  [HT(5), '100.00', '2026-12-01', '', '', 'T007'], // row 10: in the future
  [HT(6), '0.00', '2026-11-11', '', '', 'T008'], // row 11: zero
  [HT(6), '100.00', '2026-11-11', '微信', '本人', 'T010'], // row 12: posted
  [HT(6), '100.00', '2026-11-11', '微信', '本人', 'T010'], // row 13: the same reference again
  [],
];

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-repay-');
  lender = (await s.admin.call('lenders.create', { code: 'RPAY', name: '某消费金融' })).id;
  other = (await s.admin.call('lenders.create', { code: 'OTHR', name: '另一家' })).id;
  for (const [u, role] of [['c1', 'collector'], ['m1', 'manager'], ['au', 'auditor']] as const) {
    await s.admin.call('users.create', { username: u, displayName: u.toUpperCase(), role, password: PW });
    as[u] = await login(s.backend, u, PW);
  }
  // Every case owes ¥10,000.00 principal and ¥500.00 interest, placed on 2026-11-01.
  const rows = makeRows(6, 11).map((r, i) => {
    const x = [...r];
    x[col('逾期金额')] = '10500.00';
    x[col('逾期本金')] = '10000.00';
    x[col('逾期利息')] = '500.00';
    x[col('罚息')] = '0';
    x[col('逾期天数')] = String(DAYS[i]);
    return x;
  });
  writeFileSync(f('p.csv'), toCsv([PLACEMENT_HEADERS, ...rows]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: f('p.csv') }, placementDate: '2026-11-01' });
  const { waitJob } = await import('../helpers/import.js');
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  for (const r of (await s.admin.call('cases.list', { lenderId: lender })).rows) caseId[r.caseNo] = r.id;
  // The other lender has a case with the same number: a RPAY file must never touch it.
  expect((await importFile(s.admin, other, f('p.csv'))).state).toBe('done');
  // What the agency posted by hand before the lender's file came.
  await as.m1!.call('payments.post', { caseId: caseId[HT(1)]!, paidOn: '2026-11-10', amountFen: 30_000, channel: 'alipay' });
  await as.m1!.call('payments.post', { caseId: caseId[HT(2)]!, paidOn: '2026-11-15', amountFen: 50_000, channel: 'bank_transfer' });
  await as.m1!.call('payments.post', { caseId: caseId[HT(3)]!, paidOn: '2026-11-05', amountFen: 20_000, channel: 'cash' });
  writeFileSync(f('repay.csv'), iconv.encode(toCsv(FILE_ROWS.map((r) => r.map(String))), 'gb18030'));
}, 90_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

const REJECTIONS = [
  { row: 7, column: '借据号', reason: 'no case HT99999999 placed by this lender' },
  { row: 8, column: '回款金额(元)', reason: expect.stringMatching(/not an amount/) },
  { row: 9, column: '入账日期', reason: '2026-10-20 is before the case was placed (2026-11-01): the placement amount already counts it' },
  { row: 10, column: '入账日期', reason: '2026-12-01 is in the future (today is 2026-11-23)' },
  { row: 11, column: '回款金额(元)', reason: 'the amount must be more than zero' },
  { row: 13, column: '交易流水号', reason: 'reference T010 repeats row 12 for the same case' },
];

describe('repayment file import', () => {
  it('previews a GB18030 file with a title row: mapping, what each row becomes, problem rows; writes nothing', async () => {
    const p = await as.m1!.call('repayments.preview', { lenderId: lender, file: { path: f('repay.csv') } });
    expect(p).toMatchObject({ format: 'csv', encoding: 'gb18030', headerRow: 3, missingRequired: [], totalRows: 10, matched: 1, posted: 3, rejected: 6, amountFen: 30_000 + 45_000 + 1_070_000 + 10_000, duplicateOf: null });
    expect(p.mapping).toEqual({ caseNo: 0, amount: 1, paidOn: 2, channel: 3, payer: 4, reference: 5 });
    expect(p.sample.map((x) => [x.row, x.caseNo, x.outcome])).toEqual([
      [4, HT(1), 'matched'],
      [5, HT(2), 'posted'],
      [6, HT(4), 'posted'],
      [12, HT(6), 'posted'],
    ]);
    expect(p.rejections).toEqual(REJECTIONS);
    expect((await as.m1!.call('repayments.files', {})).files).toEqual([]);
    expect((await as.m1!.call('payments.list', { caseId: caseId[HT(2)]! })).payments).toHaveLength(1);
  });

  it('a dry run reports the same and writes nothing', async () => {
    const r = await as.m1!.call('repayments.import', { lenderId: lender, file: { path: f('repay.csv') }, dryRun: true });
    expect(r).toMatchObject({ file: null, dryRun: true, matched: 1, posted: 3, rejected: 6, settled: 0 });
    expect((await as.m1!.call('repayments.files', {})).files).toEqual([]);
  });

  it('imports in one go: matched rows link to the agency payment, new ones are posted, a case settles', async () => {
    const r = await as.m1!.call('repayments.import', { lenderId: lender, file: { path: f('repay.csv') } });
    expect(r).toMatchObject({ dryRun: false, totalRows: 10, matched: 1, posted: 3, rejected: 6, settled: 1 });
    expect(r.rejections).toEqual(REJECTIONS);
    expect(r.file).toMatchObject({ lenderCode: 'RPAY', fileName: 'repay.csv', rowsTotal: 10, matched: 1, posted: 3, rejected: 6, importedBy: 'm1', amountFen: 1_155_000 });
    // The matched row posted nothing: case 1 still has only the agency's payment.
    expect((await as.m1!.call('payments.list', { caseId: caseId[HT(1)]! })).payments.map((p) => [p.amountFen, p.source])).toEqual([[30_000, 'agency']]);
    // Case 2: the agency's ¥500 and the lender's ¥450, with the lender's channel mapped and its reference kept.
    expect((await as.m1!.call('payments.list', { caseId: caseId[HT(2)]! })).payments.map((p) => [p.amountFen, p.source, p.channel, p.reference])).toEqual([
      [50_000, 'agency', 'bank_transfer', ''],
      [45_000, 'lender_file', 'bank_transfer', 'T002'],
    ]);
    expect((await as.m1!.call('payments.list', { caseId: caseId[HT(6)]! })).payments.map((p) => [p.amountFen, p.channel, p.payer])).toEqual([[10_000, 'wechat', '本人']]);
    const settled = await as.m1!.call('cases.get', { id: caseId[HT(4)]! });
    expect(settled.stage).toBe('settled');
    // The other lender's case with the same number is untouched.
    const otherCase = (await s.admin.call('cases.list', { lenderId: other, q: HT(4) })).rows[0]!;
    expect((await s.admin.call('payments.list', { caseId: otherCase.id })).payments).toEqual([]);
    const detail = await as.au!.call('repayments.file', { fileId: r.file!.id });
    expect(detail.rows.map((x) => [x.row, x.outcome])).toEqual([[4, 'matched'], [5, 'posted'], [6, 'posted'], [12, 'posted']]);
    expect(detail.rejections).toHaveLength(6);
    expect((await s.admin.call('audit.list', { action: 'repayments.import', limit: 5 })).entries).toHaveLength(1);
  });

  it('refuses the same file twice, and a re-sent row by its reference in another file', async () => {
    const p = await as.m1!.call('repayments.preview', { lenderId: lender, file: { path: f('repay.csv') } });
    expect(p.duplicateOf).toMatchObject({ fileName: 'repay.csv' });
    expect(await as.m1!.error('repayments.import', { lenderId: lender, file: { path: f('repay.csv') } })).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already imported for RPAY/) });
    // A cumulative file from the lender: yesterday's row again, and one new payment.
    writeFileSync(f('repay2.csv'), toCsv([['合同号', '实还金额', '还款日期', '流水号'], [HT(2), '450.00', '2026-11-15', 'T002'], [HT(5), '50.00', '2026-11-22', 'T020']]));
    const r = await as.m1!.call('repayments.import', { lenderId: lender, file: { path: f('repay2.csv') } });
    expect(r).toMatchObject({ matched: 0, posted: 1, rejected: 1 });
    expect(r.rejections).toEqual([{ row: 2, column: '流水号', reason: 'reference T002 was already imported for this case (repay.csv, row 5)' }]);
    // No channel column: the lender collected it on its platform.
    expect((await as.m1!.call('payments.list', { caseId: caseId[HT(5)]! })).payments.map((p) => [p.amountFen, p.channel])).toEqual([[5_000, 'lender_platform']]);
  });

  it('names unmapped required columns, takes a mapping for them, and reads XLSX with date cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('回款');
    ws.addRow(['合同编号', '还款额', '处理时间']);
    ws.addRow([HT(3), 88.5, 46341]); // 46341 = 2026-11-15
    ws.addRow([HT(3), '11.50', new Date(Date.UTC(2026, 10, 16))]);
    await wb.xlsx.writeFile(f('repay.xlsx'));
    const p = await as.m1!.call('repayments.preview', { lenderId: lender, file: { path: f('repay.xlsx') } });
    expect(p).toMatchObject({ format: 'xlsx', sheet: '回款', missingRequired: ['paidOn'], totalRows: 0 });
    expect(await as.m1!.error('repayments.import', { lenderId: lender, file: { path: f('repay.xlsx') } })).toMatchObject({ code: 'BAD_INPUT', message: 'Map the columns first: 还款日期 (Payment date).' });
    expect(await as.m1!.error('repayments.preview', { lenderId: lender, file: { path: f('repay.xlsx') }, mapping: { paidOn: '不存在' } })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/no column 不存在/) });
    const mapped = await as.m1!.call('repayments.preview', { lenderId: lender, file: { path: f('repay.xlsx') }, mapping: { paidOn: '处理时间' } });
    expect(mapped).toMatchObject({ missingRequired: [], totalRows: 2, posted: 2, rejected: 0 });
    expect(mapped.sample.map((x) => [x.amountFen, x.paidOn])).toEqual([[8_850, '2026-11-15'], [1_150, '2026-11-16']]);
  });

  it('refuses a file that is not a repayment file, and callers without the permission', async () => {
    writeFileSync(f('junk.csv'), 'a,b\n1,2\n');
    expect(await as.m1!.error('repayments.preview', { lenderId: lender, file: { path: f('junk.csv') } })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/No header row/) });
    expect(await as.m1!.error('repayments.preview', { lenderId: 999, file: { path: f('repay.csv') } })).toMatchObject({ code: 'NOT_FOUND' });
    for (const m of ['repayments.preview', 'repayments.import']) {
      expect(await as.c1!.error(m, { lenderId: lender, file: { path: f('repay.csv') } })).toMatchObject({ code: 'FORBIDDEN' });
      expect(await as.au!.error(m, { lenderId: lender, file: { path: f('repay.csv') } })).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await as.c1!.error('repayments.files', {})).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.c1!.error('repayments.reconcile', { lenderId: lender, from: '2026-11-01', to: '2026-11-30' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.c1!.error('commission.statement', { lenderId: lender, month: '2026-11' })).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('reconciliation', () => {
  it('groups November: matched, lender only, agency only, mismatches, with totals', async () => {
    const r = await as.au!.call('repayments.reconcile', { lenderId: lender, from: '2026-11-01', to: '2026-11-30' });
    expect(r.matched).toMatchObject({ count: 1, totalFen: 30_000, items: [{ caseNo: HT(1), amountFen: 30_000, paidOn: '2026-11-12', row: 4, fileName: 'repay.csv' }] });
    // Lender only: case 4's ¥10,700, case 6's ¥100 and case 5's ¥50 (case 2's ¥450 is in a mismatch).
    expect(r.lenderOnly.items.map((x) => [x.caseNo, x.amountFen])).toEqual([[HT(6), 10_000], [HT(4), 1_070_000], [HT(5), 5_000]]);
    expect(r.lenderOnly).toMatchObject({ count: 3, totalFen: 1_085_000 });
    expect(r.agencyOnly).toMatchObject({ count: 1, totalFen: 20_000, items: [{ caseNo: HT(3), amountFen: 20_000, paidOn: '2026-11-05' }] });
    expect(r.mismatches).toMatchObject({ count: 1, lenderFen: 45_000, agencyFen: 50_000 });
    expect(r.mismatches.items[0]).toMatchObject({ caseNo: HT(2), differenceFen: -5_000, lender: { amountFen: 45_000, row: 5 }, agency: { amountFen: 50_000 } });
  });

  it('lists only what falls in the period, and checks the period', async () => {
    const r = await as.m1!.call('repayments.reconcile', { lenderId: lender, from: '2026-11-13', to: '2026-11-30' });
    expect([r.matched.count, r.lenderOnly.count, r.agencyOnly.count, r.mismatches.count]).toEqual([0, 2, 0, 1]);
    expect(await as.m1!.error('repayments.reconcile', { lenderId: lender, from: '2026-11-30', to: '2026-11-01' })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.m1!.error('repayments.reconcile', { lenderId: 999, from: '2026-11-01', to: '2026-11-30' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('commission statement', () => {
  it('charges each payment at its tier, rounded half up to the fen, net of reversals', async () => {
    // Tiers: from day 0 10 %, from day 31 15 %, from day 91 33.3333 %.
    await as.m1!.call('money.setSettings', { lenderId: lender, commission: [{ fromDay: 0, ratePpm: 100_000 }, { fromDay: 31, ratePpm: 150_000 }, { fromDay: 91, ratePpm: 333_333 }] });
    // 5 fen at 10 % = 0.5 fen → 1 (half up); 333 fen at 15 % = 49.95 fen → 50; a reversed ¥99 counts for nothing.
    await as.m1!.call('payments.post', { caseId: caseId[HT(5)]!, paidOn: '2026-11-20', amountFen: 5, channel: 'cash' });
    await as.m1!.call('payments.post', { caseId: caseId[HT(6)]!, paidOn: '2026-11-20', amountFen: 333, channel: 'cash' });
    const wrong = await as.m1!.call('payments.post', { caseId: caseId[HT(3)]!, paidOn: '2026-11-21', amountFen: 9_900, channel: 'cash' });
    await as.m1!.call('payments.reverse', { paymentId: wrong.payment.id, reason: '录错' });
    const st = await as.au!.call('commission.statement', { lenderId: lender, month: '2026-11' });
    const lines = st.lines.map((l) => [l.caseNo, l.daysOverdue, l.amountFen, l.ratePpm, l.commissionFen]);
    expect(lines).toEqual([
      [HT(3), 100, 20_000, 333_333, 6_667], // 20,000 × 0.333333 = 6,666.66 → 6,667
      [HT(1), 10, 30_000, 100_000, 3_000],
      [HT(6), 31, 10_000, 150_000, 1_500], // day 31 is the second tier's first day
      [HT(2), 45, 50_000, 150_000, 7_500],
      [HT(2), 45, 45_000, 150_000, 6_750],
      [HT(4), 200, 1_070_000, 333_333, 356_666], // 1,070,000 × 0.333333 = 356,666.31 → 356,666
      [HT(5), 30, 5, 100_000, 1], // 0.5 → 1
      [HT(6), 31, 333, 150_000, 50], // 49.95 → 50
      [HT(5), 30, 5_000, 100_000, 500],
    ]);
    expect(st).toMatchObject({ payments: 9, recoveredFen: 1_230_338, commissionFen: 382_634, reversedLeftOut: 1 });
    expect((await as.m1!.call('commission.statement', { lenderId: lender, month: '2026-10' })).lines).toEqual([]);
    expect(await as.m1!.error('commission.statement', { lenderId: lender, month: '2026-13' })).toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('cases no longer the agency’s', () => {
  it('a returned case takes no new payment from a file, but its earlier agency payment still matches', async () => {
    await as.m1!.call('cases.move', { caseId: caseId[HT(3)]!, to: 'returned', reason: '委案到期退案' });
    writeFileSync(f('repay3.csv'), toCsv([['合同号', '还款金额', '还款日期'], [HT(3), '200.00', '2026-11-06'], [HT(3), '50.00', '2026-11-07']]));
    const r = await as.m1!.call('repayments.import', { lenderId: lender, file: { path: f('repay3.csv') } });
    expect(r).toMatchObject({ matched: 1, posted: 0, rejected: 1 });
    expect(r.rejections).toEqual([{ row: 3, column: '合同号', reason: "case HT00000003 is returned: its payments are no longer the agency's" }]);
    expect((await as.m1!.call('payments.list', { caseId: caseId[HT(3)]! })).payments.filter((p) => p.reversesId === null && p.reversedById === null)).toHaveLength(1);
  });
});
