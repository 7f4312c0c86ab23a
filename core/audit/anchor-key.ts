// The key that MACs audit-anchor.json: the one place it is looked up.
import { anchorSecret } from '../../db/audit-anchor.js';
import type { StoreHandle } from '../store-handle.js';

/**
 * Interim: a secret kept in the store (db/audit-anchor.ts anchorSecret), so today anyone holding the master key
 * (every user's slot unwraps it) could also re-MAC an anchor after rebuilding the chain. The lead switches this to
 * `store.privilegedKey('audit-anchor')` (H3: only admin/manager slots and the recovery key reach it); then a
 * collector-only session gets null, and the anchor is compared but neither verified nor advanced. The restore
 * (db/audit-anchor.ts anchorRestored) switches with it. `create`: only the writers (first anchoring, accept) make it.
 */
export function anchorKey(store: StoreHandle, create = false): Buffer | null {
  if (!store.isOpen()) return null;
  return anchorSecret(store.repos.db, create);
}
