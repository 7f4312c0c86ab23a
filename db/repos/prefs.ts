// A user's display preferences (migration 021): JSON values by key, only ever read or written for one user.
import type { Db } from '../open.js';

export function prefsRepo(db: Db) {
  const all = db.prepare<[number], { key: string; value: string }>('SELECT key, value FROM user_prefs WHERE user_id = ? ORDER BY key');
  const count = db.prepare<[number, string], { n: number }>('SELECT count(*) AS n FROM user_prefs WHERE user_id = ? AND key <> ?');
  const put = db.prepare<[number, string, string, string]>(
    'INSERT INTO user_prefs (user_id, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(user_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const del = db.prepare<[number, string]>('DELETE FROM user_prefs WHERE user_id = ? AND key = ?');
  return {
    all: (userId: number): Record<string, unknown> => Object.fromEntries(all.all(userId).map((r) => [r.key, JSON.parse(r.value) as unknown])),
    /** How many other keys the user has (the cap on keys per user). */
    othersCount: (userId: number, key: string): number => count.get(userId, key)!.n,
    set: (userId: number, key: string, json: string, at: string): void => void put.run(userId, key, json, at),
    clear: (userId: number, key: string): void => void del.run(userId, key),
  };
}
