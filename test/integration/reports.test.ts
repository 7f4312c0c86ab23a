// Signed report packages end to end on a real store: export, verify with the app and with openssl and
// sha256sum, then change one byte and watch both name the file; formula neutralisation; the lender's
// header template; masked vs full personal data; key rotation keeps old packages verifiable.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync, cpSync, mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { makeStore, removeDir, tempDir, login, rawOpen, type TestStore, type Client } from '../helpers/store.js';
import { repos } from '../../db/repos/index.js';
import { writeUnsignedPackage } from '../../core/reports/package.js';
import { chunkHelper } from '../../core/reports/case-reports.js';
import type { FormatSetup, PerKind } from '../../core/reports/format-chunk.js';
import type { RawChunk } from '../../core/reports/rows.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { verifyPackage } from '../../core/reports/verify.js';
import { csvLine } from '../../shared/domain/reports/cells.js';
import { DEFAULT_TERMS } from '../../shared/domain/money/balance.js';

let s: TestStore;
let files: string;
let out: string;
const clock = new Date('2026-11-23T10:00:00+08:00');
const PW = 'reports pw 1234';
let lender = 0;
let batchId = 0;
let cases: number[] = [];
let c1: Client;
let m1: Client;
const col = (h: string) => PLACEMENT_HEADERS.indexOf(h);

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-reports-');
  out = path.join(files, 'out');
  // Terms entered with the lender (without them nothing accrues): the suggested 0.05 %/day, 24 % APR cap.
  lender = (await s.admin.call('lenders.create', { code: 'RPT', name: '某网贷平台', terms: { ...DEFAULT_TERMS, order: [...DEFAULT_TERMS.order] } })).id;
  await s.admin.call('users.create', { username: 'c1', displayName: 'C1', role: 'collector', password: PW });
  await s.admin.call('users.create', { username: 'm1', displayName: 'M1', role: 'manager', password: PW });
  c1 = await login(s.backend, 'c1', PW);
  m1 = await login(s.backend, 'm1', PW);
  const rows = makeRows(4, 11).map((r) => Object.assign([...r], { [col('逾期金额')]: '10500.00', [col('逾期本金')]: '10000.00', [col('逾期利息')]: '500.00', [col('罚息')]: '0' }));
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...rows]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-01', batchNo: 'RPT-B1' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  batchId = (await s.admin.call('batches.list', { lenderId: lender })).batches[0]!.id;
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  const c1Id = (await s.admin.call('users.list', {})).users.find((u) => u.username === 'c1')!.id;
  await s.admin.call('assign.manual', { caseIds: cases, collectorId: c1Id });
  // A note a borrower dictated that looks like a formula, a promise, a payment and a plan with a waiver.
  await c1.call('contacts.log', { caseId: cases[0]!, channel: 'phone', outcome: 'promised_to_pay', durationSec: 90, note: '=HYPERLINK("http://x.example","点我")', promise: { amountFen: 50_000, date: '2026-11-30' } });
  await m1.call('payments.post', { caseId: cases[0]!, paidOn: '2026-11-23', amountFen: 20_000, channel: 'alipay', reference: '+86-REF' });
  const plan = await c1.call('plans.propose', { caseId: cases[1]!, kind: 'installments', reason: '失业', waiver: { penalty: 11_000 }, installments: { count: 3, firstDate: '2026-12-01' } });
  await m1.call('plans.decide', { planId: plan.id, approve: true });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

const csvOf = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8');
const openssl = (dir: string) => spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'agency-public.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.sig'], { cwd: dir, encoding: 'utf8' });
const sha256sum = (dir: string) => spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });

describe('signing key', () => {
  it('is made at setup, recorded in the audit, and exportable as PEM with its fingerprint', async () => {
    const k = await s.admin.call('signing.keys', {});
    expect(k.current.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(k.current.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    // Anyone can compute the fingerprint from the PEM with openssl.
    const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: k.current.publicPem });
    expect(execFileSync('sha256sum', { input: der }).toString().split(' ')[0]).toBe(k.current.fingerprint);
    const setup = (await s.admin.call('audit.list', { action: 'system.setup', limit: 1 })).entries[0]!;
    expect(setup.detail.signingKey).toBe(k.current.fingerprint);
  });
});

describe('export and verify', () => {
  let dir = '';
  it('writes CSV (BOM) and XLSX for each report, manifest.json, manifest.sig, the public key and README.txt', async () => {
    expect(await c1.error('reports.export', { lenderId: lender, batchId })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await m1.error('reports.export', { lenderId: lender })).toMatchObject({ code: 'BAD_INPUT' });
    const r = await m1.call('reports.export', { lenderId: lender, batchId, outDir: out });
    dir = r.path;
    expect(readdirSync(dir).sort()).toEqual(
      ['README.txt', 'SHA256SUMS', 'SHA256SUMS.sig', 'agency-public.pem', 'contact-log.csv', 'contact-log.xlsx', 'manifest.json', 'manifest.sig', 'repayments.csv', 'repayments.xlsx', 'returns.csv', 'returns.xlsx', 'status-report.csv', 'status-report.xlsx', 'waivers.csv', 'waivers.xlsx'].sort(),
    );
    expect(r.rowCounts).toEqual({ status: 4, contacts: 1, repayments: 1, waivers: 1, returns: 0 });
    const manifest = JSON.parse(csvOf(dir, 'manifest.json'));
    expect(manifest).toMatchObject({ agency: '华信催收服务有限公司', lender: { code: 'RPT' }, batch: 'RPT-B1', personalData: 'masked', signingKey: { fingerprint: r.fingerprint } });
    expect(manifest.auditHeadHash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.totals).toMatchObject({ cases: 4, placedYuan: 42_000, paidTotalYuan: 200 });
    const status = csvOf(dir, 'status-report.csv');
    expect(status.charCodeAt(0)).toBe(0xfeff);
    const [header, first] = status.slice(1).split('\r\n');
    expect(header!.split(',').slice(0, 4)).toEqual(['合同号', '委案批次', '客户姓名', '身份证号']);
    // Masked by default; amounts are plain numbers in yuan.
    expect(first).toMatch(/\d{6}\*{8}\d{3}[\dX]/);
    expect(first).toContain(',10500,');
    expect(sha256sum(dir).status).toBe(0);
  });

  it('neutralises formula-looking text in CSV and XLSX, and keeps amounts as numbers', async () => {
    const log = csvOf(dir, 'contact-log.csv');
    expect(log).toContain(`"'=HYPERLINK(""http://x.example"",""点我"")"`);
    expect(csvOf(dir, 'repayments.csv')).toContain(",'+86-REF,");
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(dir, 'contact-log.xlsx'));
    const sheet = book.worksheets[0]!;
    const note = sheet.getRow(1).values as unknown[];
    const noteCol = note.indexOf('催记内容');
    // XLSX text is never altered: no apostrophe (the quote-prefix style protects it; report-content.test.ts).
    expect(sheet.getRow(2).getCell(noteCol).value).toBe(`=HYPERLINK("http://x.example","点我")`);
    const pay = new ExcelJS.Workbook();
    await pay.xlsx.readFile(path.join(dir, 'repayments.xlsx'));
    expect(pay.worksheets[0]!.getRow(2).getCell(3).value).toBe(200);
  });

  it('verifies with the app and with openssl; one changed byte fails both, naming the file', async () => {
    expect(await verifyPackage(dir)).toMatchObject({ valid: true, failures: [] });
    const viaApi = await m1.call('reports.verify', { package: { path: dir } });
    expect(viaApi).toMatchObject({ valid: true, signer: { kind: 'agency', name: '华信催收服务有限公司' } });
    expect(openssl(dir).stdout).toContain('Signature Verified Successfully');

    const bad = path.join(files, 'tampered');
    cpSync(dir, bad, { recursive: true });
    const csv = readFileSync(path.join(bad, 'status-report.csv'));
    csv[csv.length - 3] = csv[csv.length - 3]! ^ 1;
    writeFileSync(path.join(bad, 'status-report.csv'), csv);
    const v = await verifyPackage(bad);
    expect(v.valid).toBe(false);
    expect(v.failures).toEqual([{ file: 'status-report.csv', reason: 'changed: its SHA-256 differs from the manifest' }]);
    expect(openssl(bad).stdout).toContain('Signature Verified Successfully'); // the manifest itself is intact…
    const sums = sha256sum(bad);
    expect(sums.status).not.toBe(0); // …but the file no longer matches it
    expect(sums.stdout).toContain('status-report.csv: FAILED');

    // A changed manifest breaks the signature, for both verifiers.
    const m = readFileSync(path.join(bad, 'manifest.json'), 'utf8').replace('"cases": 4', '"cases": 5');
    writeFileSync(path.join(bad, 'manifest.json'), m);
    expect((await verifyPackage(bad)).failures.map((f) => f.file)).toContain('manifest.sig');
    const o = openssl(bad);
    expect(o.status).not.toBe(0);
    expect(o.stdout + o.stderr).toMatch(/Signature Verification Failure/);
  });

  it('refuses a package signed by a key other than the one the receiver holds', async () => {
    const other = execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519']).toString();
    const otherPub = execFileSync('openssl', ['pkey', '-pubout'], { input: other }).toString();
    const v = await verifyPackage(dir, { publicKeyPem: otherPub });
    expect(v.valid).toBe(false);
    expect(v.failures.map((f) => f.file)).toEqual(['manifest.sig', 'SHA256SUMS.sig', 'manifest.json']);
  });

  it('writes a .zip that verifies the same way', async () => {
    const r = await m1.call('reports.export', { lenderId: lender, from: '2026-11-01', to: '2026-11-23', formats: ['csv'], zip: true, outDir: out });
    expect(r.path.endsWith('.zip')).toBe(true);
    expect(await m1.call('reports.verify', { package: { path: r.path } })).toMatchObject({ valid: true });
    expect((await m1.call('reports.exports', { lenderId: lender })).exports.map((e) => e.path)).toEqual([r.path, dir]);
  });
});

describe('lender settings', () => {
  it("follows the lender's header template and language", async () => {
    expect(await m1.error('reports.setSettings', { lenderId: lender, template: { status: [{ key: 'nope', header: 'x' }] } })).toMatchObject({ code: 'BAD_INPUT' });
    await m1.call('reports.setSettings', { lenderId: lender, language: 'en', template: { status: [{ key: 'outstandingFen', header: 'Balance' }, { key: 'caseNo', header: 'Loan ID' }, { key: 'stage', header: '' }] } });
    const r = await m1.call('reports.export', { lenderId: lender, batchId, formats: ['csv'], outDir: out });
    const status = csvOf(r.path, 'status-report.csv').slice(1).split('\r\n');
    expect(status[0]).toBe('Balance,Loan ID,Stage');
    expect(csvOf(r.path, 'repayments.csv').slice(1).split('\r\n')[0]!.split(',')[0]).toBe('Case number');
  });

  it('puts full personal data in only with a recorded reason', async () => {
    expect(await m1.error('reports.setSettings', { lenderId: lender, piiFull: true })).toMatchObject({ code: 'BAD_INPUT' });
    await m1.call('reports.setSettings', { lenderId: lender, piiFull: true, reason: '委托合同第7.2条', template: { status: [{ key: 'idNumber', header: 'ID' }] } });
    const r = await m1.call('reports.export', { lenderId: lender, batchId, formats: ['csv'], outDir: out });
    expect(csvOf(r.path, 'status-report.csv').slice(1).split('\r\n')[1]).toMatch(/^\d{17}[\dX]$/);
    const audit = (await s.admin.call('audit.list', { action: 'reports.export', limit: 1 })).entries[0]!;
    expect(audit.detail.personalData).toBe('full');
  });
});

describe('key rotation', () => {
  it('signs with the new key and still names the agency for packages signed with the old one', async () => {
    const before = await s.admin.call('signing.keys', {});
    const old = (await m1.call('reports.exports', { lenderId: lender })).exports.at(-1)!.path;
    expect(await m1.error('signing.rotate', { reason: 'annual rotation' })).toMatchObject({ code: 'FORBIDDEN' });
    const after = await s.admin.call('signing.rotate', { reason: 'annual rotation' });
    expect(after.current.fingerprint).not.toBe(before.current.fingerprint);
    expect(after.retired.map((k) => k.fingerprint)).toEqual([before.current.fingerprint]);
    expect(await m1.call('reports.verify', { package: { path: old } })).toMatchObject({ valid: true, signer: { kind: 'agency', name: '华信催收服务有限公司 (retired key)' } });
    const r = await m1.call('reports.export', { lenderId: lender, batchId, formats: ['csv'], outDir: out });
    expect(r.fingerprint).toBe(after.current.fingerprint);
  });
});

describe("a lender's key", () => {
  it('is registered from PEM and makes the same verifier name the lender as signer', async () => {
    expect(await m1.error('lenders.setPublicKey', { lenderId: lender, publicPem: 'not a key' })).toMatchObject({ code: 'BAD_INPUT' });
    const rsa = execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']).toString();
    expect(await m1.error('lenders.setPublicKey', { lenderId: lender, publicPem: execFileSync('openssl', ['pkey', '-pubout'], { input: rsa }).toString() })).toMatchObject({ code: 'BAD_INPUT' });
    // The lender signs its own package (a recall file, say) with openssl.
    const priv = execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519']).toString();
    const pub = execFileSync('openssl', ['pkey', '-pubout'], { input: priv }).toString();
    const reg = await m1.call('lenders.setPublicKey', { lenderId: lender, publicPem: pub });
    expect(reg.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const pkg = path.join(files, 'from-lender');
    execFileSync('mkdir', ['-p', pkg]);
    writeFileSync(path.join(pkg, 'recall.csv'), '合同号\r\nX-1\r\n');
    const sha = execFileSync('sha256sum', [path.join(pkg, 'recall.csv')]).toString().split(' ')[0];
    writeFileSync(path.join(pkg, 'manifest.json'), JSON.stringify({ files: [{ name: 'recall.csv', sha256: sha }] }));
    writeFileSync(path.join(files, 'lender.key'), priv);
    execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', path.join(files, 'lender.key'), '-rawin', '-in', path.join(pkg, 'manifest.json'), '-out', path.join(pkg, 'manifest.sig')]);
    // No key in the package: the registered one is found by its signature.
    const v = await m1.call('reports.verify', { package: { path: pkg } });
    expect(v).toMatchObject({ valid: true, signer: { kind: 'lender', name: '某网贷平台 (RPT)', fingerprint: reg.fingerprint } });
    // Without the registration, the same package cannot be verified.
    await m1.call('lenders.setPublicKey', { lenderId: lender, publicPem: null });
    expect(await m1.call('reports.verify', { package: { path: pkg } })).toMatchObject({ valid: false, failures: [{ file: 'agency-public.pem' }] });
  });
});

describe('scope', () => {
  it("holds only the lender's own cases and entries, when another lender's cases have ids in between", async () => {
    const place = async (lenderId: number, seed: number, prefix: string, batchNo: string) => {
      const file = path.join(files, `${batchNo}.csv`);
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(2, seed, { caseNoPrefix: prefix })]));
      const { jobId } = await s.admin.call('import.start', { lenderId, file: { path: file }, placementDate: '2026-11-01', batchNo });
      expect((await waitJob(s.admin, jobId)).state).toBe('done');
    };
    const other = (await s.admin.call('lenders.create', { code: 'OTH', name: '另一家' })).id;
    await place(other, 21, 'OTH', 'OTH-B1');
    await place(lender, 22, 'RPT2', 'RPT-B2');
    const all = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows;
    const otherIds = all.filter((c) => c.lenderCode === 'OTH').map((c) => c.id);
    expect(Math.min(...otherIds)).toBeGreaterThan(cases.at(-1)!); // in between the two RPT batches
    const c1Id = (await s.admin.call('users.list', {})).users.find((u) => u.username === 'c1')!.id;
    await s.admin.call('assign.manual', { caseIds: otherIds, collectorId: c1Id });
    await c1.call('contacts.log', { caseId: otherIds[0]!, channel: 'phone', outcome: 'no_answer', durationSec: 0, note: '另一家的催记' });
    await m1.call('payments.post', { caseId: otherIds[1]!, paidOn: '2026-11-20', amountFen: 7_700, channel: 'bank_transfer', reference: 'OTH-PAY' });

    const r = await m1.call('reports.export', { lenderId: lender, from: '2026-11-01', to: '2026-11-23', formats: ['csv'], outDir: out });
    expect(r.rowCounts).toMatchObject({ status: 6, contacts: 1, repayments: 1 });
    expect(csvOf(r.path, 'contact-log.csv')).not.toContain('另一家的催记');
    expect(csvOf(r.path, 'repayments.csv')).not.toContain('OTH-PAY');
    const theirs = await m1.call('reports.export', { lenderId: other, from: '2026-11-01', to: '2026-11-23', formats: ['csv'], outDir: out });
    expect(theirs.rowCounts).toMatchObject({ status: 2, contacts: 1, repayments: 1 });
    expect(csvOf(theirs.path, 'contact-log.csv')).toContain('另一家的催记');
  });
});

describe('case text', () => {
  it('reaches the report exactly as stored: quotes, backslashes, control and line-separator characters, emoji', async () => {
    // Cases cross from SQLite to the formatting thread as JSON text (see db/repos/reports.ts): every character must survive.
    const name = '王"小\\明\t\u2028\u0001😀 \u00e9';
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      db.prepare('UPDATE case_rows SET borrower_name = ? WHERE id = ?').run(name, cases[2]!);
    } finally {
      db.close();
    }
    await m1.call('reports.setSettings', { lenderId: lender, piiFull: true, reason: '委托合同第7.2条', template: { status: [{ key: 'caseNo', header: 'C' }, { key: 'borrowerName', header: 'N' }] } });
    const r = await m1.call('reports.export', { lenderId: lender, batchId, formats: ['csv'], outDir: out });
    const caseNo = (await s.admin.call('cases.get', { id: cases[2]! })).caseNo;
    expect(csvOf(r.path, 'status-report.csv')).toContain(csvLine([caseNo, name]));
  });
});

describe('formatting on two threads', () => {
  it('writes the same bytes whether chunks are formatted by the helper thread or by the worker itself', async () => {
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      const r = repos(db);
      const spec = {
        agency: 'A',
        lender: { code: 'RPT', name: 'x' },
        scope: { lenderId: lender, batchId: null },
        batchNo: null,
        period: { from: '2026-11-01', to: '2026-11-23' },
        formats: ['csv', 'xlsx'] as ('csv' | 'xlsx')[],
        language: 'zh' as const,
        template: {},
        piiFull: false,
        generatedAt: '2026-11-23T02:00:00.000Z',
        generatedBy: 'm1',
        auditHead: 'h',
        key: { publicPem: 'PEM', fingerprint: 'f' },
      };
      let helped = 0;
      const startHelper = (setup: FormatSetup) => {
        const helper = chunkHelper(new Worker(new URL('../../core/reports/export-worker-from-source.mjs', import.meta.url), { workerData: { role: 'format', setup } }));
        return { ...helper, format: (c: RawChunk, first: PerKind<number>) => (helped++, helper.format(c, first)), get waiting() { return helper.waiting; } };
      };
      const alone = path.join(files, 'alone');
      const both = path.join(files, 'both');
      mkdirSync(alone);
      mkdirSync(both);
      const a = await writeUnsignedPackage(r, alone, spec);
      const b = await writeUnsignedPackage(r, both, spec, { chunkCases: 1, helperAfter: 0, startHelper });
      expect(helped).toBeGreaterThan(0);
      expect(a.rowCounts.status).toBe(6);
      expect(b.files).toEqual(a.files);
      for (const f of readdirSync(alone)) expect(readFileSync(path.join(both, f)).equals(readFileSync(path.join(alone, f))), f).toBe(true);
    } finally {
      db.close();
    }
  });
});
