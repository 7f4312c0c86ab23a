// The key that MACs audit-anchor.json: the one place it is looked up.
import type { StoreHandle } from '../store-handle.js';

/**
 * A subkey of the store's privileged key (core/store-handle.ts privilegedKey): only admin/manager slots and the
 * recovery slot reach it, so a session opened with a collector's password (which still gives the master key)
 * gets null, and the anchor is compared but neither MAC-checked nor advanced. A store made before the privileged
 * key exists (it is made at the first admin/manager login) has no anchor key yet either. The caller owns the
 * returned buffer (a fresh derivation each time).
 */
export function anchorKey(store: StoreHandle): Buffer | null {
  if (!store.isOpen()) return null;
  return store.privilegedKey('audit-anchor');
}
