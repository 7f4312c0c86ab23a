// The amount model through the real import (worker + reader thread): every shape of debt a lender's file
// gives (a total, its components, both, 剩余本金 only, a total that disagrees with its components under each
// lender policy) ends as components that sum to the stored total, so the case list and money.balance agree.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, type TestStore } from '../helpers/store.js';
import { importFile } from '../helpers/import.js';
import { toCsv } from '../helpers/placement-data.js';
import { idCheckChar } from '../../shared/domain/placement/id-number.js';
import { dayIn } from '../../shared/domain/casework/today.js';

let s: TestStore;
let files: string;
let n = 0;

beforeAll(async () => {
  s = await makeStore();
  files = tempDir('agencydesk-amounts-');
});
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

const id17 = (i: number) => `1101051990030${String(100 + i).slice(-3)}1`.slice(0, 17);
const idNo = (i: number) => id17(i) + idCheckChar(id17(i));
const person = (i: number) => [`案${i}`, `借款人${i}`, idNo(i), `1381234${String(5000 + i).slice(-4)}`];
const PERSON = ['合同号', '客户姓名', '身份证号', '手机号码'];

async function lender(policy?: 'principal_difference' | 'reject_row') {
  const code = `L${++n}`;
  const l = await s.admin.call('lenders.create', { code, name: `贷款机构${n}` });
  if (policy) await s.admin.call('lenders.update', { id: l.id, amountMismatchPolicy: policy });
  return l.id;
}

function file(name: string, headers: string[], rows: string[][]): string {
  const p = path.join(files, name);
  writeFileSync(p, toCsv([headers, ...rows]));
  return p;
}

async function casesOf(lenderId: number) {
  return (await s.admin.call('cases.list', { lenderId, sort: 'caseNo', desc: false, limit: 100 })).rows;
}

/** The case's balance today: outstanding, and the opening by component. */
async function balance(caseId: number) {
  const b = await s.admin.call('money.balance', { caseId });
  return { outstanding: b.outstanding, opening: b.opening };
}

describe('the amount model on import', () => {
  it('a total that disagrees with its components: the list and money.balance agree (default policy: the difference is principal)', async () => {
    const lenderId = await lender();
    const p = file('mismatch.csv', [...PERSON, '逾期金额', '逾期本金', '逾期利息', '罚息'], [[...person(1), '1,000.00', '300.00', '100.00', '50.00']]);
    const preview = await s.admin.call('import.preview', { lenderId, file: { path: p } });
    expect(preview.amountMismatches).toEqual([{ row: 2, totalFen: 100_000, componentsFen: 45_000, action: 'principal' }]);
    expect(preview.validRows).toBe(1);
    const job = await importFile(s.admin, lenderId, p);
    expect(job.result).toMatchObject({ imported: 1, rejected: 0, amountAdjusted: 1 });
    const [c] = await casesOf(lenderId);
    expect(c!.overdueAmountFen).toBe(100_000);
    const b = await balance(c!.id);
    expect(b.opening).toEqual({ principal: 85_000, interest: 10_000, penalty: 5_000, fees: 0 });
    expect(b.outstanding).toBe(100_000);
  });

  it("a total that disagrees under the lender's reject_row policy: the preview flags it, the import refuses the row", async () => {
    const lenderId = await lender('reject_row');
    const p = file('mismatch-reject.csv', [...PERSON, '逾期金额', '逾期本金', '逾期利息', '罚息'], [
      [...person(2), '1,000.00', '300.00', '100.00', '50.00'],
      [...person(3), '450.00', '300.00', '100.00', '50.00'],
    ]);
    const preview = await s.admin.call('import.preview', { lenderId, file: { path: p } });
    expect(preview).toMatchObject({ validRows: 1, rejectedRows: 1, amountPolicy: 'reject_row', amountMismatchCount: 1 });
    expect(preview.amountMismatches).toEqual([{ row: 2, totalFen: 100_000, componentsFen: 45_000, action: 'reject' }]);
    expect(preview.rejections).toEqual([{ row: 2, column: '逾期金额', reason: 'total 1,000.00 differs from its components 450.00' }]);
    const job = await importFile(s.admin, lenderId, p);
    expect(job.result).toMatchObject({ imported: 1, rejected: 1 });
    const [c] = await casesOf(lenderId);
    expect(c!.caseNo).toBe('案3');
    expect(await balance(c!.id)).toEqual({ outstanding: 45_000, opening: { principal: 30_000, interest: 10_000, penalty: 5_000, fees: 0 } });
  });

  it('a total only: the whole total is principal', async () => {
    const lenderId = await lender();
    const p = file('total.csv', [...PERSON, 'Amount Due'], [[...person(4), '¥2,345.67']]);
    const preview = await s.admin.call('import.preview', { lenderId, file: { path: p } });
    expect(preview.missingRequired).toEqual([]);
    expect(preview.amountBasis).toEqual([{ basis: 'total', formula: '= Amount Due', rows: 1 }]);
    await importFile(s.admin, lenderId, p);
    const [c] = await casesOf(lenderId);
    expect(c!.overdueAmountFen).toBe(234_567);
    expect(await balance(c!.id)).toEqual({ outstanding: 234_567, opening: { principal: 234_567, interest: 0, penalty: 0, fees: 0 } });
  });

  it('components only (no total column): the total is their sum, with no hand mapping', async () => {
    const lenderId = await lender();
    const p = file('components.csv', [...PERSON, '逾期本金', '逾期利息', '罚息', '滞纳金'], [[...person(5), '800.00', '120.50', '30.00', '49.50']]);
    const preview = await s.admin.call('import.preview', { lenderId, file: { path: p } });
    expect(preview).toMatchObject({ missingRequired: [], validRows: 1, rejectedRows: 0 });
    expect(preview.amountBasis).toEqual([{ basis: 'components', formula: '= 逾期本金 + 逾期利息 + 罚息 + 滞纳金', rows: 1 }]);
    expect(preview.sample[0]!.values.overdueAmount).toBe('1,000.00');
    const job = await importFile(s.admin, lenderId, p);
    expect(job.result!.batch!.amountFen).toBe(100_000);
    const [c] = await casesOf(lenderId);
    expect(c!.overdueAmountFen).toBe(100_000);
    expect(await balance(c!.id)).toEqual({ outstanding: 100_000, opening: { principal: 80_000, interest: 12_050, penalty: 3_000, fees: 4_950 } });
  });

  it('剩余本金 only (English header too): the total is the remaining principal', async () => {
    const lenderId = await lender();
    const p = file('remaining.csv', [...PERSON, 'Principal Outstanding'], [[...person(6), '5,000.00']]);
    const preview = await s.admin.call('import.preview', { lenderId, file: { path: p } });
    expect(preview.missingRequired).toEqual([]);
    expect(preview.headers[preview.mapping.remainingPrincipal!]).toBe('Principal Outstanding');
    expect(preview.amountBasis).toEqual([{ basis: 'remaining', formula: '= Principal Outstanding', rows: 1 }]);
    await importFile(s.admin, lenderId, p);
    const [c] = await casesOf(lenderId);
    expect(c!.overdueAmountFen).toBe(500_000);
    expect(await balance(c!.id)).toEqual({ outstanding: 500_000, opening: { principal: 500_000, interest: 0, penalty: 0, fees: 0 } });
  });

  it('a total with components that agree keeps both; a total with charges only books the rest as principal', async () => {
    const lenderId = await lender();
    const p = file('agree.csv', [...PERSON, '逾期金额', '逾期本金', '逾期利息', '罚息'], [
      [...person(7), '450.00', '300.00', '100.00', '50.00'],
      [...person(8), '600.00', '', '100.00', '50.00'],
    ]);
    const preview = await s.admin.call('import.preview', { lenderId, file: { path: p } });
    expect(preview).toMatchObject({ validRows: 2, amountMismatchCount: 0, amountBasis: [{ basis: 'total', formula: '= 逾期金额', rows: 2 }] });
    await importFile(s.admin, lenderId, p);
    const [a, b] = await casesOf(lenderId);
    expect(await balance(a!.id)).toEqual({ outstanding: 45_000, opening: { principal: 30_000, interest: 10_000, penalty: 5_000, fees: 0 } });
    expect(await balance(b!.id)).toEqual({ outstanding: 60_000, opening: { principal: 45_000, interest: 10_000, penalty: 5_000, fees: 0 } });
  });
});

describe("the file's placement dates", () => {
  const day = (offset: number) => new Date(Date.parse(`${dayIn(new Date())}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

  it('a 委案日期 10 days ago: the batch takes it, and a payment dated 5 days ago is accepted', async () => {
    const lenderId = await lender();
    const code = `L${n}`;
    const p = file('dated.csv', [...PERSON, '逾期金额', '到期日', '委案日期', '委案到期日'], [
      [...person(9), '1,000.00', day(-40), day(-10).replace(/-/g, '/'), day(80)],
      [...person(10), '500.00', day(-40), day(-10), day(80)],
    ]);
    const preview = await s.admin.call('import.preview', { lenderId, file: { path: p } });
    expect(preview.fileDates).toEqual({
      placement: { first: day(-10), last: day(-10), common: day(-10), rows: 2, distinct: 1 },
      termEnd: { first: day(80), last: day(80), common: day(80), rows: 2, distinct: 1 },
    });
    const job = await importFile(s.admin, lenderId, p);
    expect(job.result!.batch).toMatchObject({ placementDate: day(-10), termEndDate: day(80), batchNo: `${code}-${day(-10).replace(/-/g, '')}-1` });
    // Days overdue at placement count from the due date to the file's placement date, not to today.
    expect(preview.sample.map((r) => r.values.daysOverdue)).toEqual(['30', '30']);
    const [c] = await casesOf(lenderId);
    expect((await s.admin.call('cases.get', { id: c!.id })).placementDate).toBe(day(-10));
    const posted = await s.admin.call('payments.post', { caseId: c!.id, paidOn: day(-5), amountFen: 10_000, channel: 'bank_transfer' });
    expect(posted.balance.placedOn).toBe(day(-10));
    expect(posted.payment.paidOn).toBe(day(-5));
  });

  it('rows placed on different days keep their own date; a date the user gives names the batch', async () => {
    const lenderId = await lender();
    const p = file('dated-rows.csv', [...PERSON, '逾期金额', '分案日期'], [
      [...person(11), '1,000.00', day(-20)],
      [...person(12), '1,000.00', day(-3)],
      [...person(13), '1,000.00', day(-3)],
    ]);
    const job = await importFile(s.admin, lenderId, p, { mapping: { placementDate: '分案日期' } });
    expect(job.result!.batch!.placementDate).toBe(day(-3));
    const [a, b] = await casesOf(lenderId);
    expect((await s.admin.call('money.balance', { caseId: a!.id })).placedOn).toBe(day(-20));
    expect((await s.admin.call('money.balance', { caseId: b!.id })).placedOn).toBe(day(-3));
    // A payment before a case's own placement is still refused.
    const err = await s.admin.error('payments.post', { caseId: b!.id, paidOn: day(-10), amountFen: 100, channel: 'bank_transfer' });
    expect(err.message).toMatch(/placed on/);

    const given = await lender();
    const job2 = await importFile(s.admin, given, p, { placementDate: day(-1) });
    expect(job2.result!.batch!.placementDate).toBe(day(-1));
    const [g] = await casesOf(given);
    expect((await s.admin.call('money.balance', { caseId: g!.id })).placedOn).toBe(day(-20));
  });

  it('a row placed after today is refused', async () => {
    const lenderId = await lender();
    const p = file('future.csv', [...PERSON, '逾期金额', '委案日期'], [[...person(14), '100', day(2)], [...person(15), '100', day(0)]]);
    const preview = await s.admin.call('import.preview', { lenderId, file: { path: p } });
    expect(preview.rejections).toEqual([{ row: 2, column: '委案日期', reason: `placement date ${day(2)} is after today` }]);
  });
});
