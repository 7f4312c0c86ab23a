// The sealed upload format (core/import/sealed-file.ts): what goes in comes out, from any offset; a file cut
// short anywhere (at a chunk boundary too), a flipped byte anywhere, an added chunk or a wrong key is
// refused as BAD_INPUT with a plain message.
import { describe, it, expect, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import { newSealKey, SealedFile, sealedPlainSize, sealStream, SEAL_CHUNK, SEAL_HEADER, UploadDamaged } from '../../../core/import/sealed-file.js';
import { readAll } from '../../../core/import/read/file-source.js';
import { removeDir, tempDir } from '../../helpers/store.js';

const dir = tempDir('agencydesk-sealed-');
afterAll(() => removeDir(dir));
let n = 0;

/** Seals `plain`, fed in pieces of `piece` bytes as a network stream would; returns the file. */
async function sealed(plain: Buffer, key: Buffer, piece = 16 * 1024): Promise<string> {
  const parts: Buffer[] = [];
  for (let i = 0; i < plain.length; i += piece) parts.push(plain.subarray(i, i + piece));
  const out: Buffer[] = [];
  for await (const c of Readable.from(parts).pipe(sealStream(key))) out.push(c as Buffer);
  const file = path.join(dir, `f${n++}`);
  writeFileSync(file, Buffer.concat(out));
  return file;
}

const SIZES = [0, 1, SEAL_CHUNK - 1, SEAL_CHUNK, SEAL_CHUNK + 1, 3 * SEAL_CHUNK, 3 * SEAL_CHUNK + 12_345];

describe('sealed uploads', () => {
  it('give back exactly what went in, whole and from any offset; none of it is on disk', async () => {
    for (const size of SIZES) {
      const key = newSealKey();
      const plain = randomBytes(size);
      const file = await sealed(plain, key, 1 + (size % 7_000));
      expect(sealedPlainSize(readFileSync(file).length)?.plain).toBe(size);
      expect((await readAll({ path: file, key })).equals(plain)).toBe(true);
      const f = new SealedFile(file, key);
      try {
        expect(f.size).toBe(size);
        for (let k = 0; k < 20 && size > 0; k++) {
          const at = Math.floor(Math.random() * size);
          const len = Math.min(size - at, Math.floor(Math.random() * 2.5 * SEAL_CHUNK));
          const buf = Buffer.alloc(len);
          expect(f.read(buf, 0, len, at)).toBe(len);
          expect(buf.equals(plain.subarray(at, at + len))).toBe(true);
        }
      } finally {
        f.close();
      }
    }
    const text = Buffer.from('张三,110105199001011234,13812345678\n'.repeat(5_000));
    const onDisk = readFileSync(await sealed(text, newSealKey()));
    for (const needle of ['张三', '110105199001011234', '13812345678']) expect(onDisk.includes(Buffer.from(needle))).toBe(false);
  });

  it('refuses a file cut short anywhere, a flipped byte anywhere, an added chunk and a wrong key', async () => {
    const key = newSealKey();
    const plain = randomBytes(3 * SEAL_CHUNK + 500);
    const good = readFileSync(await sealed(plain, key));
    const refused = async (bytes: Buffer, k: Buffer = key) => {
      const file = path.join(dir, `bad${n++}`);
      writeFileSync(file, bytes);
      try {
        await readAll({ path: file, key: k });
      } catch (e) {
        expect(e).toBeInstanceOf(UploadDamaged);
        expect((e as UploadDamaged).code).toBe('BAD_INPUT');
        expect((e as Error).message).toMatch(/damaged or incomplete/);
        return true;
      }
      return false;
    };
    const block = SEAL_CHUNK + 16;
    // Cut at every chunk boundary (the cut a lost tail most likely makes), inside chunks, inside the header.
    for (const cut of [SEAL_HEADER + block, SEAL_HEADER + 2 * block, SEAL_HEADER + 3 * block, good.length - 1, good.length - 17, SEAL_HEADER + 10, 5, 0]) {
      expect(await refused(good.subarray(0, cut)), `cut at ${cut}`).toBe(true);
    }
    for (const at of [0, 9, 14, SEAL_HEADER, SEAL_HEADER + block - 1, SEAL_HEADER + block + 7_000, good.length - 1, good.length - 20]) {
      const bad = Buffer.from(good);
      bad[at]! ^= 0x01;
      expect(await refused(bad), `flip at ${at}`).toBe(true);
    }
    // A chunk of another file (same key) appended, and the whole under a different key.
    const other = readFileSync(await sealed(randomBytes(100), key));
    expect(await refused(Buffer.concat([good, other.subarray(SEAL_HEADER)]))).toBe(true);
    expect(await refused(good, newSealKey())).toBe(true);
    expect(await refused(Buffer.from('合同号,客户姓名\n'))).toBe(true); // a plain file is not an upload
    // The same bytes are fine.
    expect(await refused(good)).toBe(false);
    // A damaged file is refused when opened (its end is checked first), before a row could be read.
    const file = path.join(dir, `cut${n++}`);
    writeFileSync(file, good);
    truncateSync(file, SEAL_HEADER + 2 * block);
    expect(() => new SealedFile(file, key)).toThrow(UploadDamaged);
  });

  it('random access keeps one decrypted block and zeroes it when it moves on to another and at close', async () => {
    const key = newSealKey();
    const file = await sealed(Buffer.alloc(3 * SEAL_CHUNK, 0xab), key);
    const f = new SealedFile(file, key);
    const cached = () => (f as unknown as { cached: { plain: Buffer } | null }).cached!.plain;
    const zeroed = (b: Buffer) => b.every((x) => x === 0);
    const buf = Buffer.alloc(10);
    f.read(buf, 0, 10, 0);
    const first = cached();
    expect(zeroed(first)).toBe(false);
    f.read(buf, 0, 10, 2 * SEAL_CHUNK + 5); // the XLSX reader's next small read, in another block
    expect(buf.equals(Buffer.alloc(10, 0xab))).toBe(true);
    expect(zeroed(first)).toBe(true);
    const second = cached();
    expect(zeroed(second)).toBe(false);
    f.close();
    expect(zeroed(second)).toBe(true);
  });
});
