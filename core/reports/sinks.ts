// Where report rows go: a CSV file (UTF-8 with BOM, so Excel shows Chinese, or GB18030 as the lender
// chooses; CRLF; cells neutralised) or an XLSX sheet streamed through deflate into its zip (typed cells,
// text never altered). Each sink hashes exactly the bytes it wrote: those are what the manifest lists.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvLine, type Cell } from '../../shared/domain/reports/cells.js';
import type { ColumnType } from '../../shared/domain/reports/columns.js';
import type { CsvEncoding } from '../../shared/domain/reports/view.js';
import { XlsxWriter } from './xlsx-writer.js';
import { encodeCsv } from './format-chunk.js';

export interface SinkResult {
  name: string;
  sha256: string;
  bytes: number;
  rows: number;
}

export interface Sink {
  readonly format: 'csv' | 'xlsx';
  row(cells: readonly Cell[]): Promise<void> | void;
  /** Rows already formatted for this sink (format-chunk.ts), as UTF-8 bytes. */
  append(bytes: Uint8Array, rows: number): Promise<void>;
  close(): Promise<SinkResult>;
}

const FLUSH_CHARS = 256 * 1024;

export class CsvSink implements Sink {
  readonly format = 'csv';
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
    private encoding: CsvEncoding = 'utf8-bom',
  ) {
    // A large buffer lets writes queue while the next rows are built instead of waiting for each one.
    this.out = createWriteStream(file, { highWaterMark: 4 * 1024 * 1024 });
    if (encoding === 'utf8-bom') this.pending.push('\uFEFF');
    this.pending.push(csvLine(header));
  }

  row(cells: readonly Cell[]): Promise<void> | void {
    const line = csvLine(cells);
    this.pending.push(line);
    this.pendingChars += line.length;
    this.rows++;
    if (this.pendingChars >= FLUSH_CHARS) return this.flush();
  }

  async append(bytes: Uint8Array, rows: number): Promise<void> {
    await this.flush();
    this.rows += rows;
    this.hash.update(bytes);
    this.bytes += bytes.length;
    if (!this.out.write(bytes)) await once(this.out, 'drain');
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const buf = encodeCsv(this.pending.join(''), this.encoding);
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
  readonly format = 'xlsx';
  private writer: XlsxWriter;
  private started: Promise<void> | null;

  constructor(
    file: string,
    private name: string,
    sheetName: string,
    header: readonly string[],
    modified: Date,
    /** How each column's cells are written and the zone of its times (see sheetRowXml). */
    layout: { types?: readonly ColumnType[]; timeZone?: string | null } = {},
  ) {
    this.writer = new XlsxWriter(file, sheetName, header.length, undefined, modified, layout);
    this.started = this.writer.begin(header);
    this.started.catch(() => undefined); // awaited by the first row or by close
  }

  row(cells: readonly Cell[]): Promise<void> | void {
    if (this.started) return this.first(cells);
    return this.writer.row(cells);
  }

  private async first(cells: readonly Cell[] | null): Promise<void> {
    await this.started;
    this.started = null;
    if (cells) await this.row(cells);
  }

  async append(bytes: Uint8Array, rows: number): Promise<void> {
    if (this.started) await this.first(null);
    await this.writer.appendXml(bytes, rows);
  }

  async close(): Promise<SinkResult> {
    try {
      if (this.started) await this.started;
      await this.writer.finish();
    } catch (e) {
      this.writer.abort();
      throw e;
    }
    return { name: this.name, sha256: this.writer.sha256(), bytes: this.writer.bytes, rows: this.writer.rows - 1 };
  }
}

export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: statSync(file).size };
}
