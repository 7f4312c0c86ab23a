// Issue 15, one truth per case: the list, the case view, Today, templates, the written confirmation and the
// status report state the same outstanding figure (core/money/ledger.ts), the placed amount stays available
// under its own name, the list sorts and filters by the outstanding at 1M-ready indexes, and a lender whose
// terms nobody entered accrues nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { DEFAULT_TERMS } from '../../shared/domain/money/balance.js';
import { formatFen } from '../../shared/domain/placement/money.js';
import fc from 'fast-check';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-23T10:00:00+08:00');
const PW = 'balance pw 1234';
let m1: Client;
let c1: Client;
let c1Id = 0;
let seq = 0;
const col = (h: string) => PLACEMENT_HEADERS.indexOf(h);
const terms = { ...DEFAULT_TERMS, order: [...DEFAULT_TERMS.order] };

/** A lender (with or without terms) and `amounts` cases placed on `placedOn`, held by c1. */
async function placed(amounts: { total: string; principal?: string; interest?: string; penalty?: string }[], opts: { terms?: boolean; placedOn?: string } = {}) {
  const code = `OB${++seq}`;
  const lender = await s.admin.call('lenders.create', { code, name: `贷方${seq}`, ...(opts.terms ? { terms } : {}) });
  const rows = makeRows(amounts.length, 100 + seq, { caseNoPrefix: `${code}-` }).map((r, i) => {
    const x = [...r];
    const a = amounts[i]!;
    x[col('逾期金额')] = a.total;
    x[col('逾期本金')] = a.principal ?? '';
    x[col('逾期利息')] = a.interest ?? '';
    x[col('罚息')] = a.penalty ?? '';
    return x;
  });
  const file = path.join(files, `${code}.csv`);
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...rows]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender.id, file: { path: file }, placementDate: opts.placedOn ?? '2026-11-01' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  const ids = (await s.admin.call('cases.list', { lenderId: lender.id, sort: 'id', desc: false })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: ids, collectorId: c1Id });
  return { lender, ids };
}

let smsId = 0;
beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-balance-');
  await s.admin.call('users.create', { username: 'm1', displayName: 'M1', role: 'manager', password: PW });
  c1Id = (await s.admin.call('users.create', { username: 'c1', displayName: 'C1', role: 'collector', password: PW })).id;
  m1 = await login(s.backend, 'm1', PW);
  c1 = await login(s.backend, 'c1', PW);
  smsId = (await s.admin.call('messageTemplates.save', { name: 'figures', kind: 'sms', audience: 'borrower', language: 'zh-CN', body: '欠{{outstandingAmount}}|委案{{placedAmount}}|本金{{outstandingPrincipal}}' })).id;
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('one balance (issue 15)', () => {
  it('after a payment the list, the case view, Today and an SMS state the outstanding of money.balance, and the placed amount apart', async () => {
    // The case: 逾期金额 1,000.00 split as 300 / 100 / 50 (the rest is principal), placed today-ish.
    const { ids } = await placed([{ total: '1000.00', principal: '300.00', interest: '100.00', penalty: '50.00' }]);
    const id = ids[0]!;
    await m1.call('payments.post', { caseId: id, paidOn: '2026-11-20', amountFen: 20_000, channel: 'bank_transfer' });
    const b = await m1.call('money.balance', { caseId: id });
    expect(b.outstanding).toBe(80_000); // no terms: nothing accrued; ¥1,000 − ¥200
    const row = (await m1.call('cases.list', { q: undefined, sort: 'id', desc: false, limit: 500 })).rows.find((r) => r.id === id)!;
    expect(row).toMatchObject({ outstandingFen: b.outstanding, placedFen: 100_000 });
    const detail = await c1.call('cases.get', { id });
    expect(detail).toMatchObject({ outstandingFen: b.outstanding, placedFen: 100_000, termsSet: false });
    const sms = await c1.call('messageTemplates.render', { templateId: smsId, caseId: id });
    expect(sms.text).toBe(`欠${formatFen(b.outstanding)}|委案1,000.00|本金${formatFen(b.owed.principal)}`);
    const today = await c1.call('queue.today', {});
    const item = today.items.find((i) => i.caseId === id);
    if (item) expect(item.outstandingFen).toBe(b.outstanding);
  });

  it('a lender whose terms nobody entered accrues nothing and says so; entering them starts the contract', async () => {
    const { lender, ids } = await placed([{ total: '10000.00', principal: '10000.00' }]);
    expect((await s.admin.call('lenders.list', {})).lenders.find((l) => l.id === lender.id)!.termsSet).toBe(false);
    const settings = await m1.call('money.settings', { lenderId: lender.id });
    expect(settings.termsSet).toBe(false);
    expect(settings.terms).toMatchObject({ penaltyPpmPerDay: 0, lateFee: null, aprCapPpm: null });
    const b = await c1.call('money.balance', { caseId: ids[0]! });
    expect(b).toMatchObject({ termsSet: false, accrued: { penalty: 0, fees: 0 }, outstanding: 1_000_000 });
    // Entered: 0.05 %/day on ¥10,000 for 22 days = ¥110.
    const set = await m1.call('money.setSettings', { lenderId: lender.id, terms });
    expect(set.termsSet).toBe(true);
    expect((await c1.call('money.balance', { caseId: ids[0]! })).outstanding).toBe(1_011_000);
    expect((await c1.call('cases.get', { id: ids[0]! })).termsSet).toBe(true);
    // Terms given with the lender: set from the start.
    const withTerms = await placed([{ total: '10000.00' }], { terms: true });
    expect(withTerms.lender.termsSet).toBe(true);
    expect((await c1.call('money.balance', { caseId: withTerms.ids[0]! })).outstanding).toBe(1_011_000);
  });

  it('sorts and filters by the outstanding: a paid-down case moves down and out of an amount range', async () => {
    const { lender, ids } = await placed([{ total: '5000.00' }, { total: '4000.00' }, { total: '3000.00' }]);
    const order = async () => (await m1.call('cases.list', { lenderId: lender.id, sort: 'outstandingFen', desc: true })).rows.map((r) => r.id);
    expect(await order()).toEqual(ids);
    await m1.call('payments.post', { caseId: ids[0]!, paidOn: '2026-11-22', amountFen: 350_000, channel: 'bank_transfer' }); // ¥5,000 → ¥1,500
    expect(await order()).toEqual([ids[1], ids[2], ids[0]]);
    const range = await m1.call('cases.list', { lenderId: lender.id, minAmountFen: 200_000 });
    expect(range.rows.map((r) => r.id).sort()).toEqual([ids[1], ids[2]].sort());
    // A reversal restores it, in the same transaction.
    const pay = (await m1.call('payments.list', { caseId: ids[0]! })).payments[0]!;
    await m1.call('payments.reverse', { paymentId: pay.id, reason: '误录' });
    expect(await order()).toEqual(ids);
  });

  it('an approved waiver lowers the figure everywhere; the confirmation letter states it as of today', async () => {
    const { ids } = await placed([{ total: '2000.00', principal: '1500.00', interest: '500.00' }]);
    const plan = await c1.call('plans.propose', { caseId: ids[0]!, kind: 'installments', reason: '失业', waiver: { interest: 30_000 }, installments: { count: 2, firstDate: '2026-12-01' } });
    await m1.call('plans.decide', { planId: plan.id, approve: true });
    const b = await c1.call('money.balance', { caseId: ids[0]! });
    expect(b.outstanding).toBe(170_000);
    const row = (await m1.call('cases.list', { sort: 'outstandingFen', desc: true, limit: 500 })).rows.find((r) => r.id === ids[0])!;
    expect(row.outstandingFen).toBe(170_000);
    const letter = await c1.call('plans.letter', { planId: plan.id, language: 'zh-CN' });
    expect(letter.text).toContain(`截至2026-11-23，您尚欠人民币${formatFen(170_000)}元。`);
  });
});

describe('template fields (issue 15)', () => {
  it("fills the plan, where to pay (the lender's over the agency's) and the masked addresses", async () => {
    await s.admin.call('settings.update', { agencyHotline: '400-000-0001', paymentAccount: '机构账户 6222 0000' });
    const { lender, ids } = await placed([{ total: '3000.00' }]);
    const body = '{{nextInstallmentAmount}}|{{nextInstallmentDate}}|{{planTotal}}|{{agencyHotline}}|{{paymentAccount}}|{{homeAddressMasked}}';
    const t = (await s.admin.call('messageTemplates.save', { name: `fields-${lender.code}`, kind: 'sms', audience: 'borrower', language: 'zh-CN', body })).id;
    const render = async () => (await c1.call('messageTemplates.render', { templateId: t, caseId: ids[0]! })).text.split('|');
    let [amount, date, total, hotline, account, home] = await render();
    expect([amount, date, total, hotline, account]).toEqual(['', '', '', '400-000-0001', '机构账户 6222 0000']);
    expect(home).toMatch(/\*\*\*\*$/); // province, city, district kept; the street hidden
    expect(home).not.toMatch(/\d+号/);
    await m1.call('money.setSettings', { lenderId: lender.id, contact: { hotline: '95511', paymentAccount: '' } });
    const plan = await c1.call('plans.propose', { caseId: ids[0]!, kind: 'installments', reason: '困难', installments: { count: 3, firstDate: '2026-12-05' } });
    await m1.call('plans.decide', { planId: plan.id, approve: true });
    await m1.call('payments.post', { caseId: ids[0]!, paidOn: '2026-11-23', amountFen: 40_000, channel: 'bank_transfer' });
    [amount, date, total, hotline, account] = await render();
    // ¥3,000 in 3 × ¥1,000: ¥400 paid toward the first leaves ¥600 of it, due 12-05.
    expect([amount, date, total, hotline, account]).toEqual(['600.00', '2026-12-05', '3,000.00', '95511', '机构账户 6222 0000']);
    expect((await m1.call('money.settings', { lenderId: lender.id })).termsSet).toBe(false); // contact alone does not set terms
  });
});

describe('status report row', () => {
  it('gives the same outstanding as the list for every case of the lender', async () => {
    const { lender, ids } = await placed([{ total: '3000.00', interest: '200.00' }, { total: '800.00' }], { terms: true });
    await m1.call('payments.post', { caseId: ids[0]!, paidOn: '2026-11-10', amountFen: 12_345, channel: 'bank_transfer' });
    const out = tempDir('agencydesk-balance-out-');
    try {
      const r = await m1.call('reports.export', { lenderId: lender.id, from: '2026-11-01', to: '2026-11-23', formats: ['csv'], outDir: out });
      const [header, ...lines] = readFileSync(path.join(r.path, 'status-report.csv'), 'utf8').slice(1).trim().split('\r\n');
      const cols = header!.split(',');
      const list = (await m1.call('cases.list', { lenderId: lender.id })).rows;
      for (const line of lines) {
        const cells = line.split(',');
        const row = list.find((x) => x.caseNo === cells[cols.indexOf('合同号')])!;
        expect(Math.round(Number(cells[cols.indexOf('剩余应还')]) * 100)).toBe(row.outstandingFen);
      }
      expect(lines).toHaveLength(2);
    } finally {
      removeDir(out);
    }
  });
});

describe('property: every place states the same figure', () => {
  const day = fc.integer({ min: 1, max: 23 }).map((d) => `2026-11-${String(d).padStart(2, '0')}`);
  const scenario = fc.record({
    terms: fc.boolean(),
    cases: fc.array(fc.record({ totalYuan: fc.integer({ min: 100, max: 50_000 }), interestPct: fc.integer({ min: 0, max: 40 }) }), { minLength: 1, maxLength: 3 }),
    payments: fc.array(fc.record({ caseIx: fc.nat(2), day, pct: fc.integer({ min: 1, max: 60 }) }), { maxLength: 4 }),
    reverseFirst: fc.boolean(),
    plan: fc.option(fc.record({ caseIx: fc.nat(2), waivePct: fc.integer({ min: 0, max: 100 }), count: fc.integer({ min: 2, max: 4 }) }), { nil: null }),
  });

  it('list row, case view, SMS, confirmation letter and status report agree (random payments, reversals, waivers, plans)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        const { lender, ids } = await placed(
          sc.cases.map((c) => {
            const interest = Math.floor((c.totalYuan * c.interestPct) / 100);
            return { total: `${c.totalYuan}.00`, interest: `${interest}.00` };
          }),
          { terms: sc.terms },
        );
        const caseOf = (ix: number) => ids[ix % ids.length]!;
        for (const p of sc.payments) {
          const id = caseOf(p.caseIx);
          const owed = (await m1.call('money.balance', { caseId: id, asOf: p.day })).outstanding;
          const fen = Math.max(1, Math.floor((owed * p.pct) / 100));
          await m1.call('payments.post', { caseId: id, paidOn: p.day, amountFen: fen, channel: 'bank_transfer' });
        }
        if (sc.reverseFirst && sc.payments.length) {
          const first = (await m1.call('payments.list', { caseId: caseOf(sc.payments[0]!.caseIx) })).payments[0]!;
          await m1.call('payments.reverse', { paymentId: first.id, reason: '误录' });
        }
        let planId: number | null = null;
        if (sc.plan) {
          const id = caseOf(sc.plan.caseIx);
          const b = await m1.call('money.balance', { caseId: id });
          const waiveInterest = Math.floor((b.owed.interest * sc.plan.waivePct) / 100);
          if (b.outstanding - waiveInterest >= sc.plan.count && (await c1.call('cases.get', { id })).status === 'open') {
            const plan = await c1.call('plans.propose', { caseId: id, kind: 'installments', reason: '困难', waiver: { interest: waiveInterest }, installments: { count: sc.plan.count, firstDate: '2026-12-01' } });
            await m1.call('plans.decide', { planId: plan.id, approve: true, ...(plan.approver === 'lender' ? { lenderApproval: { by: '张经理', reference: 'L-1', date: '2026-11-23' } } : {}) });
            planId = plan.id;
          }
        }
        const list = (await m1.call('cases.list', { lenderId: lender.id, sort: 'outstandingFen', desc: true })).rows;
        for (const id of ids) {
          const b = await m1.call('money.balance', { caseId: id });
          const row = list.find((r) => r.id === id)!;
          expect(row.outstandingFen).toBe(b.outstanding);
          expect((await c1.call('cases.get', { id })).outstandingFen).toBe(b.outstanding);
          const sms = await c1.call('messageTemplates.render', { templateId: smsId, caseId: id });
          expect(sms.text.split('|')[0]).toBe(`欠${formatFen(b.outstanding)}`);
        }
        if (planId !== null) {
          const p = (await c1.call('plans.list', { caseId: caseOf(sc.plan!.caseIx) })).plans.find((x) => x.id === planId)!;
          const letter = await c1.call('plans.letter', { planId, language: 'en' });
          const b = await m1.call('money.balance', { caseId: p.caseId });
          expect(letter.text).toContain(`As of 2026-11-23 you owe ¥${formatFen(b.outstanding)}.`);
        }
        // The list's order is by the stored figure of each case's last change: with no terms it is today's.
        if (!sc.terms) expect(list.map((r) => r.outstandingFen)).toEqual([...list.map((r) => r.outstandingFen)].sort((a, b) => b - a));
        const out = tempDir('agencydesk-balance-prop-');
        try {
          const r = await m1.call('reports.export', { lenderId: lender.id, from: '2026-11-01', to: '2026-11-23', formats: ['csv'], outDir: out });
          const [header, ...lines] = readFileSync(path.join(r.path, 'status-report.csv'), 'utf8').slice(1).trim().split('\r\n');
          const cols = header!.split(',');
          expect(lines).toHaveLength(ids.length);
          for (const line of lines) {
            const cells = line.split(',');
            const row = list.find((x) => x.caseNo === cells[cols.indexOf('合同号')])!;
            expect(Math.round(Number(cells[cols.indexOf('剩余应还')]) * 100)).toBe(row.outstandingFen);
          }
        } finally {
          removeDir(out);
        }
      }),
      { numRuns: 6 },
    );
  }, 300_000);
});
