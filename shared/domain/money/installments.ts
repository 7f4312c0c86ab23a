// Installment schedules (分期) in integer fen: n payments that sum exactly to the agreed total, the odd
// fen going to the first payments (so no payment differs from another by more than 1 fen), due monthly
// (or every `everyMonths`) from the first date, a 31st falling back to the month's last day.

export interface Installment {
  no: number;
  dueDate: string;
  amountFen: number;
}

/** YYYY-MM-DD plus `months`, the day clamped to the target month's length (2026-01-31 + 1 → 2026-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  return `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function installmentSchedule(totalFen: number, count: number, firstDate: string, everyMonths = 1): Installment[] {
  if (!Number.isSafeInteger(totalFen) || totalFen <= 0) throw new RangeError('the total must be a positive whole number of fen');
  if (!Number.isInteger(count) || count < 1 || count > 120) throw new RangeError('between 1 and 120 installments');
  if (count > totalFen) throw new RangeError(`¥${(totalFen / 100).toFixed(2)} cannot be split into ${count} payments of at least ¥0.01`);
  const base = Math.floor(totalFen / count);
  const extra = totalFen - base * count;
  return Array.from({ length: count }, (_, i) => ({ no: i + 1, dueDate: addMonths(firstDate, i * everyMonths), amountFen: base + (i < extra ? 1 : 0) }));
}
