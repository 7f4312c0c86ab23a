// A damaged package is a verdict, a damaged upload is not (issue 17). A lender's clerk who runs verify on a
// .zip that was damaged or cut short on its way must get `valid: false` naming the file and saying why — an
// unreadable compressed stream used to escape as an exception (INTERNAL, "invalid distance too far back").
// An upload sealed at rest that fails to decrypt says nothing about the package (our copy on disk was
// damaged after it arrived): BAD_INPUT "upload it again", as for an import — wherever the damage sits (it was
// `valid: false` when it hit the zip's directory at the end, an exception in a file's data).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { verifyPackage } from '../../../core/reports/verify.js';
import { zipFolderTo } from '../../../core/reports/zip-folder.js';
import { newSealKey, sealStream, SEAL_CHUNK, SEAL_HEADER } from '../../../core/import/sealed-file.js';
import { ApiFailure } from '../../../shared/contract/failure.js';
import { removeDir, tempDir } from '../../helpers/store.js';

const dir = tempDir('agencydesk-verify-damaged-');
afterAll(() => removeDir(dir));
let zip: Buffer;
let dataStart = 0;
let dataEnd = 0;

/** Text that deflates to a few hundred KB (a pseudo-random walk, the same every run). */
function rows(n: number): string {
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`C${next()},张三${next() % 1000},${next()},${next() % 100000}.${next() % 100}`);
  return `${out.join('\r\n')}\r\n`;
}

beforeAll(async () => {
  const pkg = path.join(dir, 'PKG');
  mkdirSync(pkg);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const files: Record<string, string | Buffer> = { 'status-report.csv': rows(30_000), 'agency-public.pem': publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  for (const [n, b] of Object.entries(files)) writeFileSync(path.join(pkg, n), b);
  const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
  const manifest = Buffer.from(JSON.stringify({ format: 'agencydesk-report/1', files: Object.entries(files).map(([name, b]) => ({ name, sha256: sha(b) })) }));
  writeFileSync(path.join(pkg, 'manifest.json'), manifest);
  writeFileSync(path.join(pkg, 'manifest.sig'), sign(null, manifest, privateKey));
  const out = createWriteStream(path.join(dir, 'pkg.zip'));
  await zipFolderTo(pkg, 'PKG', out);
  await finished(out);
  zip = readFileSync(path.join(dir, 'pkg.zip'));
  // The CSV's compressed bytes (names sorted: it is the last entry): after its local header's name, up to
  // the central directory, which names it again.
  dataStart = zip.indexOf('PKG/status-report.csv') + 'PKG/status-report.csv'.length;
  dataEnd = zip.indexOf('PKG/status-report.csv', dataStart) - 46;
  expect(dataEnd - dataStart).toBeGreaterThan(3 * SEAL_CHUNK);
});

const write = (name: string, bytes: Buffer) => (writeFileSync(path.join(dir, name), bytes), path.join(dir, name));

async function sealedCopy(bytes: Buffer): Promise<{ path: string; key: Buffer }> {
  const key = newSealKey();
  const out: Buffer[] = [];
  for await (const c of Readable.from([bytes]).pipe(sealStream(key))) out.push(c as Buffer);
  return { path: write(`sealed-${out.length}-${Math.random().toString(36).slice(2)}`, Buffer.concat(out)), key };
}

describe('verify on a damaged package', () => {
  it('checks the intact .zip, plain and sealed', async () => {
    expect(await verifyPackage(write('ok.zip', zip))).toMatchObject({ valid: true, failures: [] });
    expect(await verifyPackage(await sealedCopy(zip))).toMatchObject({ valid: true, failures: [] });
  });

  it('a byte of a compressed file changed on its way: not valid, that file named as unreadable, the others still checked', async () => {
    // Bytes spread over the CSV's compressed data; each breaks the deflate stream or the entry's size (the
    // CRC is not checked, so a flip that still inflates would show as "changed": counted, but not the point).
    let unreadable = 0;
    for (let k = 1; k <= 8; k++) {
      const bad = Buffer.from(zip);
      const at = dataStart + Math.floor(((dataEnd - dataStart) * k) / 10);
      bad[at]! ^= 0x5a;
      const v = await verifyPackage(write(`bad-${k}.zip`, bad));
      expect(v.valid, `byte ${at}`).toBe(false);
      expect(v.failures.map((f) => f.file)).toEqual(['status-report.csv']);
      expect(v.files).toContainEqual({ name: 'agency-public.pem', ok: true });
      if (/cannot be read/.test(v.failures[0]!.reason)) {
        unreadable++;
        expect(v.failures[0]!.reason).toMatch(/damaged or incomplete.*ask the sender/);
      } else expect(v.failures[0]!.reason).toMatch(/changed/);
    }
    expect(unreadable).toBeGreaterThanOrEqual(4);
  });

  it('a .zip cut short: not valid, saying it is damaged or cut short', async () => {
    for (const len of [zip.length - 10, zip.length >> 1, 100]) {
      const v = await verifyPackage(write(`short-${len}.zip`, zip.subarray(0, len)));
      expect(v).toMatchObject({ valid: false, failures: [{ file: `short-${len}.zip` }] });
      expect(v.failures[0]!.reason).toMatch(/damaged, cut short or not a \.zip/);
    }
  });

  it('an upload damaged at rest (in a file’s data or in the zip’s directory) is BAD_INPUT "upload it again", never a verdict', async () => {
    const block = SEAL_CHUNK + 16;
    const sealed = await sealedCopy(zip);
    const bytes = readFileSync(sealed.path);
    const blocks = Math.ceil((bytes.length - SEAL_HEADER) / block);
    // A block inside the CSV's compressed data, and the last block (the zip's directory is there).
    const middle = Math.floor((dataStart + dataEnd) / 2 / SEAL_CHUNK);
    for (const i of [middle, blocks - 1]) {
      const bad = Buffer.from(bytes);
      bad[SEAL_HEADER + i * block + 100]! ^= 1;
      const e = await verifyPackage({ path: write(`sealed-bad-${i}`, bad), key: sealed.key }).then(
        (v) => v,
        (err: unknown) => err,
      );
      expect(e, `block ${i + 1} of ${blocks}`).toBeInstanceOf(ApiFailure);
      expect(e).toMatchObject({ code: 'BAD_INPUT' });
      expect((e as Error).message).toMatch(/The uploaded file is damaged or incomplete.*Upload it again/);
    }
  });
});
