// Who an audit entry names when nobody logged in made it. A refused or failed login names no one: the username
// tried is what the entry is about (its entity id), not who acted, and may be anyone's or no one's. Everything
// else the store does by itself (a tampered lockout file, a damaged journal) is the system's.
import type { User } from '../../shared/contract/models.js';

/** With actorId null, which no user's entry has: a user may be called "system" too, and is told apart by the id. */
export const ANONYMOUS_ACTOR = 'anonymous';
export const SYSTEM_ACTOR = 'system';

const ATTEMPTS = new Set(['auth.failed', 'auth.refused']);

export function auditActor(actor: User | null | undefined, action: string): { actorId: number | null; actor: string } {
  if (actor) return { actorId: actor.id, actor: actor.username };
  return { actorId: null, actor: ATTEMPTS.has(action) ? ANONYMOUS_ACTOR : SYSTEM_ACTOR };
}
