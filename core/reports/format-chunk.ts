// Formatting a chunk of cases into the bytes of their report rows (status report, contact log, repayments;
// CSV lines and/or XLSX row XML). Pure: it runs in the export worker and in its helper thread alike, which
// is how a package's formatting uses both cores (see case-reports.ts).
import { columnsFor, type ExportTemplate, type HeaderLanguage } from '../../shared/domain/reports/columns.js';
import { csvLine, neutralise, yuan, type Cell } from '../../shared/domain/reports/cells.js';
import { columnName, sheetRowXml } from './xlsx-writer.js';
import { bundleRows, bundlesOf, emptyTotals, type Period, type RawChunk, type Row, type StatusTotals } from './rows.js';
import type { RowContext } from '../../db/repos/reports.js';

export const CASE_KINDS = ['status', 'contacts', 'repayments'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export type PerKind<T> = Record<CaseKind, T>;

export interface FormatSetup {
  formats: readonly ('csv' | 'xlsx')[];
  template: ExportTemplate;
  language: HeaderLanguage;
  period: Period;
  piiFull: boolean;
  /** What turns the chunks' raw rows into report rows (sent to the helper once). */
  context: RowContext;
}

export interface FormattedPart {
  csv: Uint8Array | null;
  xlsx: Uint8Array | null;
  rows: number;
}

export interface FormattedChunk {
  parts: PerKind<FormattedPart>;
  totals: StatusTotals;
}

type Columns = ReturnType<typeof columnsFor>;

/** A report row's cells in the template's order: amounts in yuan (numbers), the rest as they are. */
export function cellsOf(cols: Columns, row: Row): Cell[] {
  const cells: Cell[] = new Array(cols.length);
  for (let i = 0; i < cols.length; i++) {
    const { def } = cols[i]!;
    const v = row[def.key] ?? null;
    cells[i] = def.money && typeof v === 'number' ? yuan(v) : v;
  }
  return cells;
}

const utf8 = new TextEncoder();

export class ChunkFormatter {
  private cols: PerKind<Columns>;
  private refs: PerKind<string[]>;
  private csv: boolean;
  private xlsx: boolean;

  constructor(private setup: FormatSetup) {
    const cols = (kind: CaseKind) => columnsFor(kind, setup.template, setup.language);
    this.cols = { status: cols('status'), contacts: cols('contacts'), repayments: cols('repayments') };
    const refs = (kind: CaseKind) => this.cols[kind].map((_, i) => columnName(i + 1));
    this.refs = { status: refs('status'), contacts: refs('contacts'), repayments: refs('repayments') };
    this.csv = setup.formats.includes('csv');
    this.xlsx = setup.formats.includes('xlsx');
  }

  /** Formats the chunk; `firstRow` is the sheet row number each report's first row of it gets. */
  format(chunk: RawChunk, firstRow: PerKind<number>): FormattedChunk {
    const bundles = bundlesOf(chunk, this.setup.context);
    const csv: PerKind<string[]> = { status: [], contacts: [], repayments: [] };
    const xml: PerKind<string[]> = { status: [], contacts: [], repayments: [] };
    const next = { ...firstRow };
    const totals = emptyTotals();
    for (const b of bundles) {
      for (const [kind, row] of bundleRows(b, this.setup.period, this.setup.piiFull, totals)) {
        const k = kind as CaseKind;
        const cells = cellsOf(this.cols[k], row);
        const rowNo = next[k]++;
        if (this.csv) csv[k].push(csvLine(cells));
        if (this.xlsx) xml[k].push(sheetRowXml(rowNo, cells.map((c) => (typeof c === 'string' ? neutralise(c) : c)), this.refs[k]));
      }
    }
    const part = (k: CaseKind): FormattedPart => ({
      csv: this.csv ? utf8.encode(csv[k].join('')) : null,
      xlsx: this.xlsx ? utf8.encode(xml[k].join('')) : null,
      rows: next[k] - firstRow[k],
    });
    return { parts: { status: part('status'), contacts: part('contacts'), repayments: part('repayments') }, totals };
  }
}
