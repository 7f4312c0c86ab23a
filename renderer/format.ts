// Local date and time display.
export function formatDateTime(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

export function formatDate(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(lang, { year: 'numeric', month: '2-digit', day: '2-digit' });
}

/** A count with thousands separators ("12,345"), the same in both languages. */
export const formatCount = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
