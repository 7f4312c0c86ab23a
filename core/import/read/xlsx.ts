// Streams the rows of one sheet of an XLSX with exceljs's WorkbookReader (its in-memory Workbook takes GBs).
// Before that, the zip's directory is checked: a truncated file or a zip bomb is refused up front.
import { statSync } from 'node:fs';
import yauzl from 'yauzl';
import ExcelJS from 'exceljs';
import { FileRejected, LIMITS } from './limits.js';
import type { Cell, OnRows, ReadInfo } from './rows.js';

export async function checkZip(path: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(new FileRejected(`This is not a readable XLSX file (${err?.message ?? 'no zip directory'}); it may be truncated or damaged.`));
      let total = 0;
      let sawWorkbook = false;
      zip.on('entry', (e: yauzl.Entry) => {
        total += e.uncompressedSize;
        if (e.fileName === 'xl/workbook.xml') sawWorkbook = true;
        if (total > LIMITS.maxInflatedBytes) {
          zip.close();
          return reject(new FileRejected(`The XLSX would inflate to more than ${LIMITS.maxInflatedBytes / 2 ** 30} GB: refused as a zip bomb.`));
        }
        if (e.compressedSize > 0 && e.uncompressedSize / e.compressedSize > LIMITS.maxCompressionRatio && e.uncompressedSize > 10 * 1024 * 1024) {
          zip.close();
          return reject(new FileRejected(`${e.fileName} inflates ${Math.round(e.uncompressedSize / e.compressedSize)}× its size: refused as a zip bomb.`));
        }
        zip.readEntry();
      });
      zip.on('end', () => (sawWorkbook ? resolve() : reject(new FileRejected('This zip file is not an Excel workbook (no xl/workbook.xml).'))));
      zip.on('error', (e: Error) => reject(new FileRejected(`The XLSX file is damaged: ${e.message}`)));
      zip.readEntry();
    });
  });
}

function toCell(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return toCell((v as { result: ExcelJS.CellValue }).result);
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return null;
  }
  return String(v);
}

export async function readXlsx(path: string, onRows: OnRows, opts: { sheet?: string; signal?: AbortSignal } = {}): Promise<ReadInfo> {
  const totalBytes = statSync(path).size;
  if (totalBytes === 0) throw new FileRejected('The file is empty.');
  await checkZip(path);
  const info: ReadInfo = { format: 'xlsx', totalBytes, sheets: [] };
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell date cells from numbers
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let picked = false;
  const BATCH = 2000;
  try {
    for await (const ws of reader) {
      const name = (ws as unknown as { name: string }).name;
      info.sheets!.push(name);
      const wanted = opts.sheet ? name === opts.sheet : !picked;
      if (!wanted || picked) continue;
      picked = true;
      info.sheet = name;
      let batch: Cell[][] = [];
      let first = 1;
      let expect = 1;
      let stop = false;
      for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
        if (opts.signal?.aborted) throw new FileRejected('Cancelled.');
        // Blank rows are skipped by the reader: keep numbering true to Excel with empty rows.
        while (expect < row.number) {
          if (batch.length === 0) first = expect;
          batch.push([]);
          expect++;
        }
        const values = row.values as ExcelJS.CellValue[];
        if (values.length - 1 > LIMITS.maxColumns) throw new FileRejected(`Row ${row.number} has ${values.length - 1} columns; at most ${LIMITS.maxColumns} are allowed.`);
        if (row.number > LIMITS.maxRows) throw new FileRejected(`More than ${LIMITS.maxRows.toLocaleString('en')} rows.`);
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(toCell(values[i]));
        if (batch.length === 0) first = row.number;
        batch.push(cells);
        expect = row.number + 1;
        if (batch.length >= BATCH) {
          if (onRows({ firstRow: first, rows: batch, bytesRead: 0 }) === false) {
            stop = true;
            break;
          }
          batch = [];
        }
      }
      if (!stop && batch.length) onRows({ firstRow: first, rows: batch, bytesRead: totalBytes });
      if (stop) break;
    }
  } catch (e) {
    if (e instanceof FileRejected) throw e;
    throw new FileRejected(`The XLSX file cannot be read: ${(e as Error).message}`);
  }
  if (!picked) throw new FileRejected(opts.sheet ? `No sheet named ${opts.sheet} (sheets: ${info.sheets!.join(', ')}).` : 'The workbook has no sheets.');
  return info;
}
