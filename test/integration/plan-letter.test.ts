// The written confirmation of a plan (plans.letter / plans.fileLetter) on a real store: only for an
// approved plan, in zh-CN and en, with the masked ID and never the full one, a schedule that sums to the
// plan's total, filed with the case as HTML with its SHA-256 and recorded as the plan's letter; a
// preview that no longer matches is refused; collectors reach only their own cases' plans.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
const clock = new Date('2026-11-23T10:00:00+08:00');
const PW = 'letter pw 1234';
const as: Record<string, Client> = {};
let cases: number[] = [];
let idNumbers: string[] = [];
let planId = 0;

const col = (h: string) => PLACEMENT_HEADERS.indexOf(h);
const fen = (yuan: string) => Math.round(Number(yuan.replace(/,/g, '')) * 100);

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-letter-');
  const lender = (await s.admin.call('lenders.create', { code: 'LTR', name: '某消费金融' })).id;
  const ids: Record<string, number> = {};
  for (const [u, role] of [['c1', 'collector'], ['c2', 'collector'], ['m1', 'manager']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: `员工${u}`, role, password: PW })).id;
    as[u] = await login(s.backend, u, PW);
  }
  // ¥10,000.00 principal + ¥500.01 interest: an odd total, so the schedule has a remainder to place.
  const rows = makeRows(2, 11).map((r) => {
    const x = [...r];
    x[col('逾期金额')] = '10500.01';
    x[col('逾期本金')] = '10000.00';
    x[col('逾期利息')] = '500.01';
    x[col('罚息')] = '0';
    return x;
  });
  idNumbers = rows.map((r) => r[col('身份证号')]!);
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...rows]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-23' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: [cases[0]!], collectorId: ids.c1! });
  await s.admin.call('assign.manual', { caseIds: [cases[1]!], collectorId: ids.c2! });
  // Waive ¥99.99 of the interest: ¥10,400.02 left, in 3 installments (the odd fen goes first).
  planId = (await as.c1!.call('plans.propose', { caseId: cases[0]!, kind: 'installments', reason: '收入减少', waiver: { interest: 9_999 }, installments: { count: 3, firstDate: '2026-12-05' } })).id;
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('plan confirmation letter', () => {
  it('is refused before the plan is approved', async () => {
    expect(await as.c1!.error('plans.letter', { planId, language: 'zh-CN' })).toMatchObject({ code: 'CONFLICT' });
  });

  it('renders the approved plan in zh-CN: masked ID, waiver, and a schedule summing to the total', async () => {
    await as.m1!.call('plans.decide', { planId, approve: true, note: '同意' });
    const { text, letterFileId } = await as.c1!.call('plans.letter', { planId, language: 'zh-CN' });
    expect(letterFileId).toBeNull();
    expect(text).not.toContain(idNumbers[0]!);
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(text).toMatch(/证件号码 \d{6}\*{8}[\dX]{4}/);
    expect(text).toContain('减免人民币99.99元（利息 99.99元）');
    expect(text).toContain('减免后您应还款项合计人民币10,400.02元，分3期');
    expect(text).toContain('经办人：员工c1');
    const lines = [...text.matchAll(/第(\d)期：(\d{4}-\d{2}-\d{2})前还款人民币([\d,.]+)元/g)];
    expect(lines.map((m) => [m[1], m[2], m[3]])).toEqual([
      ['1', '2026-12-05', '3,466.68'],
      ['2', '2027-01-05', '3,466.67'],
      ['3', '2027-02-05', '3,466.67'],
    ]);
    expect(lines.reduce((sum, m) => sum + fen(m[3]!), 0)).toBe(1_040_002);
  });

  it("names the collector holding the case as 经办人, whoever opens it (issue 18)", async () => {
    // The manager previews it: the letter still names c1, who holds the case, not the manager.
    expect((await as.m1!.call('plans.letter', { planId, language: 'zh-CN' })).text).toContain('经办人：员工c1');
    expect((await as.m1!.call('plans.letter', { planId, language: 'en' })).text).toContain('Handled by: 员工c1');
    // The 催收函 template names its 经办人 the same way.
    const tpl = (await s.admin.call('messageTemplates.list', {})).templates.find((t) => t.body.includes('经办人：{{collectorName}}'));
    expect(tpl).toBeDefined();
    const { text } = await as.m1!.call('messageTemplates.render', { templateId: tpl!.id, caseId: cases[0]! });
    expect(text).toContain('经办人：员工c1');
  });

  it('renders in English too', async () => {
    const { text } = await as.m1!.call('plans.letter', { planId, language: 'en' });
    expect(text).toContain('This plan waives ¥99.99 (interest ¥99.99), so ¥10,400.02 is to be paid in 3 payment(s)');
    expect(text).toContain('1. by 2026-12-05: ¥3,466.68');
    expect(text).toContain('3. by 2027-02-05: ¥3,466.67');
    expect(text).not.toContain(idNumbers[0]!);
  });

  it('files the letter with the case as previewed and makes it the plan letter', async () => {
    const { text } = await as.c1!.call('plans.letter', { planId, language: 'zh-CN' });
    expect(await as.c1!.error('plans.fileLetter', { planId, language: 'zh-CN', text: `${text} ` })).toMatchObject({ code: 'CONFLICT' });
    const f = await as.c1!.call('plans.fileLetter', { planId, language: 'zh-CN', text });
    expect(f).toMatchObject({ caseId: cases[0], mime: 'text/html', name: expect.stringMatching(/^协商还款确认书-.+\.html$/) });
    const content = await as.c1!.call('cases.fileContent', { fileId: f.id });
    const html = Buffer.from(content.base64, 'base64');
    expect(createHash('sha256').update(html).digest('hex')).toBe(f.sha256);
    expect(html.toString('utf8')).toContain('第3期：2027-02-05前还款人民币3,466.67元');
    expect(html.toString('utf8')).not.toContain(idNumbers[0]!);
    const [plan] = (await as.c1!.call('plans.list', { caseId: cases[0]! })).plans;
    expect(plan!.letterFileId).toBe(f.id);
    expect((await as.c1!.call('plans.letter', { planId, language: 'zh-CN' })).letterFileId).toBe(f.id);
  });

  it("hides another collector's plan and refuses roles that do not work cases", async () => {
    expect(await as.c2!.error('plans.letter', { planId, language: 'zh-CN' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await as.c2!.error('plans.fileLetter', { planId, language: 'zh-CN', text: 'x' })).toMatchObject({ code: 'NOT_FOUND' });
    const auditorId = (await s.admin.call('users.create', { username: 'a1', displayName: 'A1', role: 'auditor', password: PW })).id;
    expect(auditorId).toBeGreaterThan(0);
    const auditor = await login(s.backend, 'a1', PW);
    expect(await auditor.error('plans.letter', { planId, language: 'zh-CN' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.m1!.error('plans.letter', { planId: 9999, language: 'zh-CN' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
