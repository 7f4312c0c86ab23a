// One pass over a placement file: finds the header row among the first rows, maps the columns, then hands
// every data row on (not blank lines, not a 合计 totals line). Used by the preview (in the worker) and by the import's reader thread.
import { requestSource, type WorkerRequest } from './protocol.js';
import { readRows } from './read/source.js';
import { cellText, type Cell, type ReadInfo } from './read/rows.js';
import { FileRejected } from './read/limits.js';
import { PLACEMENT_FIELDS } from '../../shared/domain/placement/fields.js';
import { autoMap, applyTemplate } from '../../shared/domain/placement/auto-map.js';
import { findHeaderRow } from '../../shared/domain/placement/header-row.js';
import { STORED_FIELDS } from '../../shared/domain/placement/normalise-row.js';
import { amountMapped } from '../../shared/domain/placement/amounts.js';
import { normalizeHeader } from '../../shared/domain/placement/header-normalize.js';

export interface Layout {
  headerRowNo: number;
  headers: string[];
  columns: Record<string, number | null>;
  missingRequired: string[];
  /** Columns whose values go to the case's extra data (no stored field claims them). */
  keep: number[];
}

export const HEADER_SCAN_ROWS = 20;

/**
 * The file's layout. `explicit` are fields the user mapped by name (not a template's guesses): a header
 * they name that the file does not have is an error, not a silent fallback to the automatic mapping.
 */
export function layoutOf(headerRowNo: number, headerCells: Cell[], mapping: Record<string, string>, explicit: readonly string[] = []): Layout {
  const headers = headerCells.map(cellText);
  if (explicit.length) {
    const have = new Set(headers.map(normalizeHeader));
    const unknown = explicit.filter((k) => mapping[k] !== undefined && !have.has(normalizeHeader(mapping[k]!))).map((k) => mapping[k]!);
    if (unknown.length) {
      throw new FileRejected(`No column named ${unknown.map((h) => `"${h}"`).join(', ')} in the file (its columns: ${headers.filter((h) => h.trim()).join(', ')}).`);
    }
  }
  const m = Object.keys(mapping).length ? applyTemplate(headers, mapping) : autoMap(headers);
  const columns: Record<string, number | null> = {};
  for (const f of PLACEMENT_FIELDS) columns[f.key] = m.mapping[f.key] ?? null;
  // The debt may come as a total, as its components or as 剩余本金: any of them satisfies "overdue amount".
  const missingRequired = m.missingRequired.filter((k) => k !== 'overdueAmount' || !amountMapped(columns));
  // Columns of fields a case does not store (batch no., ID type, …) and unmapped ones stay in extra data.
  const stored = new Set(Object.entries(columns).filter(([k, c]) => c !== null && STORED_FIELDS.has(k)).map(([, c]) => c as number));
  const keep = headers.map((_, i) => i).filter((i) => !stored.has(i));
  return { headerRowNo, headers, columns, missingRequired, keep };
}

export function isBlankRow(cells: Cell[]): boolean {
  for (let i = 0; i < cells.length; i++) if (cellText(cells[i]) !== '') return false;
  return true;
}

const TOTAL_LABEL = /^(?:合计|总计|小计|汇总|合计金额|total|totals|grand total|sum)[:：]?$/i;

/**
 * A totals line lenders add under their cases ("合计 … 12,345.60"): a 合计 / Total label and neither an ID
 * number nor a mobile. Not a case, so not a rejected row either (under block_file it refused the whole file).
 */
export function isTotalsRow(layout: Layout, cells: Cell[]): boolean {
  for (const field of ['idNumber', 'mobile']) {
    const col = layout.columns[field];
    if (col !== null && col !== undefined && cellText(cells[col]) !== '') return false;
  }
  for (let i = 0; i < cells.length; i++) {
    const text = cellText(cells[i]);
    if (text !== '') return TOTAL_LABEL.test(text.replace(/\s+/g, ''));
  }
  return false;
}

/** A row that holds a case (or a broken one): neither blank nor a totals line. */
const isCaseRow = (layout: Layout, cells: Cell[]): boolean => !isBlankRow(cells) && !isTotalsRow(layout, cells);

export function columnName(layout: Layout, field: string): string {
  const col = layout.columns[field];
  if (col !== null && col !== undefined) return layout.headers[col] || `column ${col + 1}`;
  return PLACEMENT_FIELDS.find((f) => f.key === field)?.labelZh ?? field;
}

export interface WalkProgress {
  rowsRead: number;
  bytesRead: number;
}

/**
 * Reads the file, calling `onRow` for every non-blank data row after the header and `onBatch` after each
 * batch of rows the reader delivered (for progress and flow control). A workbook read without a chosen sheet
 * whose first sheet has no header row (lenders often put 填表说明 first) is read from the next sheet that has
 * one; when none has, the error names the sheets, so the user can see the file was read and pick one.
 */
export async function walk(
  req: Pick<WorkerRequest, 'filePath' | 'fileKey' | 'settings'>,
  onLayout: (l: Layout) => void,
  onRow: (rowNo: number, cells: Cell[]) => void,
  onBatch: (p: WalkProgress) => void,
): Promise<{ info: ReadInfo; layout: Layout; rowsRead: number }> {
  const first = await walkSheet(req, req.settings.sheet, onLayout, onRow, onBatch);
  if (!('noHeader' in first)) return first;
  const sheets = first.info.sheets ?? [];
  if (req.settings.sheet === undefined && first.info.format === 'xlsx' && sheets.length > 1) {
    for (const sheet of sheets.slice(1)) {
      // No row of a sheet without a header row has been handed on, so the next sheet starts clean.
      const next = await walkSheet(req, sheet, onLayout, onRow, onBatch);
      if (!('noHeader' in next)) return next;
    }
    throw new FileRejected(`No sheet of the workbook has a header row in its first ${HEADER_SCAN_ROWS} rows (sheets: ${sheets.join(', ')}).`);
  }
  throw new FileRejected(first.noHeader);
}

async function walkSheet(
  req: Pick<WorkerRequest, 'filePath' | 'fileKey' | 'settings'>,
  sheet: string | undefined,
  onLayout: (l: Layout) => void,
  onRow: (rowNo: number, cells: Cell[]) => void,
  onBatch: (p: WalkProgress) => void,
): Promise<{ info: ReadInfo; layout: Layout; rowsRead: number } | { info: ReadInfo; noHeader: string }> {
  let layout: Layout | null = null;
  let noHeader: string | null = null;
  const pending: { rowNo: number; cells: Cell[] }[] = [];
  let rowsRead = 0;
  let lastBytes = 0;
  /** Finds the header row among the pending rows; false (reading stops) when there is none. */
  const decide = (): boolean => {
    const texts = pending.map((r) => r.cells.map(cellText));
    const found = findHeaderRow(texts);
    if (found.index < 0) {
      noHeader = `No header row found in the first ${HEADER_SCAN_ROWS} rows: ${found.reason ?? 'no row names enough placement fields'}.`;
      return false;
    }
    const header = pending[found.index]!;
    layout = layoutOf(header.rowNo, header.cells, req.settings.mapping, req.settings.explicitFields);
    onLayout(layout);
    for (const r of pending.slice(found.index + 1)) if (isCaseRow(layout, r.cells)) onRow(r.rowNo, r.cells);
    pending.length = 0;
    return true;
  };
  const info = await readRows(
    requestSource(req),
    (batch) => {
      for (let i = 0; i < batch.rows.length; i++) {
        const rowNo = batch.firstRow + i;
        const cells = batch.rows[i]!;
        if (!layout) {
          pending.push({ rowNo, cells });
          if (pending.length >= HEADER_SCAN_ROWS && !decide()) return false;
        } else if (isCaseRow(layout, cells)) onRow(rowNo, cells);
      }
      rowsRead += batch.rows.length;
      lastBytes = batch.bytesRead || lastBytes;
      onBatch({ rowsRead, bytesRead: lastBytes });
    },
    { sheet },
  );
  if (noHeader !== null) return { info, noHeader };
  if (!layout) {
    if (pending.length === 0) throw new FileRejected('The file has no rows.');
    if (!decide()) return { info, noHeader: noHeader! };
  }
  return { info, layout: layout as unknown as Layout, rowsRead };
}
