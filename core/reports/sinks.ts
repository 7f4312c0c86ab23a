// Where report rows go: a CSV file (UTF-8 with BOM, so Excel shows Chinese; CRLF; cells neutralised) or
// an XLSX sheet written by exceljs's streaming writer (rows are flushed as they come: memory stays flat).
// Each sink hashes exactly the bytes it wrote.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { csvLine, neutralise, type Cell } from '../../shared/domain/reports/cells.js';

export interface SinkResult {
  name: string;
  sha256: string;
  bytes: number;
  rows: number;
}

export interface Sink {
  row(cells: readonly Cell[]): Promise<void> | void;
  close(): Promise<SinkResult>;
}

const FLUSH_CHARS = 256 * 1024;

export class CsvSink implements Sink {
  private out: WriteStream;
  private hash = createHash('sha256');
  private pending: string[] = [];
  private pendingChars = 0;
  private rows = 0;
  private bytes = 0;

  constructor(
    private file: string,
    private name: string,
    header: readonly string[],
  ) {
    this.out = createWriteStream(file);
    this.pending.push('\uFEFF', csvLine(header));
  }

  row(cells: readonly Cell[]): Promise<void> | void {
    const line = csvLine(cells);
    this.pending.push(line);
    this.pendingChars += line.length;
    this.rows++;
    if (this.pendingChars >= FLUSH_CHARS) return this.flush();
  }

  private async flush(): Promise<void> {
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    this.hash.update(buf);
    this.bytes += buf.length;
    if (!this.out.write(buf)) await once(this.out, 'drain');
  }

  async close(): Promise<SinkResult> {
    await this.flush();
    this.out.end();
    await once(this.out, 'close');
    return { name: this.name, sha256: this.hash.digest('hex'), bytes: this.bytes, rows: this.rows };
  }
}

export class XlsxSink implements Sink {
  private book: ExcelJS.stream.xlsx.WorkbookWriter;
  private sheet: ExcelJS.Worksheet;
  private rows = 0;

  constructor(
    private file: string,
    private name: string,
    sheetName: string,
    header: readonly string[],
  ) {
    // No styles: exceljs computes a style model for every styled cell, which doubles the time of a
    // million-row sheet. Amounts are plain numbers in yuan.
    this.book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
    this.sheet = this.book.addWorksheet(sheetName);
    this.sheet.addRow(header.map(neutralise)).commit();
  }

  row(cells: readonly Cell[]): Promise<void> | void {
    // Text is neutralised like CSV (a formula-looking string stays text); numbers stay numbers.
    this.sheet.addRow(cells.map((c) => (typeof c === 'string' ? neutralise(c) : c))).commit();
    this.rows++;
    if (this.rows % 256 === 0) return this.drain();
  }

  /**
   * exceljs buffers a sheet's XML in memory until the zip stream (deflate, on the thread pool) takes it:
   * without waiting, a million rows pile up (700 MB). Wait while more than ~1 MB is pending.
   */
  private async drain(): Promise<void> {
    const pending = () => (this.sheet as unknown as { stream?: { buffers?: unknown[] } }).stream?.buffers?.length ?? 0;
    do await new Promise((r) => setImmediate(r));
    while (pending() > 16);
  }

  async close(): Promise<SinkResult> {
    this.sheet.commit();
    await this.book.commit();
    return { name: this.name, ...(await hashFile(this.file)), rows: this.rows };
  }
}

export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: statSync(file).size };
}
