// Percentages as people type them ("0.05", "24 %") to parts per million and back, digit by digit (never a
// float): the lender screens and the command line read contract terms with the same rule.

/** Parts per million as a percentage ("0.05" for 500 ppm). */
export function ppmToPercent(ppm: number): string {
  const sign = ppm < 0 ? '-' : '';
  const abs = Math.abs(ppm);
  const int = Math.floor(abs / 10_000);
  const frac = String(abs % 10_000).padStart(4, '0').replace(/0+$/, '');
  return `${sign}${int}${frac ? `.${frac}` : ''}`;
}

/** A typed percentage ("0.05", "24", "24 %") as parts per million, up to 4 decimals; null if not one. */
export function percentToPpm(text: string): number | null {
  const m = /^\s*(\d{1,7})(?:\.(\d{1,4}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0'));
}
