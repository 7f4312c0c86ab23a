// Thousands separators on every number a sentence interpolates ("共 12,345 个案件", "12,345 rows"): i18next
// leaves {{count}} as 12345 unless each string says {{count, number}}. With alwaysFormat on, every value passes
// through the interpolator's format; whole numbers from 1,000 up are grouped there, except the few parameters that
// are identifiers or positions people look up as written (record ids, Excel row numbers, byte offsets).
import type { i18n as I18n } from 'i18next';

const AS_WRITTEN = new Set(['id', 'row', 'offset', 'byte', 'slot', 'seq']);

export const groupedNumber = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 20 });

/** Call after init (with `interpolation.alwaysFormat: true`). */
export function groupNumbers(i18n: I18n): void {
  const interpolator = i18n.services.interpolator as unknown as { format: (v: unknown, f: string | undefined, lng: string, o: { interpolationkey?: string }) => unknown };
  const base = interpolator.format.bind(interpolator);
  interpolator.format = (value, format, lng, options) =>
    !format && typeof value === 'number' && Number.isFinite(value) && Math.abs(value) >= 1000 && !AS_WRITTEN.has(options?.interpolationkey ?? '')
      ? groupedNumber(value)
      : base(value, format, lng, options);
}
