// Report schedules: a manager saves "weekly to lender X, every Monday"; on Monday the package for the week
// before is produced once, recorded on the schedule, and signed like any other; a missed week runs once.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, login, ADMIN_PASSWORD, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { verifyPackage } from '../../core/reports/verify.js';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-18T10:00:00+08:00'); // a Wednesday
const PW = 'sched pw 12345';
let m1: Client;
let lender = 0;

async function on(day: string) {
  clock = new Date(`${day}T10:00:00+08:00`);
  m1 = await login(s.backend, 'm1', PW);
  s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
}

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-sched-');
  lender = (await s.admin.call('lenders.create', { code: 'WK', name: '周报委托方' })).id;
  await s.admin.call('users.create', { username: 'm1', displayName: 'M1', role: 'manager', password: PW });
  m1 = await login(s.backend, 'm1', PW);
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(5, 41)]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-02' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('report schedules', () => {
  it('saves a weekly schedule whose first run is the next Monday', async () => {
    expect(await m1.error('reportSchedules.save', { lenderId: lender, name: '周报', every: 'weekly' })).toMatchObject({ code: 'BAD_INPUT' });
    const sch = await m1.call('reportSchedules.save', { lenderId: lender, name: '周报', every: 'weekly', weekday: 1, formats: ['csv'], outDir: path.join(files, 'out') });
    expect(sch).toMatchObject({ nextRunOn: '2026-11-23', lastRunOn: null, lastExport: null, createdBy: 'm1', active: true });
    expect((await m1.call('reportSchedules.runDue', {})).produced).toEqual([]);
  });

  it('on Monday produces the previous week once, signed, and moves the next run a week on', async () => {
    await on('2026-11-23');
    const { produced } = await m1.call('reportSchedules.runDue', {});
    expect(produced).toHaveLength(1);
    expect(produced[0]!.error).toBeNull();
    const pkg = produced[0]!.path!;
    expect(pkg.endsWith('.zip')).toBe(true);
    expect(await verifyPackage(pkg)).toMatchObject({ valid: true, manifest: { period: { from: '2026-11-16', to: '2026-11-22' } } });
    const [sch] = (await m1.call('reportSchedules.list', {})).schedules;
    expect(sch).toMatchObject({ lastRunOn: '2026-11-23', nextRunOn: '2026-11-30', lastExport: { path: pkg }, lastError: null });
    expect((await m1.call('reportSchedules.runDue', {})).produced).toEqual([]);
    const audit = (await s.admin.call('audit.list', { action: 'reports.export', limit: 1 })).entries[0]!;
    expect(audit).toMatchObject({ actor: 'm1', detail: { scheduleId: sch!.id } });
  });

  it('runs a missed week once, and records why a schedule cannot run', async () => {
    await on('2026-12-09'); // two Mondays missed
    const { produced } = await m1.call('reportSchedules.runDue', {});
    expect(produced).toHaveLength(1);
    expect((await m1.call('reportSchedules.list', {})).schedules[0]).toMatchObject({ lastRunOn: '2026-12-09', nextRunOn: '2026-12-14' });
    const m1Id = (await s.admin.call('users.list', {})).users.find((u) => u.username === 'm1')!.id;
    await s.admin.call('users.disable', { id: m1Id });
    clock = new Date('2026-12-14T10:00:00+08:00');
    s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
    const r = await s.admin.call('reportSchedules.runDue', {});
    expect(r.produced[0]!.error).toMatch(/may no longer export/);
    expect((await s.admin.call('reportSchedules.list', {})).schedules[0]!.lastError).toMatch(/may no longer export/);
  });
});
