// Cells that are safe for whoever opens the file: a text cell that starts with = + - @ tab or CR would be
// read by Excel/WPS as a formula (CSV injection); it gets a leading apostrophe. Numbers stay numbers.

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export type Cell = string | number | null;

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field (RFC 4180): text neutralised, quoted when it holds a comma, quote or line break. */
export function csvField(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const t = neutralise(v);
  return NEEDS_QUOTES.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** A CSV line with CRLF. Joined from an array: `+=` would build string ropes that cost more to flatten. */
export function csvLine(cells: readonly Cell[]): string {
  const fields = new Array<string>(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i]!;
    fields[i] = v === null ? '' : typeof v === 'number' ? String(v) : csvField(v);
  }
  if (fields.length === 0) return '\r\n';
  fields[fields.length - 1] += '\r\n';
  return fields.join(',');
}

/** Fen as yuan with two decimals, as a number (12345 → 123.45) for spreadsheets. */
export const yuan = (fen: number | null): number | null => (fen === null ? null : Math.round(fen) / 100);
