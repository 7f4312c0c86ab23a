// Copies of the audit anchor kept OUTSIDE the store folder (db/audit-anchor.ts outsideAnchorFile): one in every
// backup folder, written at each backup, and one in the host's app data folder (a desktop's), written with every
// durable anchor write. audit-anchor.json lives in the store folder, so a rollback of the whole folder takes it
// back too; these copies stay where they were. A copy AHEAD of the store (a higher entry number, or the same
// number with another hash) means the folder was put back.
// A copy written before the store's anchoring began (its `since`, in the MAC'd audit-anchor.json: a restore or an
// admin's acceptance sets it) is retired, not compared: an unreachable folder's stale copy is no false alarm then.
import { existsSync, mkdirSync } from 'node:fs';
import { ANCHOR_FOLDERS_SETTING, knownBackupFolders, macValid, outsideAnchorFile, readAnchorFile, writeAnchorFile, type AnchorBody } from '../../db/audit-anchor.js';
import type { AnchorCheck } from '../../shared/contract/audit.js';
import type { StoreHandle } from '../store-handle.js';

export type OutsideAnchor = NonNullable<AnchorCheck['outside']>[number];

/** How many folders backups went to are remembered (newest first). */
const MAX_FOLDERS = 20;

/** Every folder that may hold this store's copy: the host's app data folder, then the backup folders the store knows. */
export function outsideDirs(store: StoreHandle): string[] {
  const meta = store.repos.meta;
  const dirs = [...(store.anchorDir ? [store.anchorDir] : []), ...knownBackupFolders((k) => meta.getSetting<unknown>(k))];
  return [...new Set(dirs)];
}

/** A backup was written to `dir`: remembered, so a rolled-back store still finds its copy there. */
export function rememberFolder(store: StoreHandle, dir: string): void {
  const meta = store.repos.meta;
  const before = meta.getSetting<unknown>(ANCHOR_FOLDERS_SETTING);
  const list = Array.isArray(before) ? before.filter((d): d is string => typeof d === 'string' && d !== dir) : [];
  meta.setSetting(ANCHOR_FOLDERS_SETTING, [dir, ...list].slice(0, MAX_FOLDERS));
}

/** Writes the copy into each folder (the app data folder is made; a backup folder must exist). Never throws. */
export function writeOutside(dirs: string[], storeId: string, key: Buffer, body: AnchorBody, opts: { make?: boolean } = {}): string[] {
  const written: string[] = [];
  for (const dir of dirs) {
    try {
      if (!existsSync(dir)) {
        if (!opts.make) continue;
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      }
      const file = outsideAnchorFile(dir, storeId);
      writeAnchorFile(file, key, body, true);
      reads.delete(file);
      written.push(dir);
    } catch (e) {
      // A share that is gone or read-only: the store's own anchor is written; this copy stays as it was.
      console.error(`[agencydesk] the audit anchor copy in ${dir} was not written: ${(e as Error).message}`);
    }
  }
  return written;
}

/** What each copy's file held when last read: the banner asks on every page, not every page needs a NAS round trip. */
const reads = new Map<string, { atMs: number; found: ReturnType<typeof readAnchorFile> }>();

function readCopy(file: string, maxAgeMs: number): ReturnType<typeof readAnchorFile> {
  const cached = reads.get(file);
  if (cached && maxAgeMs > 0 && Date.now() - cached.atMs < maxAgeMs) return cached.found;
  let found: ReturnType<typeof readAnchorFile>;
  try {
    found = readAnchorFile(file);
  } catch (e) {
    found = { anchor: null, damaged: (e as Error).message };
  }
  reads.set(file, { atMs: Date.now(), found });
  return found;
}

/**
 * Each reachable copy against the store's chain. `since`: where the store's anchoring began (from its anchor
 * file), copies older than it are retired; `key`: the anchor key when this session holds it (MAC checked), else
 * the copies are only compared; `maxAgeMs`: a file read this recently is not read again (0: always read — at an
 * unlock and in `check`).
 */
export function compareOutside(store: StoreHandle, since: { at: string } | null, key: Buffer | null, maxAgeMs = 0): OutsideAnchor[] {
  const r = store.repos;
  const storeId = r.meta.get('store_id') ?? '';
  const head = r.audit.head();
  const out: OutsideAnchor[] = [];
  for (const dir of outsideDirs(store)) {
    const file = outsideAnchorFile(dir, storeId);
    const found = readCopy(file, maxAgeMs);
    if (found.damaged) {
      out.push({ file, status: 'damaged', seq: null, at: null, message: `The audit anchor copy ${file} cannot be read (${found.damaged}): it was damaged or edited.` });
      continue;
    }
    const a = found.anchor;
    if (!a) continue;
    const at = { file, seq: a.seq, at: a.at };
    if (a.storeId !== storeId || (key && !macValid(a, key))) {
      out.push({ ...at, status: 'forged', message: `The audit anchor copy ${file} does not carry a valid MAC: it was edited, or written without the anchor key. It is not trusted.` });
      continue;
    }
    if (since && a.at < since.at) {
      out.push({ ...at, status: 'retired', message: `Written ${a.at}, before this store's anchoring began (${since.at}: a restore or an accepted finding).` });
      continue;
    }
    if (a.seq > head.seq) {
      out.push({
        ...at,
        status: 'behind',
        message: `The whole store folder was rolled back: its audit log ends at entry ${head.seq}, but the anchor copy kept outside it in ${file} (written ${a.at}) names entry ${a.seq}. Entries ${head.seq + 1}–${a.seq}, and the changes they recorded, are missing. If an older copy was put back on purpose, restore from a backup with \`agencydesk restore\` (or the Backups screen) instead, or accept the store as it is.`,
      });
      continue;
    }
    if (r.audit.hashAt(a.seq) !== a.hash) {
      // Found behind at an unlock, then written on over the anchored numbers: say what was found then.
      const seen = r.audit.list({ limit: 1, action: 'audit.anchorMismatch' })[0];
      if (seen && seen.detail.status === 'behind' && seen.detail.anchoredSeq === a.seq && seen.detail.anchoredAt === a.at) {
        out.push({ ...at, status: 'behind', message: `${String(seen.detail.message)} (found at the unlock of ${seen.at}, audit entry ${seen.seq})` });
      } else {
        out.push({ ...at, status: 'mismatch', message: `Audit entry ${a.seq} is not the one the anchor copy ${file} names (${a.at}): the store folder was replaced by another copy of this store, or its log was rewritten.` });
      }
      continue;
    }
    out.push({ ...at, status: 'ok', message: `Entry ${a.seq} (${a.at}) as anchored.` });
  }
  return out;
}

const RANK: Record<OutsideAnchor['status'], number> = { behind: 0, mismatch: 1, forged: 2, damaged: 3, ok: 9, retired: 9 };

/** The copy that decides the store's status (the worst finding), or null when every reachable copy agrees. */
export function worstOutside(list: OutsideAnchor[]): (OutsideAnchor & { status: 'behind' | 'mismatch' | 'forged' | 'damaged' }) | null {
  const bad = list.filter((o): o is OutsideAnchor & { status: 'behind' | 'mismatch' | 'forged' | 'damaged' } => RANK[o.status] < 9);
  return bad.sort((a, b) => RANK[a.status] - RANK[b.status])[0] ?? null;
}
