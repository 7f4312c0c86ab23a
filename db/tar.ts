// A minimal POSIX tar (ustar) writer and reader for backup bundles: any `tar -tf` lists one, and big files are
// streamed through (never held in memory). Sizes past ustar's 8 GiB octal field use GNU's base-256 form.
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';

const BLOCK = 512;
const CHUNK = 1 << 20;

function header(name: string, size: number, mtime: Date): Buffer {
  const h = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 99) throw new Error(`tar entry name too long: ${name}`);
  h.write(name, 0, 'utf8');
  h.write('0000600\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  if (size < 8 ** 11) h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  else {
    h[124] = 0x80;
    h.writeBigUInt64BE(BigInt(size), 128);
  }
  h.write(Math.floor(mtime.getTime() / 1000).toString(8).padStart(11, '0') + '\0', 136);
  h.write('        ', 148); // checksum field counts as spaces while summing
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

function pad(fd: number, size: number): void {
  const rest = size % BLOCK;
  if (rest) writeSync(fd, Buffer.alloc(BLOCK - rest));
}

export class TarWriter {
  constructor(private readonly fd: number) {}

  addBuffer(name: string, data: Buffer, mtime = new Date()): void {
    writeSync(this.fd, header(name, data.length, mtime));
    writeSync(this.fd, data);
    pad(this.fd, data.length);
  }

  /** Streams a file into the archive; returns its SHA-256 (hex) as read. */
  addFile(name: string, file: string, mtime = new Date()): string {
    const src = openSync(file, 'r');
    try {
      const size = fstatSync(src).size;
      writeSync(this.fd, header(name, size, mtime));
      const hash = createHash('sha256');
      const buf = Buffer.allocUnsafe(CHUNK);
      let done = 0;
      while (done < size) {
        const n = readSync(src, buf, 0, Math.min(CHUNK, size - done), done);
        if (n <= 0) throw new Error(`${file} shrank while it was being archived`);
        hash.update(buf.subarray(0, n));
        writeSync(this.fd, buf, 0, n);
        done += n;
      }
      pad(this.fd, size);
      return hash.digest('hex');
    } finally {
      closeSync(src);
    }
  }

  /** The two zero blocks that end an archive. */
  end(): void {
    writeSync(this.fd, Buffer.alloc(BLOCK * 2));
  }
}

export interface TarEntry {
  name: string;
  size: number;
  /** Byte offset of the entry's data in the archive. */
  offset: number;
}

function parseSize(h: Buffer): number {
  if (h[124]! & 0x80) return Number(h.readBigUInt64BE(128));
  return parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
}

/** Lists an archive's entries (names and where their data sits); throws on a damaged header. */
export function listTar(fd: number): TarEntry[] {
  const total = fstatSync(fd).size;
  const entries: TarEntry[] = [];
  const h = Buffer.alloc(BLOCK);
  let pos = 0;
  while (pos + BLOCK <= total) {
    if (readSync(fd, h, 0, BLOCK, pos) !== BLOCK) break;
    if (h.every((b) => b === 0)) return entries;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    const stored = parseInt(h.subarray(148, 156).toString('latin1').replace(/[\0 ].*$/s, ''), 8);
    if (stored !== sum) throw new Error(`damaged archive header at byte ${pos}`);
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseSize(h);
    if (pos + BLOCK + size > total) throw new Error(`archive is truncated (entry ${name})`);
    entries.push({ name, size, offset: pos + BLOCK });
    pos += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new Error('archive is truncated (no end marker)');
}

export function readEntry(fd: number, e: TarEntry): Buffer {
  const buf = Buffer.alloc(e.size);
  if (e.size && readSync(fd, buf, 0, e.size, e.offset) !== e.size) throw new Error(`could not read ${e.name}`);
  return buf;
}

/** Streams one entry to `onChunk` (and a hash); returns its SHA-256 hex. */
export function streamEntry(fd: number, e: TarEntry, onChunk?: (chunk: Buffer) => void): string {
  const hash: Hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  let done = 0;
  while (done < e.size) {
    const n = readSync(fd, buf, 0, Math.min(CHUNK, e.size - done), e.offset + done);
    if (n <= 0) throw new Error(`archive is truncated (entry ${e.name})`);
    const chunk = buf.subarray(0, n);
    hash.update(chunk);
    onChunk?.(chunk);
    done += n;
  }
  return hash.digest('hex');
}
