// Logged-in sessions, in memory only: a restart or an idle timeout means logging in again.
import { randomBytes } from 'node:crypto';

interface Entry {
  userId: number;
  lastSeenMs: number;
}

export class Sessions {
  private map = new Map<string, Entry>();

  create(userId: number, nowMs: number): string {
    const token = randomBytes(32).toString('base64url');
    this.map.set(token, { userId, lastSeenMs: nowMs });
    return token;
  }

  /** The session's user, 'expired' if idle too long (and then forgotten), or null if unknown. */
  resolve(token: string, nowMs: number, idleMs: number): number | 'expired' | null {
    const e = this.map.get(token);
    if (!e) return null;
    if (nowMs - e.lastSeenMs > idleMs) {
      this.map.delete(token);
      return 'expired';
    }
    e.lastSeenMs = nowMs;
    return e.userId;
  }

  delete(token: string): void {
    this.map.delete(token);
  }

  deleteUser(userId: number): void {
    for (const [t, e] of this.map) if (e.userId === userId) this.map.delete(t);
  }

  /** Forgets idle sessions; returns how many are left. */
  sweep(nowMs: number, idleMs: number): number {
    for (const [t, e] of this.map) if (nowMs - e.lastSeenMs > idleMs) this.map.delete(t);
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
