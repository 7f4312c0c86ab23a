// A one-sheet XLSX written as a stream: the sheet's XML goes through zlib's deflate (on the thread pool, so
// it overlaps with building the rows) straight into the zip file, and nothing but the current chunk is held
// in memory. Strings are inline (no shared-strings table to keep), so memory stays flat at any row count.
// exceljs's streaming writer did the same job with ~480 MB held at a million rows and twice the time.
// Cells are typed by column: identifiers always text, days and times real date cells (Excel serial numbers
// with a date format; times in the lender's zone, the offset shown by the format), and text is never
// altered — formula-looking text gets the quote-prefix style, which keeps Excel from ever reading it as a
// formula, even once edited (an inline string is not a formula to begin with).
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createDeflateRaw, crc32, deflateRawSync, type DeflateRaw } from 'node:zlib';
import { numText } from '../../shared/domain/reports/cells.js';
import { formulaLike } from '../../shared/domain/reports/csv-safe.js';
import type { ColumnType } from '../../shared/domain/reports/columns.js';
import { zoneOffsets } from '../../shared/domain/reports/zone-time.js';

export type XlsxCell = string | number | null;

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const CHUNK_CHARS = 256 * 1024;
const MAX_32 = 0xffffffff;
/** Excel's rows per sheet, header included. */
export const MAX_SHEET_ROWS = 1_048_576;

/** Column letters of a 1-based index: 1 → A, 27 → AA. */
export function columnName(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

// Characters XML 1.0 cannot hold, and literal `_xHHHH_` (Excel would decode it): written as Excel's
// `_xHHHH_` escapes so the cell reads back exactly.
const NEEDS_ESCAPE = /[&<>\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;
const ESCAPES = /[&<>\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|_(?=x[0-9A-Fa-f]{4}_)/g;
const escapeOne = (c: string): string =>
  c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`;

export function xmlText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPES, escapeOne) : text;
}

const isSpace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13;

// cellXfs indexes (styles.xml below): 0 plain, 1 bold (header), 2 quote prefix, 3 bold + quote prefix,
// 4 day, 5… date-time showing one of the zone's offsets.
const XF = { bold: 1, quote: 2, boldQuote: 3, day: 4, zoned: 5 } as const;

/** The date-time styles of a sheet whose times are in `timeZone`: one per offset the zone has had. */
export interface SheetStyles {
  offsets: readonly string[];
  /** offset text (`+08:00`) → its cell style attribute (` s="6"`) */
  zoned: ReadonlyMap<string, string>;
}

const stylesByZone = new Map<string, SheetStyles>();

export function sheetStyles(timeZone: string | null): SheetStyles {
  const key = timeZone ?? '';
  let st = stylesByZone.get(key);
  if (!st) {
    const offsets = timeZone ? zoneOffsets(timeZone) : [];
    st = { offsets, zoned: new Map(offsets.map((o, i) => [o, ` s="${XF.zoned + i}"`])) };
    stylesByZone.set(key, st);
  }
  return st;
}

const DAY_MS = 86_400_000;
/** Days from Excel's epoch (1899-12-30, as the 1900 date system counts from March 1900) to 1970-01-01. */
const EPOCH_1970 = 25_569;

/** Excel's serial number of a `YYYY-MM-DD` day (its first ten characters), or null for anything else. */
export function daySerial(s: string): number | null {
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const key = s.length === 10 ? s : s.slice(0, 10);
  let n = serials.get(key);
  if (n === undefined) {
    if (serials.size >= 50_000) serials.clear();
    serials.set(key, (n = computeDaySerial(key)));
  }
  return n;
}
/** Days are few in a report (a year is 365): each is worked out once. */
const serials = new Map<string, number | null>();

function computeDaySerial(s: string): number | null {
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || y < 1901 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const ms = Date.UTC(y, m - 1, d);
  return new Date(ms).getUTCDate() === d ? ms / DAY_MS + EPOCH_1970 : null;
}

/** The serial number of a lender-zone time as the reports write it (`YYYY-MM-DD HH:MM:SS +08:00`), or null. */
export function timeSerial(s: string): number | null {
  if (s.length !== 26 || s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 32) return null;
  const day = daySerial(s);
  const h = Number(s.slice(11, 13));
  const mi = Number(s.slice(14, 16));
  const sec = Number(s.slice(17, 19));
  if (day === null || !(h < 24 && mi < 60 && sec < 60)) return null;
  return day + (h * 3600 + mi * 60 + sec) / 86_400;
}

const NO_TYPES: readonly ColumnType[] = [];
const NO_STYLES = sheetStyles(null);

/**
 * One sheet row's XML; `refs` are the column letters, `types` how each column's cells are written (text by
 * default). Rows are position-stamped (`r`), as Excel writes them. A header row is bold and all text.
 */
export function sheetRowXml(rowNo: number, cells: readonly XlsxCell[], refs: readonly string[], types: readonly ColumnType[] = NO_TYPES, styles: SheetStyles = NO_STYLES, header = false): string {
  let xml = `<row r="${rowNo}">`;
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i]!;
    if (v !== null) xml += cellXml(`${refs[i]}${rowNo}`, v, header ? 'text' : (types[i] ?? 'text'), styles, header);
  }
  return `${xml}</row>`;
}

function cellXml(ref: string, v: string | number, type: ColumnType, styles: SheetStyles, header: boolean): string {
  if (typeof v === 'number') {
    if (type === 'id') return textXml(ref, numText(v), header);
    return Number.isFinite(v) ? `<c r="${ref}"><v>${numText(v)}</v></c>` : '';
  }
  if (type === 'date') {
    const n = daySerial(v);
    if (n !== null && v.length === 10) return `<c r="${ref}" s="${XF.day}"><v>${n}</v></c>`;
  } else if (type === 'time') {
    const n = timeSerial(v);
    const style = n === null ? undefined : styles.zoned.get(v.slice(20));
    // A time in an offset the styles do not hold stays text, offset and all, rather than lose its offset.
    if (style !== undefined) return `<c r="${ref}"${style}><v>${String(n)}</v></c>`;
  }
  return textXml(ref, v, header);
}

function textXml(ref: string, v: string, header: boolean): string {
  const quote = formulaLike(v);
  const style = header ? (quote ? XF.boldQuote : XF.bold) : quote ? XF.quote : 0;
  const keep = v.length > 0 && (isSpace(v.charCodeAt(0)) || isSpace(v.charCodeAt(v.length - 1)));
  return `<c r="${ref}"${style ? ` s="${style}"` : ''} t="inlineStr"><is><t${keep ? ' xml:space="preserve"' : ''}>${xmlText(v)}</t></is></c>`;
}

/** styles.xml: fonts (plain, bold), the number formats for days and times, and the cell styles XF names. */
function stylesXml(styles: SheetStyles): string {
  const fmt = (id: number, code: string) => `<numFmt numFmtId="${id}" formatCode="${code.replace(/"/g, '&quot;')}"/>`;
  const fmts = [fmt(164, 'yyyy-mm-dd'), ...styles.offsets.map((o, i) => fmt(165 + i, `yyyy-mm-dd hh:mm:ss "${o}"`))];
  const xf = (numFmt: number, font: number, extra = '') => `<xf numFmtId="${numFmt}" fontId="${font}" fillId="0" borderId="0" xfId="0"${font ? ' applyFont="1"' : ''}${numFmt ? ' applyNumberFormat="1"' : ''}${extra}/>`;
  const xfs = [xf(0, 0), xf(0, 1), xf(0, 0, ' quotePrefix="1"'), xf(0, 1, ' quotePrefix="1"'), xf(164, 0), ...styles.offsets.map((_, i) => xf(165 + i, 0))];
  return (
    `${XML_HEAD}<styleSheet xmlns="${NS}"><numFmts count="${fmts.length}">${fmts.join('')}</numFmts>` +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
  );
}

interface Entry {
  name: Buffer;
  offset: number;
  crc: number;
  compressed: number;
  size: number;
  flags: number;
}

/** DOS date and time of `d` (local time, two-second resolution), as zip headers hold them. */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((Math.max(d.getFullYear(), 1980) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export class XlsxWriter {
  private out: WriteStream;
  private offset = 0;
  private hash = createHash('sha256');
  private entries: Entry[] = [];
  private stamp: { time: number; date: number };
  private refs: string[];
  private types: readonly ColumnType[];
  private styles: SheetStyles;
  private rowNo = 0;
  private pending: string[] = [];
  private pendingChars = 0;
  private sheet: { deflate: DeflateRaw; crc: number; size: number; compressed: number; entry: Entry; done: Promise<void> } | null = null;
  private failed: Error | null = null;

  constructor(
    file: string,
    private sheetName: string,
    private columns: number,
    /** Rows a sheet may hold, header included (Excel's limit; smaller in tests). */
    private maxRows = MAX_SHEET_ROWS,
    /** The entries' modification time: the package's generation time, so the same package is the same bytes. */
    modified = new Date(),
    /** How each column's cells are written, and the zone its times are in (see sheetRowXml). */
    layout: { types?: readonly ColumnType[]; timeZone?: string | null } = {},
  ) {
    this.types = layout.types ?? NO_TYPES;
    this.styles = sheetStyles(layout.timeZone ?? null);
    this.stamp = dosTime(modified);
    this.out = createWriteStream(file, { highWaterMark: 1024 * 1024 });
    this.out.on('error', (e) => (this.failed ??= e));
    this.refs = Array.from({ length: columns }, (_, i) => columnName(i + 1));
  }

  /** Starts the sheet: the package's fixed parts first, then the sheet's opening XML and a bold, frozen header. */
  async begin(header: readonly string[]): Promise<void> {
    const name = xmlText(this.sheetName).replace(/"/g, '&quot;');
    const parts: [string, string][] = [
      [
        '[Content_Types].xml',
        `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
      ],
      ['_rels/.rels', `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
      ['xl/workbook.xml', `${XML_HEAD}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="${name}" sheetId="1" r:id="rId1"/></sheets></workbook>`],
      [
        'xl/_rels/workbook.xml.rels',
        `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
      ],
      [
        'xl/styles.xml',
        stylesXml(this.styles),
      ],
    ];
    for (const [n, xml] of parts) await this.smallEntry(n, Buffer.from(xml, 'utf8'));
    await this.openSheet();
    const width = `<cols><col min="1" max="${Math.max(1, this.columns)}" width="16" customWidth="1"/></cols>`;
    const frozen = '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>';
    this.push(`${XML_HEAD}<worksheet xmlns="${NS}">${frozen}${width}<sheetData>`);
    this.row(header, true);
  }

  /** Adds a row; resolves when the caller should go on (the deflate stream has room again). */
  row(cells: readonly XlsxCell[], header = false): Promise<void> | void {
    if (this.rowNo >= this.maxRows) throw new Error(`more than ${(this.maxRows - 1).toLocaleString('en')} rows, Excel's limit for a sheet: export this report as CSV`);
    this.push(sheetRowXml(++this.rowNo, cells, this.refs, this.types, this.styles, header));
    if (this.pendingChars >= CHUNK_CHARS) return this.flush();
  }

  /** Adds rows already written as XML by sheetRowXml (numbered from `rows + 1`: see `rows`). */
  async appendXml(xml: Uint8Array, rows: number): Promise<void> {
    if (this.rowNo + rows > this.maxRows) throw new Error(`more than ${(this.maxRows - 1).toLocaleString('en')} rows, Excel's limit for a sheet: export this report as CSV`);
    await this.flush();
    this.rowNo += rows;
    const s = this.sheet!;
    s.crc = crc32(xml, s.crc);
    s.size += xml.length;
    if (!s.deflate.write(xml)) await once(s.deflate, 'drain');
  }

  /** Column letters of this sheet. */
  get columnRefs(): readonly string[] {
    return this.refs;
  }

  get rows(): number {
    return this.rowNo;
  }

  private push(xml: string): void {
    this.pending.push(xml);
    this.pendingChars += xml.length;
  }

  private async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.pending.length === 0) return;
    const s = this.sheet!;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    s.crc = crc32(buf, s.crc);
    s.size += buf.length;
    if (!s.deflate.write(buf)) await once(s.deflate, 'drain');
  }

  /** Ends the sheet and writes the zip's central directory. */
  async finish(): Promise<void> {
    this.push('</sheetData></worksheet>');
    await this.flush();
    const s = this.sheet!;
    s.deflate.end();
    await s.done;
    if (this.failed) throw this.failed;
    Object.assign(s.entry, { crc: s.crc, size: s.size, compressed: s.compressed });
    if (s.size > MAX_32 || s.compressed > MAX_32 || this.offset > MAX_32) throw new Error('the sheet is over 4 GB, more than one XLSX file holds: export CSV instead');
    // Data descriptor: the sizes were not known when the local header was written.
    const dd = Buffer.alloc(16);
    dd.writeUInt32LE(0x08074b50, 0);
    dd.writeUInt32LE(s.crc, 4);
    dd.writeUInt32LE(s.compressed, 8);
    dd.writeUInt32LE(s.size, 12);
    await this.write(dd);
    await this.centralDirectory();
    this.out.end();
    await once(this.out, 'close');
    if (this.failed) throw this.failed;
  }

  /** Stops writing after a failure (the caller removes the file). */
  abort(): void {
    this.sheet?.deflate.destroy();
    this.out.destroy();
  }

  /** SHA-256 of every byte written (after finish). */
  sha256(): string {
    return this.hash.digest('hex');
  }

  get bytes(): number {
    return this.offset;
  }

  private async write(buf: Buffer): Promise<void> {
    this.offset += buf.length;
    this.hash.update(buf);
    if (!this.out.write(buf)) await once(this.out, 'drain');
  }

  private localHeader(e: Entry): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(e.flags, 6);
    h.writeUInt16LE(8, 8); // deflate
    h.writeUInt16LE(this.stamp.time, 10);
    h.writeUInt16LE(this.stamp.date, 12);
    h.writeUInt32LE(e.crc, 14);
    h.writeUInt32LE(e.compressed, 18);
    h.writeUInt32LE(e.size, 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(0, 28);
    return Buffer.concat([h, e.name]);
  }

  private async smallEntry(name: string, data: Buffer): Promise<void> {
    const body = deflateRawSync(data);
    const e: Entry = { name: Buffer.from(name, 'utf8'), offset: this.offset, crc: crc32(data), compressed: body.length, size: data.length, flags: 0x0800 };
    this.entries.push(e);
    await this.write(this.localHeader(e));
    await this.write(body);
  }

  private async openSheet(): Promise<void> {
    // Bit 3: crc and sizes follow the data; bit 11: the name is UTF-8.
    const entry: Entry = { name: Buffer.from('xl/worksheets/sheet1.xml', 'utf8'), offset: this.offset, crc: 0, compressed: 0, size: 0, flags: 0x0808 };
    this.entries.push(entry);
    await this.write(this.localHeader(entry));
    // Level 3: a third of level 6's time on this repetitive XML, for a file a few percent larger.
    const deflate = createDeflateRaw({ level: 3, chunkSize: 256 * 1024 });
    const sheet = { deflate, crc: 0, size: 0, compressed: 0, entry, done: Promise.resolve() };
    sheet.done = (async () => {
      try {
        for await (const chunk of deflate) {
          sheet.compressed += (chunk as Buffer).length;
          await this.write(chunk as Buffer);
        }
      } catch (e) {
        this.failed ??= e as Error;
      }
    })();
    this.sheet = sheet;
  }

  private async centralDirectory(): Promise<void> {
    const start = this.offset;
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(e.flags, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt32LE(e.offset, 42);
      await this.write(Buffer.concat([h, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
  }
}
