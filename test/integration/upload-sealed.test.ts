// Uploads are encrypted at rest (issue 17: no plaintext on disk; issue 16: uploads encrypted or deleted once
// used). Through the loopback web host's real upload route: the file in the store's uploads folder holds
// none of the lender's names, ID numbers or phones while it waits and while it is imported; a file cut short
// or altered on disk is refused as BAD_INPUT and nothing of it is imported; CSV and XLSX (inline strings and
// Excel's order with shared strings) import exactly as the same file imported in place. On the team server's
// backend the repayment file is read in an offload worker, which is handed the key for its call; and no
// caller over the network may name a path on the server's disk.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import { createWebApp } from '../../web/app.js';
import { receiveUpload } from '../../web/upload-stream.js';
import { SEAL_CHUNK, SEAL_HEADER } from '../../core/import/sealed-file.js';
import { uploadsDir } from '../../core/import/uploads.js';
import { makeStore, rawOpen, removeDir, tempDir, type Client, type TestStore } from '../helpers/store.js';
import { leaks } from '../helpers/leaks.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { personalXlsx } from '../helpers/xlsx-personal.js';
import type { ImportJob } from '../../shared/contract/placements.js';

const BLOCK = SEAL_CHUNK + 16;

let files: string;
let web: TestStore;
let local: TestStore;
let server: Server;
let origin: string;
const TOKEN = 'test-launch-token-0123456789';

beforeAll(async () => {
  files = tempDir('agencydesk-sealed-files-');
  web = await makeStore({ host: 'web' });
  local = await makeStore();
  for (const s of [web, local]) await s.admin.call('lenders.create', { code: 'SEAL', name: '加密上传' });
  const app = createWebApp({ backend: web.backend, token: TOKEN, staticDir: path.resolve('dist/renderer'), port: () => (server.address() as AddressInfo).port });
  server = createServer((req, res) => void app(req, res));
  // fetch's pool drops an idle socket after 4 s; the server's default of 5 s raced it on a loaded machine
  // (CI: ECONNRESET on a reused socket between two uploads). The client now always closes first.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  for (const s of [web, local]) {
    s?.close();
    if (s) removeDir(s.dir);
  }
  removeDir(files);
});

/** Stages `body` through the web host's upload route, as the page does. */
async function upload(body: Buffer | string, purpose = 'placement'): Promise<string> {
  const res = await fetch(`${origin}/api/upload`, {
    method: 'POST',
    headers: { 'X-AgencyDesk-Token': TOKEN, 'X-AgencyDesk-Session': web.admin.token!, 'X-AgencyDesk-Upload-Purpose': purpose, 'Content-Type': 'application/octet-stream' },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const env = (await res.json()) as { ok: boolean; value: { uploadId: string; bytes: number } };
  expect(env).toMatchObject({ ok: true, value: { bytes: Buffer.byteLength(body) } });
  return env.value.uploadId;
}

const lenderOf = async (c: Client) => (await c.call('lenders.list', {})).lenders.find((l) => l.code === 'SEAL')!.id;

async function finish(c: Client, jobId: string, watch?: () => void): Promise<ImportJob> {
  for (;;) {
    watch?.();
    const job = await c.call('import.status', { jobId });
    if (job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}


const personal = (rows: string[][]) => [...new Set(rows.flatMap((r) => [r[1]!, r[2]!, r[3]!]))];
const damage = (uploadId: string, how: (bytes: Buffer) => Buffer) => {
  const p = path.join(uploadsDir(web.dir), uploadId);
  writeFileSync(p, how(readFileSync(p)));
};
const flip = (at: (len: number) => number) => (b: Buffer) => {
  const c = Buffer.from(b);
  c[at(c.length)]! ^= 0x40;
  return c;
};

describe('uploads sealed at rest', () => {
  it('(a) the upload on disk holds no name, ID number or phone of the file, while it waits and while it is imported', async () => {
    const rows = makeRows(10_000, 71, { caseNoPrefix: 'SA' });
    const csv = toCsv([PLACEMENT_HEADERS, ...rows]);
    const needles = personal(rows).filter((_, i) => i % 25 === 0);
    expect(needles.length).toBeGreaterThan(300);
    for (const x of needles.slice(0, 20)) expect(csv.includes(x)).toBe(true); // the file itself is full of them
    const uploadId = await upload(csv);
    const stored = readFileSync(path.join(uploadsDir(web.dir), uploadId));
    expect(stored.length).toBeGreaterThan(Buffer.byteLength(csv));
    expect(leaks(web.dir, needles)).toEqual([]);
    const lenderId = await lenderOf(web.admin);
    const file = { uploadId, name: 'sealed.csv' };
    expect((await web.admin.call('import.preview', { lenderId, file })).validRows).toBe(10_000);
    const { jobId } = await web.admin.call('import.start', { lenderId, file });
    let looks = 0;
    const seen: string[] = [];
    const job = await finish(web.admin, jobId, () => {
      looks++;
      seen.push(...leaks(web.dir, needles));
    });
    expect(job).toMatchObject({ state: 'done', result: { imported: 10_000 } });
    expect(looks).toBeGreaterThan(1);
    expect(seen).toEqual([]);
    // Used: gone, with its key.
    expect(readdirSync(uploadsDir(web.dir))).not.toContain(uploadId);
    expect(await web.admin.error('import.preview', { lenderId, file })).toMatchObject({ code: 'NOT_FOUND' });
  }, 120_000);

  it('(b) an upload cut short or altered on disk is refused as BAD_INPUT, and nothing of it is imported', async () => {
    const lenderId = await lenderOf(web.admin);
    const batchesBefore = (await web.admin.call('batches.list', { lenderId })).batches.length;
    const csv = toCsv([PLACEMENT_HEADERS, ...makeRows(3_000, 72, { caseNoPrefix: 'SB' })]);
    const xlsx = Buffer.from(personalXlsx(3_000, 73, 'shared').bytes);
    const cases: [string, Buffer | string, (b: Buffer) => Buffer][] = [
      ['csv cut at a block boundary', csv, (b) => b.subarray(0, SEAL_HEADER + 3 * BLOCK)],
      ['csv cut inside a block', csv, (b) => b.subarray(0, b.length - 100)],
      ['csv with a byte flipped near its end (rows already written)', csv, flip((n) => n - BLOCK - 50)],
      ['xlsx with a byte flipped in the sheet', xlsx, flip((n) => SEAL_HEADER + Math.floor(n / 2))],
      ['xlsx cut short', xlsx, (b) => b.subarray(0, b.length - 1)],
    ];
    for (const [what, body, how] of cases) {
      const uploadId = await upload(body);
      damage(uploadId, how);
      const file = { uploadId, name: 'damaged' };
      const refused = (e: { code: string; message: string }) => {
        expect(e.code, what).toBe('BAD_INPUT');
        expect(e.message, what).toMatch(/damaged or incomplete/);
      };
      // The preview reads the first rows only: a flip deep in the file may pass it; a cut never does.
      const preview = await web.backend.dispatch('import.preview', { lenderId, file }, { session: web.admin.token });
      if (!preview.ok) refused(preview.error);
      else expect(what).toMatch(/flipped/);
      const started = await web.backend.dispatch('import.start', { lenderId, file }, { session: web.admin.token });
      if (!started.ok) refused(started.error);
      else {
        const job = await finish(web.admin, (started.value as { jobId: string }).jobId);
        expect(job.state, what).toBe('failed');
        refused(job.error!);
      }
    }
    expect((await web.admin.call('batches.list', { lenderId })).batches.length).toBe(batchesBefore);
    expect((await web.admin.call('cases.list', { lenderId, q: 'SB00000001' })).total).toBe(0);
    // A case file (attached straight into the store) and a repayment file alike.
    const caseId = (await web.admin.call('cases.list', { lenderId, limit: 1 })).rows[0]!.id;
    const proof = await upload(Buffer.alloc(3 * SEAL_CHUNK, '证明'), 'case-file');
    damage(proof, flip((n) => n - 5));
    refusedBy(await web.backend.dispatch('cases.attach', { caseId, file: { uploadId: proof, name: 'proof.pdf' } }, { session: web.admin.token }));
    const repay = await upload('借据号,回款金额(元),入账日期\nSA000001,100.00,2026-01-01\n', 'repayment');
    damage(repay, (b) => b.subarray(0, b.length - 3));
    refusedBy(await web.backend.dispatch('repayments.preview', { lenderId, file: { uploadId: repay, name: 'r.csv' } }, { session: web.admin.token }));
  }, 180_000);

  it('(c) CSV and XLSX (inline strings; Excel order with shared strings) import through an upload exactly as in place', async () => {
    const shapes: [string, Buffer][] = [
      ['csv', Buffer.from(toCsv([PLACEMENT_HEADERS, ...makeRows(4_000, 74, { caseNoPrefix: 'SC' })]))],
      ['inline.xlsx', Buffer.from(personalXlsx(4_000, 75, 'inline').bytes)],
      ['shared.xlsx', Buffer.from(personalXlsx(4_000, 76, 'shared').bytes)],
    ];
    const webLender = await lenderOf(web.admin);
    const localLender = await lenderOf(local.admin);
    for (const [name, bytes] of shapes) {
      const p = path.join(files, `placement-${name}`);
      writeFileSync(p, bytes);
      const localPreview = await local.admin.call('import.preview', { lenderId: localLender, file: { path: p } });
      const localJob = await finish(local.admin, (await local.admin.call('import.start', { lenderId: localLender, file: { path: p }, batchNo: `B-${name}` })).jobId);
      const file = { uploadId: await upload(bytes), name: `placement-${name}` };
      const webPreview = await web.admin.call('import.preview', { lenderId: webLender, file });
      const webJob = await finish(web.admin, (await web.admin.call('import.start', { lenderId: webLender, file, batchNo: `B-${name}` })).jobId);
      expect(webJob.state, name).toBe('done');
      expect(webPreview, name).toEqual(localPreview);
      expect(webJob.totalBytes, name).toBe(bytes.length);
      expect(comparable(webJob.result), name).toEqual(comparable(localJob.result));
      expect(webJob.result!.imported, name).toBe(4_000);
    }
    const tables = (s: TestStore) => {
      const db = rawOpen(s.dir, s.recoveryKey);
      try {
        const strip = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => !/(^id$|_id$|_at$|_by$)/.test(k)));
        return {
          cases: (db.prepare("SELECT * FROM cases WHERE case_no NOT LIKE 'SA%' ORDER BY case_no").all() as Record<string, unknown>[]).map(strip),
          batches: (db.prepare("SELECT * FROM batches WHERE batch_no LIKE 'B-%' ORDER BY batch_no").all() as Record<string, unknown>[]).map(strip),
        };
      } finally {
        db.close();
      }
    };
    const [w, l] = [tables(web), tables(local)];
    expect(l.cases.length).toBe(12_000);
    expect(l.batches.map((b) => b.source_bytes)).toEqual(shapes.map(([, b]) => b.length));
    expect(w).toEqual(l);
  }, 240_000);
});

function refusedBy(env: { ok: boolean; error?: { code: string; message: string } }): void {
  expect(env.ok).toBe(false);
  expect(env.error!.code).toBe('BAD_INPUT');
  expect(env.error!.message).toMatch(/damaged or incomplete/);
}

/** An import's result without what differs between two stores (ids, times, who). */
function comparable(r: ImportJob['result']) {
  if (!r) return r;
  const { batch, ...rest } = r;
  const { id: _id, lenderId: _l, importedAt: _at, ...b } = batch ?? ({} as Record<string, unknown>);
  return { ...rest, batch: b };
}

describe('the team server backend', () => {
  let s: TestStore | null = null;
  afterAll(() => {
    s?.close();
    if (s) removeDir(s.dir);
  });

  it('reads a sealed repayment file in its offload worker (handed the key for the call); refuses paths on its own disk', async () => {
    s = await makeStore({ storeDir: tempDir(), host: 'server', heavyWorkers: 1 });
    expect(s.backend.offload).not.toBeNull();
    const lenderId = (await s.admin.call('lenders.create', { code: 'SRV', name: '服务器' })).id;
    const stage = async (body: string) => {
      const target = s!.backend.newUpload(s!.admin.token);
      const r = await receiveUpload(Readable.from([Buffer.from(body)]), target);
      expect(r.status).toBe(200);
      expect(readFileSync(target.path).includes(Buffer.from(body.slice(0, 20)))).toBe(false);
      return target.uploadId;
    };
    const rows = makeRows(30, 77, { caseNoPrefix: 'SV' });
    const placed = await s.admin.call('import.start', { lenderId, file: { uploadId: await stage(toCsv([PLACEMENT_HEADERS, ...rows])), name: 'p.csv' }, placementDate: '2026-01-05' });
    const job = await finish(s.admin, placed.jobId);
    expect(job.result).toMatchObject({ imported: 30 });
    const repay = `借据号,回款金额(元),入账日期\n${rows.slice(0, 3).map((r) => `${r[0]},100.00,2026-01-06`).join('\n')}\n`;
    const preview = await s.admin.call('repayments.preview', { lenderId, file: { uploadId: await stage(repay), name: 'r.csv' } });
    expect(preview).toMatchObject({ format: 'csv', totalRows: 3, rejected: 0 });
    expect(preview.sample.map((x) => x.caseNo)).toEqual(rows.slice(0, 3).map((r) => r[0]));
    // A report package (.zip) uploaded to be verified is read by random access through the decryption.
    const batchId = (await s.admin.call('batches.list', { lenderId })).batches[0]!.id;
    const { exportId } = await s.admin.call('reports.export', { lenderId, batchId, formats: ['csv'], zip: true });
    const zip = readFileSync((await s.admin.call('reports.package', { exportId })).path);
    const stageBytes = async (bytes: Buffer) => {
      const target = s!.backend.newUpload(s!.admin.token);
      expect((await receiveUpload(Readable.from([bytes]), target)).status).toBe(200);
      return target.uploadId;
    };
    expect(await s.admin.call('reports.verify', { package: { uploadId: await stageBytes(zip), name: 'p.zip' } })).toMatchObject({ valid: true, failures: [] });
    const altered = await stageBytes(zip);
    const onDisk = path.join(uploadsDir(s.dir), altered);
    const sealedZip = readFileSync(onDisk);
    sealedZip[sealedZip.length - 30]! ^= 1;
    writeFileSync(onDisk, sealedZip);
    // Our copy at rest was damaged, not the package: BAD_INPUT "upload it again", as an import says — never a
    // verdict on the lender's package (test/unit/reports/verify-damaged.test.ts: damage anywhere in it).
    const e = await s.admin.error('reports.verify', { package: { uploadId: altered, name: 'p.zip' } });
    expect(e).toMatchObject({ code: 'BAD_INPUT' });
    expect(e.message).toMatch(/damaged or incomplete.*Upload it again/);
    // An upload that decrypts but is no .zip: a verdict, naming the file the user picked (not the upload's id).
    const notZip = await s.admin.call('reports.verify', { package: { uploadId: await stageBytes(Buffer.from('not a zip at all')), name: 'from-lender.zip' } });
    expect(notZip).toMatchObject({ valid: false, failures: [{ file: 'from-lender.zip' }] });
    // A caller on the network names a file of the server's own disk: refused, whatever it is for.
    const keySlots = path.join(s.dir, 'keyslots.json');
    const caseId = (await s.admin.call('cases.list', { lenderId, limit: 1 })).rows[0]!.id;
    expect(await s.admin.error('cases.attach', { caseId, file: { path: keySlots } })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await s.admin.error('import.preview', { lenderId, file: { path: keySlots } })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await s.admin.error('reports.verify', { package: { path: s.dir } })).toMatchObject({ code: 'FORBIDDEN' });
  }, 120_000);
});
