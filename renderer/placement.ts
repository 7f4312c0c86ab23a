// Placement helpers for the screens: field labels in the UI language, yuan ↔ fen, sizes, CSV downloads.
import { PLACEMENT_FIELDS, type FieldDef, type PlacementFieldKey } from '../shared/domain/placement/fields.js';
import { formatFen, parseMoneyToFen } from '../shared/domain/placement/money.js';
import { saveBlob } from './download.js';
import { csvText } from '../shared/domain/reports/csv-safe.js';

export { PLACEMENT_FIELDS, formatFen };
export type { PlacementFieldKey };

const BY_KEY = new Map<string, FieldDef<PlacementFieldKey>>(PLACEMENT_FIELDS.map((f) => [f.key, f]));

export function fieldDef(key: string): FieldDef<PlacementFieldKey> | undefined {
  return BY_KEY.get(key);
}

export function fieldLabel(key: string, lang: string): string {
  const f = BY_KEY.get(key);
  if (!f) return key;
  return lang.startsWith('zh') ? f.labelZh : f.labelEn;
}

/** The fields in the order the mapping table shows them: required first, then the file order. */
export const FIELDS_REQUIRED_FIRST: readonly FieldDef<PlacementFieldKey>[] = [
  ...PLACEMENT_FIELDS.filter((f) => f.required),
  ...PLACEMENT_FIELDS.filter((f) => !f.required),
];

/** '1,234.5' → 123450; '' → null (no bound); undefined when it is not an amount. */
export function yuanToFen(text: string): number | null | undefined {
  if (text.trim() === '') return null;
  const r = parseMoneyToFen(text);
  return r.ok ? r.value : undefined;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Rejected rows as CSV rows: row, column, the reason in the UI language, then the row's own cells when kept. */
export function rejectionsCsv(head: readonly string[], rows: readonly { row: number; column: string; reason: string; raw?: readonly string[] }[], reason: (r: string) => string): (string | number)[][] {
  return [[...head], ...rows.map((r) => [r.row, r.column, reason(r.reason), ...(r.raw ?? [])])];
}

/**
 * Saves rows as a CSV download: UTF-8 with a BOM (so Excel reads Chinese), CRLF line ends, formula-looking
 * cells neutralised by the same rule as the report packages (shared/domain/reports/csv-safe.ts).
 */
export function downloadCsv(fileName: string, rows: readonly (readonly (string | number)[])[]): void {
  const text = csvText(rows);
  saveBlob(fileName, new Blob([text], { type: 'text/csv;charset=utf-8' }));
}
