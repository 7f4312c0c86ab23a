// Reads a closed store as plain bytes, to look for personal data that must be gone: every table dumped as
// text, a `VACUUM INTO` copy decrypted (the live content, as pages), and a copy of the file itself decrypted
// page by page (freed pages included), plus the WAL's raw bytes.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { storeFiles } from '../../db/paths.js';
import { openEncrypted } from '../../db/open.js';
import { masterKeyOf, removeDir, tempDir } from './store.js';

/** Decrypts a copy of an encrypted database file in place (rekey to no key rewrites every page plain). */
function decryptCopy(file: string, key: Buffer): Buffer {
  const db = openEncrypted(file, key, { migrate: false, quickCheck: false });
  db.pragma('journal_mode = DELETE');
  db.rekey(Buffer.alloc(0));
  db.close();
  const bytes = readFileSync(file);
  if (bytes.subarray(0, 16).toString('latin1') !== 'SQLite format 3\0') throw new Error(`${file} did not decrypt`);
  return bytes;
}

export interface PlainStore {
  /** Every row of every table, as text (one line per row). */
  dump: string;
  /** The pages of a VACUUM INTO copy, decrypted. */
  vacuumPages: Buffer;
  /** The pages of the store file itself (freed pages included), decrypted. */
  filePages: Buffer;
  /** The WAL's raw bytes (empty when there is none). */
  wal: Buffer;
}

export function plainStore(dir: string, recoveryKey: string): PlainStore {
  const key = masterKeyOf(dir, recoveryKey);
  const files = storeFiles(dir);
  const wal = existsSync(`${files.db}-wal`) ? readFileSync(`${files.db}-wal`) : Buffer.alloc(0);
  const tmp = tempDir('agencydesk-plain-');
  try {
    // The file as it lies on disk, before anything opens it (opening would checkpoint a WAL into it).
    const fileCopy = path.join(tmp, 'file.db');
    copyFileSync(files.db, fileCopy);
    if (wal.length) copyFileSync(`${files.db}-wal`, `${fileCopy}-wal`);
    const filePages = decryptCopy(fileCopy, key);

    const db = openEncrypted(files.db, key, { migrate: false });
    const lines: string[] = [];
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
    for (const t of tables) {
      for (const row of db.prepare(`SELECT * FROM "${t.name}"`).raw().all() as unknown[][]) {
        lines.push(`${t.name}\t${row.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v))).join('\t')}`);
      }
    }
    const vac = path.join(tmp, 'vacuum.db');
    db.prepare('VACUUM INTO ?').run(vac);
    db.close();
    return { dump: lines.join('\n'), vacuumPages: decryptCopy(vac, key), filePages, wal };
  } finally {
    removeDir(tmp);
  }
}

/** Where `needle` occurs in the plain store (empty: nowhere). */
export function foundIn(p: PlainStore, needle: string): string[] {
  const b = Buffer.from(needle, 'utf8');
  const out: string[] = [];
  if (p.dump.includes(needle)) out.push(`dump: ${p.dump.split('\n').filter((l) => l.includes(needle)).slice(0, 3).join(' | ').slice(0, 400)}`);
  if (p.vacuumPages.includes(b)) out.push('VACUUM INTO pages');
  if (p.filePages.includes(b)) out.push('store file pages');
  if (p.wal.includes(b)) out.push('WAL');
  return out;
}
