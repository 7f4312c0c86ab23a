// Which backups to keep: the newest of each of the last `daily` days that have one, and the newest of each of
// the last `weekly` ISO weeks (Monday to Sunday, UTC) that have one. Everything else may be deleted.
// Pure: the service lists the folder and deletes what this returns.

export interface RotationPolicy {
  daily: number;
  weekly: number;
}

export const DEFAULT_ROTATION: RotationPolicy = { daily: 7, weekly: 4 };

/** Monday (UTC) of the week `t` falls in, as YYYY-MM-DD. */
function weekOf(t: Date): string {
  const d = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** The names to keep and to delete among backups taken at the given times. */
export function rotate<T extends { name: string; at: Date }>(backups: readonly T[], policy: RotationPolicy): { keep: T[]; remove: T[] } {
  const newestFirst = [...backups].sort((a, b) => b.at.getTime() - a.at.getTime() || b.name.localeCompare(a.name));
  const keep = new Set<T>();
  const pick = (bucket: (t: Date) => string, n: number) => {
    const seen = new Set<string>();
    for (const b of newestFirst) {
      const k = bucket(b.at);
      if (seen.has(k)) continue;
      if (seen.size >= n) break;
      seen.add(k);
      keep.add(b);
    }
  };
  pick((t) => t.toISOString().slice(0, 10), Math.max(0, policy.daily));
  pick(weekOf, Math.max(0, policy.weekly));
  // Never delete the newest one, whatever the policy says.
  if (newestFirst[0]) keep.add(newestFirst[0]);
  return { keep: newestFirst.filter((b) => keep.has(b)), remove: newestFirst.filter((b) => !keep.has(b)) };
}

/** Older than two days (or none yet): the app warns the admins. */
export const BACKUP_STALE_MS = 2 * 24 * 3600 * 1000;

/** Folder names of cloud-sync clients: a store inside one is copied file by file while it is written. */
const SYNC_MARKERS = ['onedrive', 'dropbox', 'icloud', 'google drive', 'googledrive', 'mobile documents', '坚果云', 'nutstore', 'baidunetdisk', '百度网盘'];

/** What a store's path alone says about where it sits (network share, cloud-sync folder); null if nothing. */
export function riskyPath(p: string): 'network' | 'cloud-sync' | null {
  if (/^\\\\|^\/\//.test(p)) return 'network';
  const lower = p.toLowerCase();
  if (SYNC_MARKERS.some((m) => lower.includes(m))) return 'cloud-sync';
  return null;
}
