// The actor fields of an audit entry: the logged-in user, or no one (shared/domain/audit-actor.ts).
import type { User } from '../../shared/contract/models.js';
import { nobodyActor } from '../../shared/domain/audit-actor.js';

export { SYSTEM_ACTOR } from '../../shared/domain/audit-actor.js';

export function auditActor(actor: User | null | undefined, action: string): { actorId: number | null; actor: string } {
  return actor ? { actorId: actor.id, actor: actor.username } : { actorId: null, actor: nobodyActor(action) };
}
