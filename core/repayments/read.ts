// Reads a lender's repayment file with the placement import's readers (CSV/TSV/XLSX, UTF-8/GB18030, title
// rows above the header): finds the header row by the repayment fields' names, maps the columns (the
// user's mapping first, then the synonym table), and normalises every non-blank row. Repayment files are
// far smaller than placements: up to MAX_REPAYMENT_ROWS rows are read in the backend process.
import { readRows } from '../import/read/source.js';
import type { Src } from '../import/read/file-source.js';
import { cellText, type Cell, type ReadInfo } from '../import/read/rows.js';
import { FileRejected } from '../import/read/limits.js';
import { autoMap, applyTemplate, fieldIndex } from '../../shared/domain/placement/auto-map.js';
import { HEADER_SCAN_ROWS } from '../../shared/domain/placement/header-row.js';
import { normalizeHeader } from '../../shared/domain/placement/header-normalize.js';
import type { FieldDef } from '../../shared/domain/placement/fields.js';
import { REPAYMENT_FIELDS, type RepaymentFieldKey } from '../../shared/domain/repayments/fields.js';
import { rowNormaliser, type RepaymentColumns, type RepaymentRow, type RowRejection } from '../../shared/domain/repayments/row.js';

export const MAX_REPAYMENT_ROWS = 200_000;

export interface RepaymentLayout {
  headerRow: number;
  headers: string[];
  columns: RepaymentColumns;
  missingRequired: RepaymentFieldKey[];
}

export interface ReadRepayments {
  info: ReadInfo;
  layout: RepaymentLayout;
  rows: RepaymentRow[];
  rejections: RowRejection[];
  totalRows: number;
}

export function layoutOf(headerRow: number, cells: Cell[], mapping: Record<string, string>): RepaymentLayout {
  const headers = cells.map(cellText);
  const m = Object.keys(mapping).length ? applyTemplate(headers, mapping, REPAYMENT_FIELDS) : autoMap(headers, REPAYMENT_FIELDS);
  const columns = {} as RepaymentColumns;
  for (const f of REPAYMENT_FIELDS) columns[f.key] = m.mapping[f.key] ?? null;
  // A mapping entry naming a header the file does not have is the user's mistake, not a silent fallback.
  for (const [field, header] of Object.entries(mapping)) {
    if (!REPAYMENT_FIELDS.some((f) => f.key === field)) throw new FileRejected(`Unknown field in the mapping: ${field}.`);
    if (header !== '' && columns[field as RepaymentFieldKey] === null) throw new FileRejected(`The file has no column ${header} (mapped to ${field}).`);
  }
  return { headerRow, headers, columns, missingRequired: m.missingRequired };
}

const blank = (cells: Cell[]) => cells.every((c) => cellText(c) === '');

/** A repayment file may have as few as three columns, one of them named oddly: two known names make a
 *  header (data rows name none), and the headers the user mapped count as known names. */
const MIN_HEADER_MATCHES = 2;

export function findHeader(rows: readonly string[][], mapping: Record<string, string>): number {
  const fields: FieldDef<RepaymentFieldKey>[] = REPAYMENT_FIELDS.map((f) => ({ ...f, synonyms: mapping[f.key] ? [...f.synonyms, mapping[f.key]!] : f.synonyms }));
  const { lookup } = fieldIndex(fields);
  let best = -1;
  let bestCount = MIN_HEADER_MATCHES - 1;
  rows.slice(0, HEADER_SCAN_ROWS).forEach((cells, r) => {
    const seen = new Set<number>();
    for (const c of cells) {
      const hit = c === '' ? undefined : lookup.get(normalizeHeader(c));
      if (hit !== undefined) seen.add(hit.field);
    }
    if (seen.size > bestCount) {
      best = r;
      bestCount = seen.size;
    }
  });
  return best;
}

export async function readRepayments(path: Src, opts: { sheet?: string | undefined; mapping: Record<string, string> }): Promise<ReadRepayments> {
  const pending: { rowNo: number; cells: Cell[] }[] = [];
  const rows: RepaymentRow[] = [];
  const rejections: RowRejection[] = [];
  let layout: RepaymentLayout | null = null;
  let normalise: ReturnType<typeof rowNormaliser> | null = null;
  let totalRows = 0;
  const take = (rowNo: number, cells: Cell[]) => {
    if (blank(cells)) return;
    if (++totalRows > MAX_REPAYMENT_ROWS) throw new FileRejected(`More than ${MAX_REPAYMENT_ROWS.toLocaleString('en')} rows: split the repayment file.`);
    const r = normalise!(rowNo, cells);
    if (r.ok) rows.push(r.value);
    else rejections.push(r.rejection);
  };
  const decide = () => {
    const index = findHeader(
      pending.map((r) => r.cells.map(cellText)),
      opts.mapping,
    );
    if (index < 0) throw new FileRejected(`No header row found in the first ${HEADER_SCAN_ROWS} rows: none names at least two of case number, amount, payment date, channel, payer, reference.`);
    const header = pending[index]!;
    layout = layoutOf(header.rowNo, header.cells, opts.mapping);
    const l = layout;
    normalise = rowNormaliser(l.columns, (field) => {
      const col = l.columns[field];
      return col === null ? REPAYMENT_FIELDS.find((f) => f.key === field)!.labelZh : l.headers[col] || `column ${col + 1}`;
    });
    if (l.missingRequired.length === 0) for (const r of pending.slice(index + 1)) take(r.rowNo, r.cells);
    pending.length = 0;
  };
  const info = await readRows(
    path,
    (batch) => {
      for (let i = 0; i < batch.rows.length; i++) {
        const rowNo = batch.firstRow + i;
        const cells = batch.rows[i]!;
        if (!layout) {
          pending.push({ rowNo, cells });
          if (pending.length >= HEADER_SCAN_ROWS) decide();
        } else if (layout.missingRequired.length === 0) take(rowNo, cells);
        // Required columns unmapped: the preview shows the mapping; the rows are read and skipped.
      }
    },
    { sheet: opts.sheet },
  );
  if (!layout) {
    if (pending.length === 0) throw new FileRejected('The file has no rows.');
    decide();
  }
  return { info, layout: layout as unknown as RepaymentLayout, rows, rejections, totalRows };
}
