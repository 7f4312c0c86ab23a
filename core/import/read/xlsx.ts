// Streams the rows of one sheet of an XLSX, without ever writing to disk: the zip is read with random access
// (xlsx-zip.ts), the workbook, its relationships, styles and shared strings are read first into memory, then the
// sheet's XML is streamed through saxes (the SAX parser exceljs itself uses). exceljs's WorkbookReader spooled
// the sheet to os.tmpdir() in plain text whenever it came before sharedStrings.xml — Excel's usual order.
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { FileRejected, LIMITS } from './limits.js';
import { openXlsxZip, type XlsxZip } from './xlsx-zip.js';
import type { Cell, OnRows, ReadInfo } from './rows.js';
import { sourceSize, type Src } from './file-source.js';
import { ApiFailure } from '../../../shared/contract/failure.js';

/** Shared strings are held in memory while the sheet streams: beyond this, ask for CSV. */
const MAX_SHARED_STRINGS_BYTES = 512 * 1024 * 1024;
const MAX_SMALL_PART_BYTES = 64 * 1024 * 1024;
const BATCH = 2000;

type Tag = SaxesTagPlain;
const local = (name: string) => name.slice(name.indexOf(':') + 1); // x:row → row (prefixed SpreadsheetML)

/** Parses XML from chunks; a DTD is refused outright (entity expansion bombs), as is anything not well-formed. */
function parser(part: string): SaxesParser {
  const p = new SaxesParser({ position: false });
  p.on('doctype', () => {
    throw new FileRejected(`The XLSX file cannot be read: ${part} declares a DOCTYPE (XML entities are refused).`);
  });
  return p;
}

async function parsePart(zip: XlsxZip, part: string, maxBytes: number, setup: (p: SaxesParser) => void): Promise<void> {
  if (zip.size(part) > maxBytes) throw new FileRejected(`${part} is larger than ${Math.round(maxBytes / 2 ** 20)} MB: save the sheet as CSV and import that.`);
  const p = parser(part);
  setup(p);
  const decoder = new TextDecoder('utf-8');
  const s = await zip.stream(part);
  let size = 0;
  try {
    for await (const chunk of s) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new FileRejected(`${part} is larger than ${Math.round(maxBytes / 2 ** 20)} MB: save the sheet as CSV and import that.`);
      p.write(decoder.decode(chunk as Buffer, { stream: true }));
    }
    p.write(decoder.decode()).close();
  } finally {
    s.destroy();
  }
}

interface Workbook {
  sheets: { name: string; part: string }[];
  date1904: boolean;
  sharedStrings: string | null;
  styles: string | null;
}

/** Resolves a relationship target against xl/ (targets are relative to the workbook part, or absolute). */
const resolveTarget = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target}`).replace(/\/\.\//g, '/').replace(/[^/]+\/\.\.\//g, '');

async function readWorkbook(zip: XlsxZip): Promise<Workbook> {
  const rels = new Map<string, { type: string; target: string }>();
  if (zip.has('xl/_rels/workbook.xml.rels')) {
    await parsePart(zip, 'xl/_rels/workbook.xml.rels', MAX_SMALL_PART_BYTES, (p) =>
      p.on('opentag', (t: Tag) => {
        if (local(t.name) === 'Relationship') rels.set(t.attributes.Id ?? '', { type: t.attributes.Type ?? '', target: resolveTarget(t.attributes.Target ?? '') });
      }),
    );
  }
  const wb: Workbook = { sheets: [], date1904: false, sharedStrings: null, styles: null };
  await parsePart(zip, 'xl/workbook.xml', MAX_SMALL_PART_BYTES, (p) =>
    p.on('opentag', (t: Tag) => {
      const n = local(t.name);
      if (n === 'workbookPr') wb.date1904 = t.attributes.date1904 === '1' || t.attributes.date1904 === 'true';
      if (n === 'sheet') {
        const rid = Object.entries(t.attributes).find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1];
        const part = (rid && rels.get(rid)?.target) || `xl/worksheets/sheet${wb.sheets.length + 1}.xml`;
        wb.sheets.push({ name: t.attributes.name ?? `Sheet${wb.sheets.length + 1}`, part });
      }
    }),
  );
  const byType = (suffix: string, fallback: string) => {
    const found = [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;
    return found && zip.has(found) ? found : zip.has(fallback) ? fallback : null;
  };
  wb.sharedStrings = byType('/sharedStrings', 'xl/sharedStrings.xml');
  wb.styles = byType('/styles', 'xl/styles.xml');
  return wb;
}

// Built-in number formats that are dates or times (ECMA-376 18.8.30, with the CJK ids 27–36 and 50–58).
const BUILTIN_DATE_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A format code shows a date when, outside quotes and brackets, it has date or time letters (as exceljs decides). */
export function isDateFormat(code: string): boolean {
  return /[ymdhsb]/i.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, ''));
}

/** For each cell style (cellXfs index): does it show a date? */
async function readDateStyles(zip: XlsxZip, part: string | null): Promise<boolean[]> {
  if (!part) return [];
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  let inCellXfs = false;
  await parsePart(zip, part, MAX_SMALL_PART_BYTES, (p) => {
    p.on('opentag', (t: Tag) => {
      const n = local(t.name);
      if (n === 'numFmt') custom.set(Number(t.attributes.numFmtId), t.attributes.formatCode ?? '');
      else if (n === 'cellXfs') inCellXfs = true;
      else if (n === 'xf' && inCellXfs) xfs.push(Number(t.attributes.numFmtId ?? 0));
    });
    p.on('closetag', (t: Tag) => {
      if (local(t.name) === 'cellXfs') inCellXfs = false;
    });
  });
  return xfs.map((id) => (custom.has(id) ? isDateFormat(custom.get(id)!) : BUILTIN_DATE_IDS.has(id)));
}

/** Text of <si> items: plain <t>, or the runs of rich text; phonetic guides (<rPh>) are not part of the value. */
async function readSharedStrings(zip: XlsxZip, part: string | null): Promise<string[]> {
  if (!part) return [];
  const out: string[] = [];
  let text: string | null = null;
  let inT = false;
  let phonetic = 0;
  await parsePart(zip, part, MAX_SHARED_STRINGS_BYTES, (p) => {
    p.on('opentag', (t: Tag) => {
      const n = local(t.name);
      if (n === 'si') text = '';
      else if (n === 'rPh') phonetic++;
      else if (n === 't' && !phonetic) inT = true;
    });
    p.on('text', (s) => {
      if (inT && text !== null) text += s;
    });
    p.on('closetag', (t: Tag) => {
      const n = local(t.name);
      if (n === 't') inT = false;
      else if (n === 'rPh') phonetic--;
      else if (n === 'si') {
        out.push(text ?? '');
        text = null;
      }
    });
  });
  return out;
}

/** "BC12" → 55 (1-based column); 0 when the reference has no letters. */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
    if (col > 16_384) break;
  }
  return col;
}

const excelToDate = (serial: number, date1904: boolean) => new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));

export async function readXlsx(src: Src, onRows: OnRows, opts: { sheet?: string; signal?: AbortSignal } = {}): Promise<ReadInfo> {
  const totalBytes = sourceSize(src);
  if (totalBytes === 0) throw new FileRejected('The file is empty.');
  const zip = await openXlsxZip(src);
  try {
    return await readSheet(zip, totalBytes, onRows, opts);
  } catch (e) {
    // A sealed upload that failed its check (BAD_INPUT, its own message) passes as it is.
    if (e instanceof FileRejected || e instanceof ApiFailure) throw e;
    throw new FileRejected(`The XLSX file cannot be read: ${(e as Error).message}`);
  } finally {
    zip.close();
  }
}

async function readSheet(zip: XlsxZip, totalBytes: number, onRows: OnRows, opts: { sheet?: string; signal?: AbortSignal }): Promise<ReadInfo> {
  const wb = await readWorkbook(zip);
  const info: ReadInfo = { format: 'xlsx', totalBytes, sheets: wb.sheets.map((s) => s.name) };
  const sheet = opts.sheet ? wb.sheets.find((s) => s.name === opts.sheet) : wb.sheets[0];
  if (!sheet) throw new FileRejected(opts.sheet ? `No sheet named ${opts.sheet} (sheets: ${info.sheets!.join(', ')}).` : 'The workbook has no sheets.');
  if (!zip.has(sheet.part)) throw new FileRejected(`The XLSX file has no ${sheet.part} for sheet ${sheet.name}.`);
  info.sheet = sheet.name;
  const dateStyles = await readDateStyles(zip, wb.styles);
  const shared = await readSharedStrings(zip, wb.sharedStrings);

  const sheetBytes = Math.max(1, zip.size(sheet.part));
  let consumed = 0;
  let batch: Cell[][] = [];
  let first = 1;
  let expect = 1; // the next row number: rows the file leaves out are blank in Excel and kept as []
  let stop = false;
  let row: Cell[] | null = null;
  let rowNo = 0;
  let rowWidth = 0;
  let col = 0;
  let cell: { col: number; type: string; style: number; text: string; inline: string; hasV: boolean; hasInline: boolean } | null = null;
  let field: 'v' | 't' | null = null;
  let phonetic = 0;
  /** Hands over full batches of BATCH rows (all that is left when `last`). */
  const flush = (bytesRead: number, last = false) => {
    while (!stop && (batch.length >= BATCH || (last && batch.length > 0))) {
      const rows = batch.length > BATCH ? batch.splice(0, BATCH) : batch;
      if (rows === batch) batch = [];
      if (onRows({ firstRow: first, rows, bytesRead }) === false) stop = true;
      first += rows.length;
    }
  };
  const push = (cells: Cell[], n: number) => {
    if (batch.length === 0) first = n;
    batch.push(cells);
  };

  const p = parser(sheet.part);
  p.on('opentag', (t: Tag) => {
    switch (local(t.name)) {
      case 'row': {
        const r = t.attributes.r ? Number(t.attributes.r) : expect;
        if (!Number.isInteger(r) || r < expect) throw new FileRejected(`The sheet's rows are out of order at row ${t.attributes.r ?? '?'}.`);
        if (r > LIMITS.maxRows) throw new FileRejected(`More than ${LIMITS.maxRows.toLocaleString('en')} rows.`);
        while (expect < r) push([], expect++);
        row = [];
        rowNo = r;
        rowWidth = 0;
        col = 0;
        break;
      }
      case 'c':
        if (!row) break;
        col = t.attributes.r ? columnOf(t.attributes.r) || col + 1 : col + 1;
        cell = { col, type: t.attributes.t ?? 'n', style: Number(t.attributes.s ?? 0), text: '', inline: '', hasV: false, hasInline: false };
        break;
      case 'v':
        if (cell) (field = 'v'), (cell.hasV = true);
        break;
      case 'is':
        if (cell) cell.hasInline = true;
        break;
      case 'rPh':
        phonetic++;
        break;
      case 't':
        if (cell && cell.hasInline && !phonetic) field = 't';
        break;
    }
  });
  p.on('text', (s) => {
    if (!cell || !field) return;
    if (field === 'v') cell.text += s;
    else cell.inline += s;
  });
  p.on('closetag', (t: Tag) => {
    switch (local(t.name)) {
      case 'v':
      case 't':
        field = null;
        break;
      case 'rPh':
        phonetic--;
        break;
      case 'c': {
        if (!cell || !row) break;
        const value = cellValue(cell, shared, dateStyles, wb.date1904);
        if (value !== null) {
          if (cell.col > LIMITS.maxColumns) throw new FileRejected(`Row ${rowNo} has ${cell.col} columns; at most ${LIMITS.maxColumns} are allowed.`);
          while (row.length < cell.col - 1) row.push(null);
          row[cell.col - 1] = value;
          rowWidth = Math.max(rowWidth, cell.col);
        }
        cell = null;
        break;
      }
      case 'row':
        if (!row) break;
        row.length = rowWidth;
        push(row, rowNo);
        expect = rowNo + 1;
        row = null;
        break;
    }
  });

  const decoder = new TextDecoder('utf-8');
  const s = await zip.stream(sheet.part);
  try {
    for await (const chunk of s) {
      if (opts.signal?.aborted) throw new FileRejected('Cancelled.');
      consumed += (chunk as Buffer).length;
      p.write(decoder.decode(chunk as Buffer, { stream: true }));
      flush(Math.min(totalBytes, Math.floor((totalBytes * consumed) / sheetBytes)));
      if (stop) break;
    }
    if (!stop) {
      p.write(decoder.decode()).close();
      flush(totalBytes, true);
    }
  } finally {
    s.destroy();
  }
  return info;
}

type CellState = { type: string; style: number; text: string; inline: string; hasV: boolean; hasInline: boolean };

/** The value a cell shows, as exceljs's reader gave it: strings, numbers, dates for date-styled numbers. */
function cellValue(c: CellState, shared: string[], dateStyles: boolean[], date1904: boolean): Cell {
  switch (c.type) {
    case 's': {
      if (!c.hasV) return null;
      const s = shared[Number(c.text)];
      return s === undefined ? null : s;
    }
    case 'inlineStr':
      return c.hasInline ? c.inline : c.hasV ? c.text : null;
    case 'str':
      return c.hasV ? c.text : null;
    case 'b':
      return c.hasV ? (Number(c.text) !== 0 ? 'TRUE' : 'FALSE') : null;
    case 'e':
      return null;
    case 'd': {
      const d = new Date(c.text);
      return c.hasV && !Number.isNaN(d.getTime()) ? d : null;
    }
    default: {
      if (!c.hasV || c.text.trim() === '') return null;
      const n = Number(c.text);
      if (!Number.isFinite(n)) return c.text;
      return dateStyles[c.style] ? excelToDate(n, date1904) : n;
    }
  }
}
