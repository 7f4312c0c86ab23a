// Logged-in sessions, in memory only: a restart, an idle timeout or the maximum lifetime means logging in again.
import { randomBytes } from 'node:crypto';

interface Entry {
  userId: number;
  createdMs: number;
  lastSeenMs: number;
  /** Where the session came from (the team server records the client's address). */
  from: string;
}

export interface SessionInfo {
  /** A short, non-secret handle for the session (the token's SHA-less prefix is never shown). */
  id: string;
  userId: number;
  from: string;
  createdMs: number;
  lastSeenMs: number;
}

export class Sessions {
  private map = new Map<string, Entry & { id: string }>();
  /** Holds that keep the store open with no session (the team server after an admin unlocked it). */
  private holds = 0;
  /** Longest life of a session whatever its activity (0 = none); the team server sets 12 h. */
  maxLifetimeMs = 0;

  create(userId: number, nowMs: number, from = ''): string {
    const token = randomBytes(32).toString('base64url');
    this.map.set(token, { userId, createdMs: nowMs, lastSeenMs: nowMs, from, id: randomBytes(6).toString('hex') });
    return token;
  }

  /**
   * The session's user, 'expired' if idle too long or past its lifetime (and then forgotten), or null if
   * unknown. `touch` false: a background poll, which must not keep an abandoned session alive.
   */
  resolve(token: string, nowMs: number, idleMs: number, touch = true): number | 'expired' | null {
    const e = this.map.get(token);
    if (!e) return null;
    if (nowMs - e.lastSeenMs > idleMs || (this.maxLifetimeMs > 0 && nowMs - e.createdMs > this.maxLifetimeMs)) {
      this.map.delete(token);
      return 'expired';
    }
    if (touch) e.lastSeenMs = nowMs;
    return e.userId;
  }

  delete(token: string): void {
    this.map.delete(token);
  }

  /** Ends every session of a user (disabled, password reset), except `keep` (the caller's own, after a change). */
  deleteUser(userId: number, keep?: string): void {
    for (const [t, e] of this.map) if (e.userId === userId && t !== keep) this.map.delete(t);
  }

  /** Ends the session with this public id; false if there is none. */
  deleteById(id: string): boolean {
    for (const [t, e] of this.map) if (e.id === id) return this.map.delete(t);
    return false;
  }

  list(): SessionInfo[] {
    return [...this.map.values()].map(({ id, userId, from, createdMs, lastSeenMs }) => ({ id, userId, from, createdMs, lastSeenMs }));
  }

  /** The public id of a session token, if it is live. */
  idOf(token: string): string | null {
    return this.map.get(token)?.id ?? null;
  }

  /** Keeps the store open while no one is logged in (counts as one session for the "last one out locks" rule). */
  hold(): void {
    this.holds = 1;
  }

  release(): void {
    this.holds = 0;
  }

  /** Forgets idle and expired sessions; returns how many are left (holds included). */
  sweep(nowMs: number, idleMs: number): number {
    for (const [t, e] of this.map) {
      if (nowMs - e.lastSeenMs > idleMs || (this.maxLifetimeMs > 0 && nowMs - e.createdMs > this.maxLifetimeMs)) this.map.delete(t);
    }
    return this.size;
  }

  clear(): void {
    this.map.clear();
    this.holds = 0;
  }

  /** Live sessions plus holds: the store locks when this reaches 0. */
  get size(): number {
    return this.map.size + this.holds;
  }
}
