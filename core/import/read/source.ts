// Picks the reader by the file's first bytes (not its name: lenders rename files freely).
import { closeSync, openSync, readSync, createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { readCsv } from './csv.js';
import { readXlsx } from './xlsx.js';
import type { OnRows, ReadInfo } from './rows.js';
import { FileRejected } from './limits.js';

export function detectFormat(path: string): 'csv' | 'xlsx' {
  const head = Buffer.alloc(8);
  const fd = openSync(path, 'r');
  let n = 0;
  try {
    n = readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  if (n === 0) throw new FileRejected('The file is empty.');
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  // The old binary Excel format (OLE2): ask for a re-save rather than guess.
  if (head.readUInt32BE(0) === 0xd0cf11e0) throw new FileRejected('This is an old .xls workbook: save it as .xlsx or CSV in Excel and import that.');
  return 'csv';
}

export function readRows(path: string, onRows: OnRows, opts: { sheet?: string | undefined; signal?: AbortSignal } = {}): Promise<ReadInfo> {
  return detectFormat(path) === 'xlsx' ? readXlsx(path, onRows, opts) : readCsv(path, onRows, opts);
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
