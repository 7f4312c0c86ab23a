// A lender places again a case whose personal data was erased: the new file's data is held again, so the case
// is no longer "erased" — it shows the name, and when it is finished again its retention runs again. Before,
// the erased marker stayed: the re-placed personal data was shown as 已删除个人信息 and never erased again.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, ADMIN_PASSWORD, type TestStore } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { toCsv } from '../helpers/placement-data.js';
import { ERASED_NAME } from '../../shared/domain/privacy.js';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-20T10:00:00+08:00');
const HEADERS = ['合同号', '客户姓名', '身份证号', '手机号码', '逾期金额'];
const ROW = ['R1', '王小明', '110105199003071239', '13812345678', '1,000.00'];

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-erasure-replace-');
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

async function place(lenderId: number, name: string, placementDate: string, amount: string): Promise<void> {
  const file = path.join(files, `${name}.csv`);
  writeFileSync(file, toCsv([HEADERS, [...ROW.slice(0, 4), amount]]));
  const admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
  const job = await waitJob(admin, (await admin.call('import.start', { lenderId, file: { path: file }, placementDate })).jobId);
  expect(job.state, JSON.stringify(job.error)).toBe('done');
}

describe('re-placement of an erased case', () => {
  it('clears the erased marker: the name shows again and the case falls due again once finished', async () => {
    const lenderId = (await s.admin.call('lenders.create', { code: 'REP', name: '再委托贷' })).id;
    await place(lenderId, 'first', '2026-11-01', '1,000.00');
    const id = (await s.admin.call('cases.list', {})).rows[0]!.id;
    await s.admin.call('recalls.bySelection', { caseIds: [id], reason: '委托方召回' });
    clock = new Date('2026-12-25T10:00:00+08:00');
    const admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
    expect((await admin.call('privacy.erase', { lenderId, caseIds: [id] })).erased).toBe(1);
    expect((await admin.call('cases.get', { id })).borrowerName).toBe(ERASED_NAME);

    await place(lenderId, 'again', '2026-12-25', '1,200.00');
    const again = await login(s.backend, 'admin', ADMIN_PASSWORD);
    expect((await again.call('cases.get', { id })).borrowerName).toBe('王小明');
    // Finished again (still returned) and past its retention: due, and erasable a second time.
    clock = new Date('2027-02-10T10:00:00+08:00');
    const later = await login(s.backend, 'admin', ADMIN_PASSWORD);
    expect((await later.call('privacy.due', { lenderId })).rows.map((r) => r.caseNo)).toEqual(['R1']);
    expect((await later.call('privacy.erase', { lenderId, caseIds: [id] })).erased).toBe(1);
    expect((await later.call('cases.get', { id })).borrowerName).toBe(ERASED_NAME);
  }, 120_000);
});
