// The master key of a backup, from the key slots bundled with it: a password valid at backup time, or the
// recovery key. One place for the CLI's `agencydesk restore` and the Backups screen (in the backup worker).
import { ApiFailure } from '../shared/contract/failure.js';
import { parseRecoveryKey } from '../shared/domain/recovery-key.js';
import { findPasswordSlot, findRecoverySlot, openPasswordSlot, openRecoverySlot, readSlotFile } from '../db/keyslots.js';

export type BackupCredential = { username: string; password: string } | { recoveryKey: string };

export async function unwrapBackupKey(slotsPath: string, storeId: string, cred: BackupCredential): Promise<Buffer> {
  const slots = readSlotFile(slotsPath);
  if (!slots || slots.storeId !== storeId) throw new ApiFailure('STORE_CORRUPT', 'The key slots in the backup do not belong to its store.');
  if ('recoveryKey' in cred) {
    const rk = parseRecoveryKey(cred.recoveryKey);
    const slot = findRecoverySlot(slots);
    const key = rk && slot ? openRecoverySlot(storeId, slot, rk) : null;
    if (!key) throw new ApiFailure('WRONG_PASSWORD', 'That recovery key does not open this backup.');
    return key;
  }
  const slot = findPasswordSlot(slots, cred.username);
  const key = slot ? await openPasswordSlot(storeId, slot, cred.password) : null;
  if (!key) throw new ApiFailure('WRONG_PASSWORD', `The backup has no slot that this password opens for ${cred.username}.`);
  return key;
}
