// Formatting a chunk of cases into the bytes of their report rows (status report, contact log, repayments;
// CSV lines and/or XLSX row XML). Pure: it runs in the export worker and in its helper thread alike, which
// is how a package's formatting uses both cores (see case-reports.ts).
import iconv from 'iconv-lite';
import { columnsFor, type ColumnType, type ExportTemplate, type HeaderLanguage } from '../../shared/domain/reports/columns.js';
import { csvLine, yuan, type Cell } from '../../shared/domain/reports/cells.js';
import { labelMaps, labelOf, type LabelMap, type LabelSet } from '../../shared/domain/reports/labels.js';
import { DEFAULT_REPORT_VIEW, type CsvEncoding, type ReportView } from '../../shared/domain/reports/view.js';
import { ZoneClock } from '../../shared/domain/reports/zone-time.js';
import { dayIn } from '../../shared/domain/casework/today.js';
import { columnName, sheetRowXml, sheetStyles, type SheetStyles } from './xlsx-writer.js';
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
  /** The lender's zone, CSV encoding and outcome labels (defaults: Asia/Shanghai, UTF-8 with BOM). */
  view?: Partial<ReportView> | undefined;
  /** The package's generation time: "today" for days overdue today is its day in the lender's zone. */
  generatedAt?: string | undefined;
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

/** How a report's values read for the lender: labels in its language, times in its zone. Built once per report. */
export interface CellView {
  labels: Record<LabelSet, LabelMap>;
  clock: ZoneClock;
  encoding: CsvEncoding;
  /** The day "today" means in the report (days overdue today, bucket today). */
  asOf: string;
}

export function cellView(language: HeaderLanguage, view: Partial<ReportView> | undefined, generatedAt: string | undefined): CellView {
  const v = { ...DEFAULT_REPORT_VIEW, ...view };
  return { labels: labelMaps(language, v.outcomes), clock: new ZoneClock(v.timeZone), encoding: v.csvEncoding, asOf: dayIn(generatedAt ? new Date(generatedAt) : new Date(), v.timeZone) };
}

/**
 * A report row's cells in the template's order: amounts in yuan (numbers), codes as labels in the report's
 * language, instants as the lender's wall-clock time with the offset, the rest as they are.
 */
export function cellsOf(cols: Columns, row: Row, view: CellView): Cell[] {
  const cells: Cell[] = new Array(cols.length);
  for (let i = 0; i < cols.length; i++) {
    const { def } = cols[i]!;
    const v = row[def.key] ?? null;
    if (typeof v === 'number') cells[i] = def.money ? yuan(v) : v;
    else if (v === null) cells[i] = null;
    else if (def.labels) cells[i] = labelOf(view.labels[def.labels], v);
    else if (def.type === 'time') cells[i] = view.clock.local(v);
    else cells[i] = v;
  }
  return cells;
}

/** How the XLSX writer types each column's cells (see sheetRowXml). */
export const xlsxTypes = (cols: Columns): ColumnType[] => cols.map(({ def }) => (def.money ? 'number' : (def.type ?? 'text')));

/** CSV text as the lender's encoding wants it (the BOM is the sink's, once at the start). */
export function encodeCsv(text: string, encoding: CsvEncoding): Uint8Array {
  // A copy with its own ArrayBuffer: iconv-lite may hand back a view of a shared pool, and the helper
  // thread transfers the buffer.
  return encoding === 'gb18030' ? new Uint8Array(iconv.encode(text, 'gb18030')) : utf8.encode(text);
}

const utf8 = new TextEncoder();

export class ChunkFormatter {
  private cols: PerKind<Columns>;
  private refs: PerKind<string[]>;
  private types: PerKind<ColumnType[]>;
  private view: CellView;
  private styles: SheetStyles | null;
  private csv: boolean;
  private xlsx: boolean;

  constructor(private setup: FormatSetup) {
    const cols = (kind: CaseKind) => columnsFor(kind, setup.template, setup.language);
    this.cols = { status: cols('status'), contacts: cols('contacts'), repayments: cols('repayments') };
    const refs = (kind: CaseKind) => this.cols[kind].map((_, i) => columnName(i + 1));
    this.refs = { status: refs('status'), contacts: refs('contacts'), repayments: refs('repayments') };
    this.types = { status: xlsxTypes(this.cols.status), contacts: xlsxTypes(this.cols.contacts), repayments: xlsxTypes(this.cols.repayments) };
    this.view = cellView(setup.language, setup.view, setup.generatedAt);
    this.csv = setup.formats.includes('csv');
    this.xlsx = setup.formats.includes('xlsx');
    // The zone's offsets take ~50 ms to list: only for XLSX.
    this.styles = this.xlsx ? sheetStyles(this.view.clock.timeZone) : null;
  }

  /** Formats the chunk; `firstRow` is the sheet row number each report's first row of it gets. */
  format(chunk: RawChunk, firstRow: PerKind<number>): FormattedChunk {
    const bundles = bundlesOf(chunk, this.setup.context);
    const csv: PerKind<string[]> = { status: [], contacts: [], repayments: [] };
    const xml: PerKind<string[]> = { status: [], contacts: [], repayments: [] };
    const next = { ...firstRow };
    const totals = emptyTotals();
    for (const b of bundles) {
      for (const [kind, row] of bundleRows(b, this.setup.period, this.setup.piiFull, totals, this.view.asOf)) {
        const k = kind as CaseKind;
        const cells = cellsOf(this.cols[k], row, this.view);
        const rowNo = next[k]++;
        if (this.csv) csv[k].push(csvLine(cells));
        // XLSX text is never altered: formula-looking text gets the quote-prefix style, not an apostrophe.
        if (this.xlsx) xml[k].push(sheetRowXml(rowNo, cells, this.refs[k], this.types[k], this.styles!));
      }
    }
    const part = (k: CaseKind): FormattedPart => ({
      csv: this.csv ? encodeCsv(csv[k].join(''), this.view.encoding) : null,
      xlsx: this.xlsx ? utf8.encode(xml[k].join('')) : null,
      rows: next[k] - firstRow[k],
    });
    return { parts: { status: part('status'), contacts: part('contacts'), repayments: part('repayments') }, totals };
  }
}
