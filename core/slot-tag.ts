// What new password slots are tagged for (db/keyslots.ts `ptag`): the check value of the store's privileged key,
// when the slot's maker knows it for sure. Tagging every slot — a collector's too, into which the key is not
// sealed — means a later role change seals the key into a slot its owner already vouches for: the key found
// there at the owner's first login is checked against the tag, never trusted on first use.
import { isV2, privilegedCheckOf, tagNamesCheck, type Slot } from '../db/keyslots.js';
import { PRIVILEGED_CHECK } from './store-handle.js';
import type { Ctx } from './context.js';

/** From the privileged key this backend holds (an admin or manager logged in, the recovery key), else null. */
export function heldCheck(ctx: Ctx): string | null {
  const p = ctx.store.privilegedSecret();
  return p ? privilegedCheckOf(p) : null;
}

/**
 * A user's own new slot (a password change): the held key's check value, or else the store's — but only when the
 * user's old slot, opened with the old password, is tagged for exactly that value (so a check value changed by a
 * holder of the master key is not carried over). Null: the new slot is untagged (tagged at first use, as before).
 */
export function carriedCheck(ctx: Ctx, storeId: string, oldSlot: Slot, oldKek: Buffer): string | null {
  const held = heldCheck(ctx);
  if (held) return held;
  const c = ctx.store.repos.meta.get(PRIVILEGED_CHECK);
  return c && isV2(oldSlot) && tagNamesCheck(storeId, oldSlot, oldKek, c) ? c : null;
}
