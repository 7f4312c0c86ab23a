import type { Db } from '../open.js';

export function metaRepo(db: Db) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const del = db.prepare<[string]>('DELETE FROM meta WHERE key = ?');
  const set = db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const getSetting = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const setSetting = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  return {
    get: (key: string): string | null => get.get(key)?.value ?? null,
    set: (key: string, value: string): void => void set.run(key, value),
    delete: (key: string): void => void del.run(key),
    getSetting: <T>(key: string): T | undefined => {
      const row = getSetting.get(key);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    setSetting: (key: string, value: unknown): void => void setSetting.run(key, JSON.stringify(value)),
  };
}
