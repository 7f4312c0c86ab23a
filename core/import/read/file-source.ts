// What the readers read: a file in place (the desktop's picked file, the CLI's path) or an upload sealed at
// rest (core/import/sealed-file.ts) with the key that opens it. Everything a reader needs — the size, the
// first bytes, a stream from an offset, the zip directory — comes through here, so the plaintext of an
// upload only ever exists in memory.
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { SealedFile, SealedZipReader } from '../sealed-file.js';

export interface FileSource {
  path: string;
  /** The upload's key (memory only): set, the file at `path` is sealed and read through decryption. */
  key?: Uint8Array | null | undefined;
}

/** A path alone is a plain file. */
export type Src = string | FileSource;

export const sourceOf = (s: Src): FileSource => (typeof s === 'string' ? { path: s } : s);

const sealed = (s: FileSource) => (s.key ? new SealedFile(s.path, s.key) : null);

/** Bytes of content (a sealed file's plaintext). */
export function sourceSize(src: Src): number {
  const s = sourceOf(src);
  const f = sealed(s);
  if (!f) return statSync(s.path).size;
  try {
    return f.size;
  } finally {
    f.close();
  }
}

/** Up to `bytes` bytes from the start. */
export function readHead(src: Src, bytes: number): Buffer {
  const s = sourceOf(src);
  const buf = Buffer.alloc(bytes);
  const f = sealed(s);
  if (f) {
    try {
      return buf.subarray(0, f.read(buf, 0, bytes, 0));
    } finally {
      f.close();
    }
  }
  const fd = openSync(s.path, 'r');
  try {
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** The content from `start` as a stream of Buffers. */
export function sourceStream(src: Src, opts: { start?: number; highWaterMark?: number } = {}): Readable {
  const s = sourceOf(src);
  const f = sealed(s);
  if (f) return f.stream(opts.start ?? 0, f.size, { closeWhenDone: true });
  return createReadStream(s.path, { start: opts.start ?? 0, highWaterMark: opts.highWaterMark ?? 64 * 1024 });
}

/** The whole content in memory (small files only: case files). */
export async function readAll(src: Src): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of sourceStream(src, { highWaterMark: 1024 * 1024 })) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The zip's directory, read with random access (a sealed upload: only the chunks each read covers). */
export function openZipSource(src: Src, options: yauzl.Options): Promise<yauzl.ZipFile> {
  const s = sourceOf(src);
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip?: yauzl.ZipFile) => (err || !zip ? reject(err ?? new Error('no zip directory')) : resolve(zip));
    let f: SealedFile | null;
    try {
      f = sealed(s);
    } catch (e) {
      return reject(e);
    }
    if (!f) return yauzl.open(s.path, options, done);
    const reader = new SealedZipReader(f);
    yauzl.fromRandomAccessReader(reader, f.size, options, (err, zip) => {
      if (err) reader.close(() => undefined);
      done(err, zip);
    });
  });
}
