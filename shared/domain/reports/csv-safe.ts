// The one rule every CSV the app writes follows (report packages, rejected rows, import problems,
// commission, return report, reconciliation): a text cell a spreadsheet would run as a formula gets a
// leading apostrophe. Pure: the backend and the screens both use it.
//
// The rule: a text cell starting with `=`, `+`, `-`, `@`, tab or CR is formula-looking and is prefixed
// with `'` — except a plain negative number (`-12.50`, `-1,234.56`: digits, optional thousands commas,
// optional decimals), which a spreadsheet reads as the number it is and which runs nothing. A leading `+`
// is always protected, digits or not: `+8613800138000` is a phone number (an identifier) that a
// spreadsheet would otherwise turn into 8613800138000. Numbers (JS numbers) are never touched.

/** A negative amount written out: `-5`, `-12.50`, `-1,234.56`. */
const PLAIN_NEGATIVE = /^-(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/** Whether a spreadsheet would read this text as a formula (see the rule above). */
export function formulaLike(text: string): boolean {
  const c = text.charCodeAt(0); // NaN for '': no formula
  // Letters, CJK and digits first: most cells (a report has millions) start with one.
  if (c > 64 || (c >= 48 && c <= 57) || c !== c) return false;
  // = + @ tab CR
  if (c === 61 || c === 43 || c === 64 || c === 9 || c === 13) return true;
  return c === 45 /* - */ && !PLAIN_NEGATIVE.test(text);
}

/** The text as a CSV cell holds it: formula-looking text gets a leading apostrophe. */
export function neutralise(text: string): string {
  return formulaLike(text) ? `'${text}` : text;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field (RFC 4180): text neutralised, then quoted when it holds a comma, quote or line break. */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const t = typeof v === 'number' ? String(v) : neutralise(v);
  return NEEDS_QUOTES.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** Rows as CSV text: CRLF line ends, every cell through csvCell, a UTF-8 BOM first (so Excel reads Chinese). */
export function csvText(rows: readonly (readonly (string | number | null | undefined)[])[], bom = true): string {
  return (bom ? '\uFEFF' : '') + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
