// Character helpers for the placement parsers. They work on char codes so the per-row hot paths
// (up to a million rows per import) allocate nothing and compile no regex.

/** Value of an ASCII or full-width digit (０–９, common in files typed with a Chinese IME), else -1. */
export function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 0xff10 && c <= 0xff19) return c - 0xff10;
  return -1;
}

/** Blanks seen in spreadsheet cells: ASCII space and controls, NBSP, ideographic space, thin and
 *  zero-width spaces, and a stray BOM. */
export function isBlank(c: number): boolean {
  return (
    c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x3000 ||
    (c >= 0x2000 && c <= 0x200b) || c === 0x202f || c === 0xfeff
  );
}

export function isAllBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isBlank(s.charCodeAt(i))) return false;
  return true;
}

/** Full-width ASCII variants (U+FF01–FF5E) to ASCII; other codes unchanged. */
export function halfWidth(c: number): number {
  return c >= 0xff01 && c <= 0xff5e ? c - 0xfee0 : c;
}

/** Cell text echoed in a reason, shortened so a stray 10 kB cell does not flood the UI. */
export function shown(s: string): string {
  const t = s.trim();
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}
