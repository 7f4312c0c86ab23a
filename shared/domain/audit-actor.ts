// Who an audit entry names when nobody logged in made it (actorId null, which no user's entry has). A refused or
// failed login names no one: the username tried is what the entry is about (its entity id), not who acted, and
// may be anyone's or no one's. Everything else the store does by itself (a tampered lockout file, a damaged
// journal, a scheduled backup) is the system's. The backend writes it (core/audit/actor.ts); the audit screen
// reads every actorless entry by it, including those written before the rule.
export const ANONYMOUS_ACTOR = 'anonymous';
export const SYSTEM_ACTOR = 'system';

const LOGIN_ATTEMPTS: ReadonlySet<string> = new Set(['auth.failed', 'auth.refused']);

export function nobodyActor(action: string): typeof ANONYMOUS_ACTOR | typeof SYSTEM_ACTOR {
  return LOGIN_ATTEMPTS.has(action) ? ANONYMOUS_ACTOR : SYSTEM_ACTOR;
}
