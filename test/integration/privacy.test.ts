// Privacy (issue 17): a masked value is shown in full only for a reason, to whom the rules allow, while the
// case is open, and audited; the access report lists views by non-holders and unmasking; a finished case's
// personal data is erased when its lender's retention runs out — gone from every table, from the decrypted
// pages (live and freed) and from the WAL — with a signed certificate that `verifyPackage` accepts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, readFileSync, existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { makeStore, rawOpen, removeDir, tempDir, login, ADMIN_PASSWORD, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { toCsv } from '../helpers/placement-data.js';
import { foundIn, plainStore } from '../helpers/plain-pages.js';
import { verifyPackage } from '../../core/reports/verify.js';
import { ERASED_NAME } from '../../shared/domain/privacy.js';

let s: TestStore;
let files: string;
let clock = new Date('2026-11-20T10:00:00+08:00');
let lender = 0;
const PW = 'privacy pw 1234';
const as: Record<string, Client> = {};
const ids: Record<string, number> = {};

const HEADERS = ['合同号', '客户姓名', '身份证号', '手机号码', '逾期金额', '家庭地址', '银行卡号', '联系人1姓名', '联系人1关系', '联系人1电话', '备注'];
// The person to erase (P3) has a name, ID number and phones that appear in no other row.
const PEOPLE = {
  P1: ['P1', '张三丰', '110105199003071239', '13812345678', '1,000.00', '北京市朝阳区建国路88号1201室', '6222021234567890123', '张翠山', '父亲', '13900001111', ''],
  P2: ['P2', '李四海', '110105198807154318', '13822223333', '2,000.00', '上海市浦东新区世纪大道100号', '6222029876543210987', '李大', '兄弟', '13922223333', ''],
  P3: ['P3', '欧阳娜娜', '440305199512120024', '13766668888', '3,000.00', '广东省深圳市南山区粤海街道科技园8栋', '6217001112223334445', '欧阳锋', '父亲', '13655557777', '欧阳娜娜 曾承诺月底还款'],
};
const P3_SECRETS = ['欧阳娜娜', '440305199512120024', '13766668888', '13655557777', '欧阳锋', '科技园8栋', '6217001112223334445'];

async function relogin() {
  as.admin = s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
  for (const u of ['c1', 'c2', 'm1', 'au']) as[u] = await login(s.backend, u, PW);
}

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-privacy-');
  lender = (await s.admin.call('lenders.create', { code: 'PRIV', name: '隐私贷' })).id;
  for (const [u, role] of [['c1', 'collector'], ['c2', 'collector'], ['m1', 'manager'], ['au', 'auditor']] as const) {
    ids[u] = (await s.admin.call('users.create', { username: u, displayName: u.toUpperCase(), role, password: PW })).id;
  }
  const file = path.join(files, 'placement.csv');
  writeFileSync(file, toCsv([HEADERS, ...Object.values(PEOPLE)]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-01' });
  const job = await waitJob(s.admin, jobId);
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  await new Promise((r) => setTimeout(r, 1500)); // the worker's checkpoint (see case-facts.test.ts)
  for (const r of (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows) ids[r.caseNo] = r.id;
  await s.admin.call('assign.manual', { caseIds: [ids.P1!, ids.P3!], collectorId: ids.c1!, confirmSplit: true });
  await s.admin.call('assign.manual', { caseIds: [ids.P2!], collectorId: ids.c2!, confirmSplit: true });
  await relogin();
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('masked by default', () => {
  it('the list, the case view, its facts and contacts show no full ID number, phone, address or bank card', async () => {
    const list = JSON.stringify(await as.admin!.call('cases.list', { sort: 'id', desc: false }));
    const view = JSON.stringify(await as.admin!.call('cases.get', { id: ids.P1! }));
    for (const full of ['110105199003071239', '13812345678', '13900001111', '建国路88号', '6222021234567890123']) {
      expect(list).not.toContain(full);
      expect(view).not.toContain(full);
    }
  });
});

describe('cases.unmask', () => {
  const ask = (c: Client, caseId: number, field: string, reason = 'verify_identity', note = '') => c.call('cases.unmask', { caseId, field, reason: reason as 'dial', note });
  const err = (c: Client, caseId: number, field: string, reason = 'dial', note = '') => c.error('cases.unmask', { caseId, field, reason, note });

  it('admins and managers see any field of an open case, for a reason, and each is audited', async () => {
    expect((await ask(as.admin!, ids.P1!, 'idNumber')).value).toBe('110105199003071239');
    expect((await ask(as.m1!, ids.P1!, 'homeAddress', 'field_visit')).value).toBe('北京市朝阳区建国路88号1201室');
    expect((await ask(as.m1!, ids.P1!, 'extra:银行卡号', 'other', '委托方核对还款账户')).value).toBe('6222021234567890123');
    const r = await ask(as.admin!, ids.P1!, 'contact1', 'dial');
    expect(r).toMatchObject({ value: '13900001111', showSeconds: 30 });
    const audit = (await as.admin!.call('audit.list', { action: 'cases.unmask', limit: 50 })).entries;
    expect(audit.map((e) => [e.actor, (e.detail as { field: string }).field, (e.detail as { reason: string }).reason])).toEqual([
      ['admin', 'contact1', 'dial'],
      ['m1', 'extra:银行卡号', 'other'],
      ['m1', 'homeAddress', 'field_visit'],
      ['admin', 'idNumber', 'verify_identity'],
    ]);
    expect((audit[1]!.detail as { note: string }).note).toBe('委托方核对还款账户');
    // The value itself is never written into the audit log.
    expect(JSON.stringify(audit)).not.toContain('110105199003071239');
  });

  it('collectors: only the phones of their own cases; auditors never; "other" needs the text', async () => {
    expect((await ask(as.c1!, ids.P1!, 'mobile', 'dial')).value).toBe('13812345678');
    expect((await ask(as.c1!, ids.P1!, 'contact1', 'dial')).value).toBe('13900001111');
    expect(await err(as.c1!, ids.P1!, 'idNumber')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await err(as.c1!, ids.P1!, 'homeAddress')).toMatchObject({ code: 'FORBIDDEN' });
    // Another collector's case answers as a missing one does.
    expect(await err(as.c1!, ids.P2!, 'mobile')).toMatchObject({ code: 'NOT_FOUND', message: `No case with id ${ids.P2}.` });
    expect(await err(as.au!, ids.P1!, 'mobile')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await err(as.admin!, ids.P1!, 'mobile', 'other', '')).toMatchObject({ code: 'BAD_INPUT' });
    expect(await err(as.admin!, ids.P1!, 'bankAccount')).toMatchObject({ code: 'BAD_INPUT' });
    const refused = (await as.admin!.call('audit.list', { action: 'cases.unmaskRefused', limit: 50 })).entries;
    expect(refused.map((e) => e.actor).sort()).toEqual(['au', 'c1', 'c1']);
  });

  it('ends when the case is finished: nobody unmasks a returned case', async () => {
    await as.admin!.call('recalls.bySelection', { caseIds: [ids.P2!], reason: '委托方到期退案' });
    expect(await err(as.admin!, ids.P2!, 'idNumber', 'lender_request')).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('returned') });
  });
});

describe('the access report', () => {
  it('lists views by users who do not hold the case and unmasking by user; auditors may read it, collectors may not', async () => {
    clock = new Date('2026-11-21T10:00:00+08:00');
    await relogin();
    await as.c1!.call('cases.get', { id: ids.P1! }); // the holder: not reported
    await as.m1!.call('cases.get', { id: ids.P1! }); // not the holder
    await as.au!.call('cases.get', { id: ids.P3! });
    await as.c1!.call('cases.unmask', { caseId: ids.P1!, field: 'mobile', reason: 'dial', note: '' });
    const rep = await as.au!.call('privacy.accessReport', { from: '2026-11-21', to: '2026-11-21' });
    expect(rep.views.map((v) => [v.user, v.caseNo, v.holder])).toEqual([
      ['m1', 'P1', 'c1'],
      ['au', 'P3', 'c1'],
    ]);
    expect(rep.unmasks.map((u) => [u.user, u.caseNo, u.field, u.reason])).toEqual([['c1', 'P1', 'mobile', 'dial']]);
    expect(rep.byUser).toEqual([
      { user: 'au', views: 1, unmasks: 0 },
      { user: 'c1', views: 0, unmasks: 1 },
      { user: 'm1', views: 1, unmasks: 0 },
    ]);
    // The day before holds the first describe's unmasking, not these.
    const before = await as.m1!.call('privacy.accessReport', { from: '2026-11-20', to: '2026-11-20' });
    expect(before.unmasks.length).toBeGreaterThanOrEqual(6);
    expect(before.views.every((v) => v.at < '2026-11-20T16:00:00.000Z')).toBe(true);
    expect(await as.c1!.error('privacy.accessReport', { from: '2026-11-21', to: '2026-11-21' })).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('retention and erasure', () => {
  it('a returned case falls due after its lender\'s days; erasure leaves no trace of the person, and a signed certificate', async () => {
    // P3 gets what a worked case holds: a contact log entry with a note and a recording, a file, a payment.
    await as.admin!.call('contacts.log', { caseId: ids.P3!, channel: 'phone', direction: 'inbound', outcome: 'connected', note: '欧阳娜娜本人来电，13766668888', recordingRef: 'rec/13766668888-20261121.wav' });
    const proof = path.join(files, 'proof.txt');
    writeFileSync(proof, '欧阳娜娜 440305199512120024 收入证明');
    await as.admin!.call('cases.attach', { caseId: ids.P3!, file: { path: proof }, note: '欧阳锋代交' });
    await as.admin!.call('payments.post', { caseId: ids.P3!, paidOn: '2026-11-21', amountFen: 10_000, channel: 'bank_transfer', payer: '欧阳娜娜', reference: '6217001112223334445', note: '' });
    await as.admin!.call('recalls.bySelection', { caseIds: [ids.P3!], reason: '委托方召回' });
    expect((await as.admin!.call('privacy.retention', {})).lenders[0]!.retention).toEqual({ afterReturnedDays: 30, afterSettledDays: 180 });
    expect((await as.admin!.call('privacy.due', {})).rows).toEqual([]);
    expect(await as.admin!.error('privacy.erase', { lenderId: lender, caseIds: [ids.P3!] })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await as.c1!.error('privacy.erase', { lenderId: lender })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await as.au!.error('privacy.erase', { lenderId: lender })).toMatchObject({ code: 'FORBIDDEN' });

    // 30 days after the recall: due (P2 too, returned the day before). Shorter retention for this lender: 10 days.
    await as.m1!.call('privacy.setRetention', { lenderId: lender, retention: { afterReturnedDays: 10, afterSettledDays: 180 } });
    clock = new Date('2026-12-01T10:00:00+08:00');
    await relogin();
    const due = await as.m1!.call('privacy.due', { lenderId: lender });
    expect(due.rows.map((r) => [r.caseNo, r.status, r.dueOn])).toEqual([
      ['P2', 'returned', '2026-11-30'],
      ['P3', 'returned', '2026-12-01'],
    ]);
    const out = await as.m1!.call('privacy.erase', { lenderId: lender, caseIds: [ids.P3!] });
    expect(out).toMatchObject({ erased: 1, reclaimed: true });
    expect(out.run).toMatchObject({ cases: 1, lenderCode: 'PRIV', by: 'm1' });
    // Right after the run, with the store still open: the WAL was checkpointed and truncated, so no older
    // image of an erased page waits in it.
    const wal = path.join(s.dir, 'agency.db-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);

    // Wherever the name was: 已删除个人信息; the case number, amounts and outcome stay.
    const view = await as.admin!.call('cases.get', { id: ids.P3! });
    expect(view).toMatchObject({ borrowerName: ERASED_NAME, caseNo: 'P3', stage: 'returned', overdueAmountFen: 300_000, contacts: [] });
    const row = (await as.admin!.call('cases.list', { sort: 'id', desc: false })).rows.find((r) => r.caseNo === 'P3')!;
    expect(row.borrowerName).toBe(ERASED_NAME);
    expect((await as.admin!.call('cases.list', { q: '8888' })).rows).toEqual([]);
    expect((await as.admin!.call('privacy.due', { lenderId: lender })).rows.map((r) => r.caseNo)).toEqual(['P2']);

    // The certificate: signed like a report package, listing the case number.
    const cert = out.run.path!;
    const v = await verifyPackage(cert);
    expect(v.failures).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.manifest).toMatchObject({ format: 'agencydesk-erasure/1', cases: 1, caseNumbers: ['P3'], lender: { code: 'PRIV' } });
    expect(readFileSync(path.join(cert, 'erased-cases.csv'), 'utf8')).toContain('P3');
    // The command line a lender would use (the built CLI; `npm test` builds first).
    const cli = spawnSync(process.execPath, [path.resolve('bin/agencydesk.mjs'), 'verify', cert], { encoding: 'utf8' });
    expect(cli.status, cli.stdout + cli.stderr).toBe(0);
    const zip = await as.m1!.call('privacy.certificate', { runId: out.run.id });
    expect(zip.fileName.endsWith('.zip')).toBe(true);
    writeFileSync(path.join(cert, 'erased-cases.csv'), 'P3,tampered\r\n');
    expect((await verifyPackage(cert)).valid).toBe(false);
    expect(spawnSync(process.execPath, [path.resolve('bin/agencydesk.mjs'), 'verify', cert], { encoding: 'utf8' }).status).toBe(1);

    // No trace of P3 in the decrypted store: every table, live and freed pages, the WAL. P1 is still there.
    s.close();
    expect(existsSync(path.join(s.dir, 'agency.db'))).toBe(true);
    const plain = plainStore(s.dir, s.recoveryKey);
    expect(plain.wal.length).toBe(0);
    for (const secret of P3_SECRETS) expect(foundIn(plain, secret), secret).toEqual([]);
    for (const kept of ['张三丰', '110105199003071239', '13812345678']) expect(foundIn(plain, kept).length, kept).toBeGreaterThanOrEqual(3);
    expect(plain.dump).toMatch(/audit_log\t.*privacy\.erase\t/);

    // Outside an erasure the append-only tables are as closed as before migration 020.
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      expect(() => db.prepare("UPDATE contact_attempts SET note = 'x'").run()).toThrow(/never changed/);
      expect(() => db.prepare("UPDATE payments SET payer = 'x'").run()).toThrow(/never changed/);
      expect(() => db.prepare("UPDATE case_files SET note = 'x'").run()).toThrow(/never changed/);
      expect(() => db.prepare('DELETE FROM contact_attempts').run()).toThrow(/never deleted/);
      expect(db.prepare('SELECT count(*) AS n FROM erasure_open').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  }, 60_000);
});
