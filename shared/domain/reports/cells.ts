// Cells that are safe for whoever opens the file: formula-looking text gets a leading apostrophe in CSV
// (the rule is csv-safe.ts's, shared with every other CSV the app writes). Numbers stay numbers.
import { neutralise } from './csv-safe.js';

export { neutralise };

export type Cell = string | number | null;

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field (RFC 4180): text neutralised, quoted when it holds a comma, quote or line break. */
export function csvField(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return numText(v);
  const t = neutralise(v);
  return NEEDS_QUOTES.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** Digits of a whole number of fen as yuan, the way String(fen / 100) writes them (105 → "1.05", 150 → "1.5"). */
function fenDigits(f: number): string {
  if (f < 0) return `-${fenDigits(-f)}`;
  const i = Math.floor(f / 100);
  const c = f - i * 100;
  return c === 0 ? String(i) : c % 10 === 0 ? `${i}.${c / 10}` : c < 10 ? `${i}.0${c}` : `${i}.${c}`;
}

/**
 * A number as text, exactly as String(v) writes it, faster for the amounts reports are made of: a number
 * with at most two decimals is written from whole numbers (String of a fraction takes the slow
 * shortest-digits path, ~200 ns, a million rows × a dozen amounts).
 */
export function numText(v: number): string {
  const f = Math.round(v * 100);
  return Math.abs(f) < 1e15 && f / 100 === v && !Object.is(v, -0) ? fenDigits(f) : String(v);
}

/** A CSV line with CRLF. Joined from an array: `+=` would build string ropes that cost more to flatten. */
export function csvLine(cells: readonly Cell[]): string {
  const fields = new Array<string>(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i]!;
    fields[i] = v === null ? '' : typeof v === 'number' ? numText(v) : csvField(v);
  }
  if (fields.length === 0) return '\r\n';
  fields[fields.length - 1] += '\r\n';
  return fields.join(',');
}

/** Fen as yuan with two decimals, as a number (12345 → 123.45) for spreadsheets. */
export const yuan = (fen: number | null): number | null => (fen === null ? null : Math.round(fen) / 100);
