// SQL of the signing key's lock: the encrypted private half (migration 018) and emptying the plain one.
import type { Db } from '../open.js';

export interface LockedKeyRow {
  id: number;
  fingerprint: string;
  private_der: Buffer;
  private_enc: Buffer | null;
}

export function signingLockRepo(db: Db) {
  const all = db.prepare<[], LockedKeyRow>('SELECT id, fingerprint, private_der, private_enc FROM signing_keys ORDER BY id');
  const byFingerprint = db.prepare<[string], LockedKeyRow>('SELECT id, fingerprint, private_der, private_enc FROM signing_keys WHERE fingerprint = ?');
  const lock = db.prepare<[Buffer, number]>("UPDATE signing_keys SET private_enc = ?, private_der = x'' WHERE id = ?");
  return {
    all: (): LockedKeyRow[] => all.all(),
    byFingerprint: (fp: string): LockedKeyRow | undefined => byFingerprint.get(fp),
    /** Stores the encrypted private key and empties the plain one (secure_delete zeroes the old bytes in the page). */
    lock: (id: number, enc: Buffer): void => {
      const before = db.pragma('secure_delete', { simple: true }) as number;
      db.pragma('secure_delete = ON');
      try {
        lock.run(enc, id);
      } finally {
        db.pragma(`secure_delete = ${before ? 'ON' : 'OFF'}`);
      }
    },
  };
}
