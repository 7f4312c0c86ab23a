// How a lender reads its reports, beyond the headers: the time zone times are written in (with their
// offset), and the CSV files' encoding. Per lender (reports.setSettings); the defaults suit a Chinese lender.
import type { OutcomeLabels } from '../casework/outcomes.js';

export const CSV_ENCODINGS = ['utf8-bom', 'gb18030'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export const DEFAULT_REPORT_TIME_ZONE = 'Asia/Shanghai';

export interface ReportView {
  /** IANA zone the lender reads times in: `2026-12-06 14:03:00 +08:00`. */
  timeZone: string;
  /** UTF-8 with a BOM (Excel reads Chinese), or GB18030 (older Chinese tools; no BOM). */
  csvEncoding: CsvEncoding;
  /** The agency's outcome codes' labels (its own codes and relabelled built-ins). */
  outcomes: Record<string, OutcomeLabels>;
}

export const DEFAULT_REPORT_VIEW: ReportView = { timeZone: DEFAULT_REPORT_TIME_ZONE, csvEncoding: 'utf8-bom', outcomes: {} };

/** Whether `zone` is an IANA time zone this runtime knows (`Asia/Shanghai`, `UTC`, `America/New_York`). */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
