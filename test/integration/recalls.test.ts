// Recalls (退案) through the API: by selection and by a lender's file; recalled cases close as returned
// with their reason, leave the queues, are skipped when already final, and show in the return report.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let s: TestStore;
let files: string;
const PW = 'recalls pw 1234';
let lender = 0;
let cases: { id: number; caseNo: string }[] = [];
let c1: Client;
let m1: Client;
let c1Id = 0;

beforeAll(async () => {
  s = await makeStore();
  files = tempDir('agencydesk-recalls-');
  lender = (await s.admin.call('lenders.create', { code: 'RCL', name: '某银行' })).id;
  c1Id = (await s.admin.call('users.create', { username: 'c1', displayName: 'C1', role: 'collector', password: PW })).id;
  await s.admin.call('users.create', { username: 'm1', displayName: 'M1', role: 'manager', password: PW });
  c1 = await login(s.backend, 'c1', PW);
  m1 = await login(s.backend, 'm1', PW);
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(8, 31)]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, batchNo: 'RCL-1' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => ({ id: r.id, caseNo: r.caseNo }));
  await s.admin.call('assign.manual', { caseIds: cases.map((c) => c.id), collectorId: c1Id });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('recall by selection', () => {
  it('a dry run changes nothing; the recall closes the cases as returned and takes them out of the queue', async () => {
    const picked = [cases[0]!.id, cases[1]!.id];
    expect(await c1.error('recalls.bySelection', { caseIds: picked, reason: '委托到期' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await m1.call('recalls.bySelection', { caseIds: picked, reason: '委托到期', dryRun: true })).toMatchObject({ recallId: null, recalled: 2, dryRun: true });
    expect((await m1.call('cases.get', { id: picked[0]! })).stage).toBe('new');
    const queueBefore = await c1.call('queue.today', {});
    const r = await m1.call('recalls.bySelection', { caseIds: picked, reason: '委托到期' });
    expect(r).toMatchObject({ recalled: 2, rejections: [] });
    const got = await m1.call('cases.get', { id: picked[0]! });
    expect(got.stage).toBe('returned');
    expect(got.history.find((h) => h.kind === 'stage')!.detail).toMatchObject({ from: 'new', to: 'returned', reason: '委托到期', recallId: r.recallId });
    const queueAfter = await c1.call('queue.today', {});
    expect(JSON.stringify(queueAfter)).not.toContain(`"caseId":${picked[0]}`);
    expect(JSON.stringify(queueBefore)).toContain(`"caseId":${picked[0]}`);
    // Recalling them again skips them, naming why.
    expect(await m1.call('recalls.bySelection', { caseIds: [picked[0]!, cases[2]!.id], reason: '再次' })).toMatchObject({ recalled: 1, rejections: [{ caseId: picked[0], reason: 'already returned' }] });
    expect((await s.admin.call('audit.list', { action: 'recalls.recall', limit: 5 })).entries).toHaveLength(2);
  });
});

describe('recall by file', () => {
  it('reads a title row, the case-number column and per-row reasons; lists what it skipped', async () => {
    const file = path.join(files, '退案清单.csv');
    writeFileSync(file, toCsv([['某银行退案清单 2026-11'], ['借据号', '退案原因'], [cases[3]!.caseNo, '客户投诉'], [cases[4]!.caseNo, ''], ['NOPE-1', 'x'], [cases[3]!.caseNo, '重复'], [cases[0]!.caseNo, '']]));
    const r = await m1.call('recalls.importFile', { lenderId: lender, file: { path: file }, reason: '批量退案' });
    expect(r.recalled).toBe(2);
    expect(r.rejections).toEqual([
      { row: 5, caseNo: 'NOPE-1', caseId: null, reason: 'no such case from this lender' },
      { row: 6, caseNo: cases[3]!.caseNo, caseId: cases[3]!.id, reason: 'listed twice' },
      { row: 7, caseNo: cases[0]!.caseNo, caseId: cases[0]!.id, reason: 'already returned' },
    ]);
    const detail = await m1.call('recalls.get', { recallId: r.recallId! });
    expect(detail.cases.map((c) => [c.caseNo, c.reason]).sort()).toEqual([[cases[3]!.caseNo, '客户投诉'], [cases[4]!.caseNo, '批量退案']].sort());
    expect(await m1.error('recalls.importFile', { lenderId: lender, file: { path: file }, reason: '批量退案' })).toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a file without a case-number column, and loses nothing', async () => {
    const file = path.join(files, 'bad.csv');
    writeFileSync(file, toCsv([['姓名', '金额'], ['张三', '100']]));
    expect(await m1.error('recalls.importFile', { lenderId: lender, file: { path: file }, reason: 'x y' })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('No case-number column') });
    expect((await m1.call('cases.get', { id: cases[5]!.id })).stage).toBe('new');
  });

  it('lists the returned cases in the next report package', async () => {
    const pkg = await m1.call('reports.export', { lenderId: lender, batchId: (await m1.call('batches.list', { lenderId: lender })).batches[0]!.id, formats: ['csv'], outDir: path.join(files, 'out') });
    expect(pkg.rowCounts.returns).toBe(5);
    const returns = readFileSync(path.join(pkg.path, 'returns.csv'), 'utf8').slice(1).split('\r\n');
    expect(returns[0]).toBe('合同号,退案日期,退案编号,退案方式,退案原因,退案前阶段,累计回款');
    expect(returns.filter((l) => l.includes('客户投诉'))).toHaveLength(1);
    expect((await m1.call('recalls.list', { lenderId: lender })).recalls.map((x) => [x.source, x.cases])).toEqual([['file', 2], ['selection', 1], ['selection', 2]]);
  });
});
