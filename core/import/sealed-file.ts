// Uploads at rest (issue 17: no plaintext on disk): a file the web host or the team server receives is
// encrypted as it streams in, under a random key per upload that lives only in this process's memory
// (core/import/uploads.ts). A restart loses the key, so the file is useless and is removed at start.
//
// Format: a 20-byte header — "ADSEAL" 0x00 0x01, the chunk size (uint32 BE, always 64 KiB), an 8-byte random
// nonce prefix — then chunks of AES-256-GCM: 64 KiB of plaintext (the last 0..64 KiB, empty only when the
// whole file is) + a 16-byte tag. Chunk i's nonce is the prefix + i (uint32 BE), so chunks cannot be
// reordered; its additional data is the header + a final flag (1 on the last chunk only), so a file cut at
// a chunk boundary, or one with chunks added after the last, fails authentication. Any chunk can be
// decrypted alone: the XLSX reader (yauzl) reads the zip at random offsets and decrypts only what it asks.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import yauzl from 'yauzl';
import { ApiFailure } from '../../shared/contract/failure.js';

export const SEAL_CHUNK = 64 * 1024;
const TAG = 16;
const SEALED_CHUNK = SEAL_CHUNK + TAG;
const MAGIC = Buffer.from('ADSEAL\x00\x01', 'latin1');
export const SEAL_HEADER = 20;
export const SEAL_KEY_BYTES = 32;

/** Why an upload cannot be read: damaged, cut short or not one of ours. A client error, never INTERNAL. */
export class UploadDamaged extends ApiFailure {
  constructor(detail: string) {
    super('BAD_INPUT', `The uploaded file is damaged or incomplete (${detail}); nothing was read from it. Upload it again.`);
  }
}

function nonce(prefix: Buffer, index: number): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 8);
  n.writeUInt32BE(index, 8);
  return n;
}

const aad = (header: Buffer, final: boolean) => Buffer.concat([header, Buffer.from([final ? 1 : 0])]);

/** A new random key for one upload. */
export const newSealKey = (): Buffer => randomBytes(SEAL_KEY_BYTES);

/**
 * Encrypts a byte stream into the sealed format. It holds back up to one chunk: a full chunk is written as
 * "not final" only once more bytes arrive, so the last chunk is always the one flagged final.
 */
export function sealStream(key: Uint8Array): Transform {
  const header = Buffer.alloc(SEAL_HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(SEAL_CHUNK, 8);
  randomBytes(8).copy(header, 12);
  const prefix = header.subarray(12, 20);
  const k = Buffer.from(key); // our own copy, wiped when the stream ends
  let index = 0;
  let pending: Buffer = Buffer.alloc(0);
  const seal = (plain: Buffer, final: boolean): Buffer => {
    const c = createCipheriv('aes-256-gcm', k, nonce(prefix, index++));
    c.setAAD(aad(header, final));
    const out = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    return out;
  };
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (!started) {
        started = true;
        this.push(header);
      }
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const out: Buffer[] = [];
      // Strictly more than a chunk: the last full chunk waits until we know whether it is the last.
      while (pending.length > SEAL_CHUNK) {
        out.push(seal(pending.subarray(0, SEAL_CHUNK), false));
        pending = pending.subarray(SEAL_CHUNK);
      }
      cb(null, out.length ? Buffer.concat(out) : undefined);
    },
    flush(cb) {
      try {
        if (!started) this.push(header);
        this.push(seal(pending, true));
        cb();
      } catch (e) {
        cb(e as Error);
      } finally {
        k.fill(0);
      }
    },
    destroy(err, cb) {
      k.fill(0);
      cb(err);
    },
  });
}

/** The plaintext size of a sealed file of `fileBytes` bytes, or null if no sealed file has that size. */
export function sealedPlainSize(fileBytes: number): { plain: number; chunks: number } | null {
  const body = fileBytes - SEAL_HEADER;
  if (body < TAG) return null;
  const full = Math.floor(body / SEALED_CHUNK);
  const rem = body % SEALED_CHUNK;
  if (rem === 0) return { plain: full * SEAL_CHUNK, chunks: full };
  if (rem < TAG) return null;
  return { plain: full * SEAL_CHUNK + rem - TAG, chunks: full + 1 };
}

/** A sealed file open for reading: random access and streams of plaintext, each chunk authenticated as read. */
export class SealedFile {
  readonly size: number;
  private readonly fd: number;
  private readonly key: Buffer;
  private readonly header = Buffer.alloc(SEAL_HEADER);
  private readonly chunks: number;
  private closed = false;
  private fdClosed = false;
  /** Asynchronous reads under way. */
  private reading = 0;
  /** The last chunk decrypted: yauzl reads headers and data in small, mostly sequential pieces. */
  private cached: { index: number; plain: Buffer } | null = null;

  /** Opens and checks the header and the final chunk, so a cut-short file is refused before a row is read. */
  constructor(path: string, key: Uint8Array) {
    this.fd = openSync(path, 'r');
    this.key = Buffer.from(key);
    try {
      const fileBytes = fstatSync(this.fd).size;
      if (readSync(this.fd, this.header, 0, SEAL_HEADER, 0) < SEAL_HEADER || !this.header.subarray(0, 8).equals(MAGIC)) throw new UploadDamaged('not an encrypted upload');
      if (this.header.readUInt32BE(8) !== SEAL_CHUNK) throw new UploadDamaged('unknown chunk size');
      const layout = sealedPlainSize(fileBytes);
      if (!layout) throw new UploadDamaged(`cut short at ${fileBytes} bytes`);
      this.size = layout.plain;
      this.chunks = layout.chunks;
      this.chunk(this.chunks - 1);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** Where chunk `i` sits in the file and how long it is sealed. */
  private span(i: number): { start: number; length: number } {
    const plainLen = i === this.chunks - 1 ? this.size - i * SEAL_CHUNK : SEAL_CHUNK;
    return { start: SEAL_HEADER + i * SEALED_CHUNK, length: plainLen + TAG };
  }

  /** Plaintext of chunk `i` (throws UploadDamaged if it does not authenticate). */
  private chunk(i: number): Buffer {
    if (this.cached?.index === i) return this.cached.plain;
    if (this.closed) throw new Error('sealed file closed');
    const { start, length } = this.span(i);
    const sealed = Buffer.allocUnsafe(length);
    if (readSync(this.fd, sealed, 0, length, start) < length) throw new UploadDamaged(`cut short in block ${i + 1}`);
    return this.open(i, sealed);
  }

  /** Reads chunk `i` off the thread (as fs streams do), then decrypts it here. */
  private chunkAsync(i: number, done: (err: Error | null, plain?: Buffer) => void): void {
    if (this.cached?.index === i) return done(null, this.cached.plain);
    if (this.closed) return done(new Error('sealed file closed'));
    const { start, length } = this.span(i);
    this.reading++;
    read(this.fd, Buffer.allocUnsafe(length), 0, length, start, (err, n, sealed) => {
      this.reading--;
      if (this.closed) {
        this.release();
        return done(new Error('sealed file closed'));
      }
      if (err) return done(err);
      try {
        if (n < length) throw new UploadDamaged(`cut short in block ${i + 1}`);
        done(null, this.open(i, sealed, false));
      } catch (e) {
        done(e as Error);
      }
    });
  }

  /** Decrypts chunk `i`; `cache`: keep it for the next small read (random access), not for a stream. */
  private open(i: number, sealed: Buffer, cache = true): Buffer {
    const final = i === this.chunks - 1;
    const plainLen = sealed.length - TAG;
    let plain: Buffer;
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, nonce(this.header.subarray(12, 20), i));
      d.setAAD(aad(this.header, final));
      d.setAuthTag(sealed.subarray(plainLen));
      const out = d.update(sealed.subarray(0, plainLen));
      const fin = d.final(); // GCM: empty, and it checks the tag
      plain = fin.length ? Buffer.concat([out, fin]) : out;
    } catch {
      throw new UploadDamaged(final ? 'its end does not check out: cut short or altered' : `block ${i + 1} of ${this.chunks} was altered`);
    }
    if (cache) {
      // The block it replaces was only ever copied out (read() and stream() copy the cached block): wipe it.
      if (this.cached && this.cached.plain !== plain) this.cached.plain.fill(0);
      this.cached = { index: i, plain };
    }
    return plain;
  }

  /** Copies plaintext [pos, pos + length) into `buf` at `offset`; returns the bytes copied (short at the end). */
  read(buf: Uint8Array, offset: number, length: number, pos: number): number {
    let done = 0;
    const end = Math.min(this.size, pos + length);
    while (pos + done < end) {
      const at = pos + done;
      const i = Math.floor(at / SEAL_CHUNK);
      const plain = this.chunk(i);
      const from = at - i * SEAL_CHUNK;
      const n = Math.min(plain.length - from, end - at);
      plain.copy(buf, offset + done, from, from + n);
      done += n;
    }
    return done;
  }

  /**
   * Plaintext [start, end) as a stream, one chunk at a time (never the whole file in memory). Each chunk is
   * read asynchronously, like fs.createReadStream's reads: pushed all at once, the CSV reader's text would pile
   * up ahead of the parser (more rows alive at a time, more garbage-collector copying).
   */
  stream(start = 0, end = this.size, opts: { closeWhenDone?: boolean } = {}): Readable {
    let pos = start;
    const file = this;
    return new Readable({
      read() {
        if (pos >= end) return void this.push(null);
        const i = Math.floor(pos / SEAL_CHUNK);
        file.chunkAsync(i, (err, plain) => {
          if (err || !plain) return void this.destroy(err ?? new Error('unreadable'));
          const from = pos - i * SEAL_CHUNK;
          const to = Math.min(plain.length, end - i * SEAL_CHUNK);
          pos += to - from;
          // A stream's chunks are its own (not cached): no copy needed.
          this.push(plain === file.cached?.plain ? Buffer.from(plain.subarray(from, to)) : plain.subarray(from, to));
        });
      },
      destroy(err, cb) {
        if (opts.closeWhenDone) file.close();
        cb(err);
      },
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.key.fill(0);
    this.cached?.plain.fill(0);
    this.cached = null;
    this.release();
  }

  /** Closes the descriptor once no read is under way (a stream destroyed mid-read closes the file after it). */
  private release(): void {
    if (this.reading > 0 || this.fdClosed) return;
    this.fdClosed = true;
    try {
      closeSync(this.fd);
    } catch {
      // closed already
    }
  }
}

/** yauzl's random access over a sealed file: each read decrypts only the chunks that cover it. */
export class SealedZipReader extends yauzl.RandomAccessReader {
  constructor(private readonly file: SealedFile) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return this.file.stream(start, end);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    try {
      const n = this.file.read(buffer, offset, length, position);
      callback(n < length ? new Error('unexpected end of file') : null);
    } catch (e) {
      callback(e as Error);
    }
  }

  override close(callback: (err: Error | null) => void): void {
    this.file.close();
    setImmediate(() => callback(null));
  }
}
