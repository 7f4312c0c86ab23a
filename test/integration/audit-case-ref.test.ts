// The audit log names a case by its case number and lender, a lender by its code, read from the store when the
// log is listed (only `cases.view` writes the case number into its detail). An erased case keeps its number.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, type TestStore } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { toCsv } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
const lenders: Record<string, number> = {};
const ids: Record<string, number> = {};

// The same case number at two lenders: only the lender tells them apart.
const HEADERS = ['合同号', '客户姓名', '身份证号', '手机号码', '逾期金额'];
const ROW = ['ZA2026-77', '欧阳修文', '110105198807154318', '13511112222', '1,000.00'];

beforeAll(async () => {
  s = await makeStore();
  files = tempDir('agencydesk-audit-ref-');
  for (const code of ['REFA', 'REFB']) {
    lenders[code] = (await s.admin.call('lenders.create', { code, name: `委托方${code}` })).id;
    const file = path.join(files, `${code}.csv`);
    writeFileSync(file, toCsv([HEADERS, ROW]));
    const job = await waitJob(s.admin, (await s.admin.call('import.start', { lenderId: lenders[code]!, file: { path: file }, placementDate: '2026-11-01' })).jobId);
    expect(job.state, JSON.stringify(job.error)).toBe('done');
  }
  for (const r of (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows) ids[r.lenderCode] = r.id;
  expect(Object.keys(ids).sort()).toEqual(['REFA', 'REFB']);
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('audit.list names what an entry is about', () => {
  it('gives entries about a case its case number and lender, entries about a lender its code and name, even after an erasure', async () => {
    await s.admin.call('cases.move', { caseId: ids.REFB!, to: 'contact', reason: '首次联系' });
    await s.admin.call('cases.setFlag', { caseId: ids.REFA!, flag: 'high_risk', on: true, note: '' });
    await s.admin.call('lenders.update', { id: lenders.REFA!, contact: '王经理' });
    const { entries } = await s.admin.call('audit.list', { limit: 50 });
    const move = entries.find((e) => e.action === 'cases.move')!;
    expect(move.entityId).toBe(String(ids.REFB));
    expect(move.caseRef).toEqual({ caseNo: 'ZA2026-77', lenderCode: 'REFB' });
    expect(entries.find((e) => e.action === 'cases.setFlag')!.caseRef).toEqual({ caseNo: 'ZA2026-77', lenderCode: 'REFA' });
    expect(entries.find((e) => e.action === 'lenders.update')!.lenderRef).toEqual({ code: 'REFA', name: '委托方REFA' });
    // Entries about neither carry no reference.
    const other = entries.find((e) => e.action === 'lenders.create')!;
    expect(other.caseRef).toBeUndefined();
    expect(entries.find((e) => e.action === 'system.setup')!.caseRef).toBeUndefined();
    // Filtered by action, too.
    const flags = await s.admin.call('audit.list', { action: 'cases.setFlag', limit: 5 });
    expect(flags.entries.map((e) => e.caseRef?.lenderCode)).toEqual(['REFA']);

    await s.admin.call('privacy.setRetention', { lenderId: lenders.REFB!, retention: { afterReturnedDays: 0, afterSettledDays: 0 } });
    await s.admin.call('recalls.bySelection', { caseIds: [ids.REFB!], reason: '委托方召回' });
    expect(await s.admin.call('privacy.erase', { lenderId: lenders.REFB!, caseIds: [ids.REFB!] })).toMatchObject({ erased: 1 });
    const after = await s.admin.call('audit.list', { action: 'cases.move', limit: 5 });
    expect(after.entries[0]!.caseRef).toEqual({ caseNo: 'ZA2026-77', lenderCode: 'REFB' });
  });
});
