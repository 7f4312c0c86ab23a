// What every reader produces: rows of cells, numbered as the user sees them (CSV record / Excel row).
export type Cell = string | number | Date | null;

export interface RowBatch {
  /** 1-based number of the first row in `rows`, as Excel would show it. */
  firstRow: number;
  rows: Cell[][];
  /** For progress: bytes of the source consumed so far. */
  bytesRead: number;
}

export interface ReadInfo {
  format: 'csv' | 'xlsx';
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  sheets?: string[];
  totalBytes: number;
}

/** Consumer of batches; return false to stop reading (e.g. a preview has enough rows). */
export type OnRows = (batch: RowBatch) => boolean | void;

export function cellText(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return typeof c === 'number' ? String(c) : c.trim();
}
