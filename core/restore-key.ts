// The master key of a backup (and the audit anchor's key, when the credential reaches it), from the key slots
// bundled with it: a password valid at backup time, or the recovery key. One place for the CLI's `agencydesk restore` and the Backups screen (in the backup worker).
import { ApiFailure } from '../shared/contract/failure.js';
import { parseRecoveryKey } from '../shared/domain/recovery-key.js';
import { findPasswordSlot, findRecoverySlot, readSlotFile, unlockPasswordSlot, unlockRecoverySlot, type Opened } from '../db/keyslots.js';
import type { RestoreKeys } from '../db/backup.js';
import { privilegedCheckOf, privilegedSubkey } from './store-handle.js';

export type BackupCredential = { username: string; password: string } | { recoveryKey: string };

/**
 * The master key and, when the credential's slot holds the privileged key (an admin's or manager's password, the
 * recovery key), the audit anchor's key with the check value that ties it to the store: the restore anchors the
 * restored folder with it (db/audit-anchor.ts anchorRestored). A collector's password gives no anchor key.
 */
export async function unwrapBackupKeys(slotsPath: string, storeId: string, cred: BackupCredential): Promise<RestoreKeys> {
  const slots = readSlotFile(slotsPath);
  if (!slots || slots.storeId !== storeId) throw new ApiFailure('STORE_CORRUPT', 'The key slots in the backup do not belong to its store.');
  let o: Opened | null;
  if ('recoveryKey' in cred) {
    const rk = parseRecoveryKey(cred.recoveryKey);
    const slot = findRecoverySlot(slots);
    o = rk && slot ? unlockRecoverySlot(storeId, slot, rk) : null;
    if (!o) throw new ApiFailure('WRONG_PASSWORD', 'That recovery key does not open this backup.');
  } else {
    const slot = findPasswordSlot(slots, cred.username);
    o = slot ? await unlockPasswordSlot(storeId, slot, cred.password) : null;
    if (!o) throw new ApiFailure('WRONG_PASSWORD', `The backup has no slot that this password opens for ${cred.username}.`);
  }
  o.kek.fill(0);
  const p = o.privileged;
  if (!p) return { masterKey: o.masterKey, anchor: null };
  const anchor = { key: privilegedSubkey(p, storeId, 'audit-anchor'), privilegedCheck: privilegedCheckOf(p) };
  p.fill(0);
  return { masterKey: o.masterKey, anchor };
}
