// Picks the reader by the file's first bytes (not its name: lenders rename files freely).
import { createHash } from 'node:crypto';
import { readCsv } from './csv.js';
import { readXlsx } from './xlsx.js';
import type { OnRows, ReadInfo } from './rows.js';
import { FileRejected } from './limits.js';
import { readHead, sourceStream, type Src } from './file-source.js';

export function detectFormat(src: Src): 'csv' | 'xlsx' {
  const head = Buffer.alloc(8);
  const n = readHead(src, 8).copy(head);
  if (n === 0) throw new FileRejected('The file is empty.');
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  // The old binary Excel format (OLE2): ask for a re-save rather than guess.
  if (head.readUInt32BE(0) === 0xd0cf11e0) throw new FileRejected('This is an old .xls workbook: save it as .xlsx or CSV in Excel and import that.');
  return 'csv';
}

export function readRows(src: Src, onRows: OnRows, opts: { sheet?: string | undefined; signal?: AbortSignal } = {}): Promise<ReadInfo> {
  return detectFormat(src) === 'xlsx' ? readXlsx(src, onRows, opts) : readCsv(src, onRows, opts);
}

/** The SHA-256 of the content (an upload's plaintext: the same file hashes the same uploaded or in place). */
export async function sha256File(src: Src): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of sourceStream(src, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
