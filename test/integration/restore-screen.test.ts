// The Backups screen's restore (backup.list, backup.restore): a chosen backup into a NEW folder, checked with a
// password valid at backup time, the live store untouched; and free disk space checked before large writes
// (import, export, backup, restore) on a real small file system (a tmpfs, when the tests run as root).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../core/backend.js';
import { ADMIN_PASSWORD, login, makeStore, removeDir, tempDir, type TestStore } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { importFile } from '../helpers/import.js';

let s: TestStore;
let root: string;
let lenderId: number;
let backupFile: string;

beforeAll(async () => {
  root = tempDir('agencydesk-restore-');
  s = await makeStore({ storeDir: path.join(root, 'store') });
  lenderId = (await s.admin.call('lenders.create', { code: 'RS', name: '恢复测试' })).id;
  const csv = path.join(root, 'cases.csv');
  writeFileSync(csv, toCsv([PLACEMENT_HEADERS, ...makeRows(120, 5)]));
  expect((await importFile(s.admin, lenderId, csv, { batchNo: 'RS-1' })).state).toBe('done');
  const team = await s.admin.call('teams.create', { name: 'R组' });
  await s.admin.call('users.create', { username: 'c1', displayName: 'c1', role: 'collector', teamId: team.id, password: 'collector password 1' });
  await s.admin.call('backup.configure', { folder: path.join(root, 'backups') });
  // Wait for the import's search rows (written just after it reports done), then back up.
  for (let i = 0; ; i++) {
    try {
      backupFile = (await s.admin.call('backup.run', {})).file;
      break;
    } catch (e) {
      if (i > 20) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}, 180_000);

afterAll(() => {
  s.close();
  removeDir(root);
});

describe('restore from the Backups screen', () => {
  it('lists the scheduled folder’s backups, newest first', async () => {
    const l = await s.admin.call('backup.list', {});
    expect(l.folder).toBe(path.join(root, 'backups'));
    expect(l.files.map((f) => f.file)).toEqual([backupFile]);
    expect(l.files[0]!.bytes).toBeGreaterThan(0);
  });

  it('refuses the live store’s folder, a wrong password and a collector; leaves nothing', async () => {
    expect(await s.admin.error('backup.restore', { file: backupFile, target: s.dir, password: ADMIN_PASSWORD })).toMatchObject({ code: 'CONFLICT' });
    expect(await s.admin.error('backup.restore', { file: backupFile, target: path.join(s.dir, 'inside'), password: ADMIN_PASSWORD })).toMatchObject({ code: 'CONFLICT' });
    const wrong = path.join(root, 'wrong');
    expect(await s.admin.error('backup.restore', { file: backupFile, target: wrong, password: 'not the password' })).toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(existsSync(wrong)).toBe(false);
    const c1 = await login(s.backend, 'c1', 'collector password 1');
    expect(await c1.error('backup.restore', { file: backupFile, target: wrong, password: 'collector password 1' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(existsSync(wrong)).toBe(false);
  });

  it('restores into a new folder that opens with the password of backup time; the live store is untouched', async () => {
    const casesBefore = (await s.admin.call('cases.list', { limit: 1 })).total;
    const target = path.join(root, 'restored');
    const r = await s.admin.call('backup.restore', { file: backupFile, target, password: ADMIN_PASSWORD });
    expect(r.store).toBe(target);
    expect(r.manifest.counts.cases).toBe(120);
    // The live store still serves, unchanged, and its audit log names the restore.
    expect((await s.admin.call('cases.list', { limit: 1 })).total).toBe(casesBefore);
    const audit = await s.admin.call('audit.list', { limit: 5, action: 'backup.restored' });
    expect(audit.entries.map((e) => e.action)).toEqual(['backup.restored']);
    // The restored folder is a store of its own.
    const other = createBackend({ storeDir: target, host: 'test', sweepEveryMs: 0 });
    try {
      const admin = await login(other, 'admin', ADMIN_PASSWORD);
      expect((await admin.call('cases.list', { limit: 1 })).total).toBe(120);
      expect((await admin.call('system.check', {})).integrityOk).toBe(true);
    } finally {
      other.close();
    }
    // Restoring again into the same (now full) folder is refused.
    expect(await s.admin.error('backup.restore', { file: backupFile, target, password: ADMIN_PASSWORD })).toMatchObject({ code: 'CONFLICT' });
  });

  it('the System page’s storage facts: folder, free space, warnings', async () => {
    const st = await s.admin.call('system.storage', {});
    expect(st.storeDir).toBe(s.dir);
    expect(st.freeBytes).toBeGreaterThan(0);
    expect(st.storeBytes).toBeGreaterThan(0);
    expect(st.warnings).toEqual([]);
  });

  it('warns when the store sits in a cloud-sync folder: the System page’s facts and the Backups status (the banner’s source)', async () => {
    const t = await makeStore({ storeDir: path.join(root, 'Dropbox', 'AgencyDesk', 'store') });
    try {
      const st = await t.admin.call('system.storage', {});
      expect(st.warnings).toEqual([`cloud-sync: ${path.join(root, 'Dropbox', 'AgencyDesk', 'store')}`]);
      expect((await t.admin.call('backup.status', {})).storeWarnings).toEqual(st.warnings);
    } finally {
      t.close();
    }
  });
});

const root_ = typeof process.getuid === 'function' && process.getuid() === 0;
describe.skipIf(!root_)('free disk space before large writes (a 48 MB tmpfs)', () => {
  let mnt: string;
  beforeAll(() => {
    mnt = path.join(root, 'small');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mnt]);
  });
  afterAll(() => {
    execFileSync('umount', [mnt]);
  });

  it('refuses an export, a backup and a restore there with the keyed message, leaving nothing', async () => {
    const exp = await s.admin.error('reports.export', { lenderId, batchId: (await s.admin.call('batches.list', { lenderId })).batches[0]!.id, formats: ['csv'], outDir: path.join(mnt, 'out') } as never);
    expect(exp).toMatchObject({ code: 'CONFLICT', key: 'diskSpaceLow' });
    expect(exp.message).toMatch(/Not enough free disk space/);
    const bk = await s.admin.error('backup.run', { folder: path.join(mnt, 'bk') });
    expect(bk).toMatchObject({ code: 'CONFLICT', key: 'diskSpaceLow' });
    const rs = await s.admin.error('backup.restore', { file: backupFile, target: path.join(mnt, 'restored'), password: ADMIN_PASSWORD });
    expect(rs).toMatchObject({ code: 'CONFLICT', key: 'diskSpaceLow' });
    expect(execFileSync('find', [mnt, '-type', 'f'], { encoding: 'utf8' }).trim()).toBe('');
  });

  it('refuses an import and a rekey of a store on a nearly full disk before anything starts', async () => {
    const t = await makeStore({ storeDir: path.join(mnt, 'store') });
    try {
      const lid = (await t.admin.call('lenders.create', { code: 'SM', name: '小盘' })).id;
      const csv = path.join(root, 'small.csv');
      writeFileSync(csv, toCsv([PLACEMENT_HEADERS, ...makeRows(50, 9)]));
      const e = await t.admin.error('import.start', { lenderId: lid, file: { path: csv } });
      expect(e).toMatchObject({ code: 'CONFLICT', key: 'diskSpaceLow', params: { dir: path.join(mnt, 'store') } });
      expect((await t.admin.call('cases.list', { limit: 1 })).total).toBe(0);
      // A rekey writes a whole copy of the store (and PRAGMA rekey a journal as big): refused up front too,
      // nothing started, the key unchanged.
      const before = await t.admin.call('keys.status', {});
      const r = await t.admin.error('keys.rekey', {});
      expect(r).toMatchObject({ code: 'CONFLICT', key: 'diskSpaceLow', params: { dir: path.join(mnt, 'store') } });
      expect(await t.admin.call('keys.status', {})).toMatchObject({ generation: before.generation });
      expect(readdirSync(path.join(mnt, 'store')).filter((n) => n.includes('rekey'))).toEqual([]);
    } finally {
      t.close();
    }
  });
});
