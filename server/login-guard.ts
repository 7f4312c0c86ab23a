// Logins under attack, on the team server: before a password reaches the KDF,
//  - one attempt per username at a time (concurrent ones are refused, not queued: 40 simultaneous wrong
//    passwords for one user cost one scrypt and count as what they are);
//  - failed attempts per client address, with growing delays (core already delays per username, in
//    lockout.json), counted when the attempt starts and cleared only by a success;
//  - at most `maxKdf` key derivations at once across all users; more wait in a short queue, and beyond it
//    the caller is told BUSY with a retry-after, so a login storm cannot starve the server.
import { lockoutDelaySeconds } from '../shared/domain/lockout.js';

/** A desk's address gets a few more free attempts than one username: several people may log in from it. */
const ADDRESS_EXTRA_FREE = 3;

export interface GuardRefusal {
  code: 'LOCKED_OUT' | 'BUSY';
  message: string;
  retryAfterSeconds: number;
}

/** Refused attempts of one username from one address for one reason, between two writes to the audit log. */
export interface RefusedLogins {
  address: string;
  username: string;
  reason: 'address-delay' | 'concurrent' | 'busy';
  count: number;
  firstAt: string;
  lastAt: string;
}

/** Distinct (address, username, reason) kept between two writes; beyond it a flood is counted under username '*'. */
const MAX_REFUSAL_KEYS = 1000;

interface AddressRecord {
  failures: number;
  lastAt: number;
}

export class LoginGuard {
  private inFlight = new Set<string>();
  private byAddress = new Map<string, AddressRecord>();
  private running = 0;
  private waiting: (() => void)[] = [];
  private refused = new Map<string, RefusedLogins>();

  constructor(
    private readonly opts: { maxKdf: number; maxQueue: number; now: () => number } = { maxKdf: 2, maxQueue: 32, now: Date.now },
  ) {}

  /** Why this attempt may not run now, or null. Call before anything else. */
  check(username: string, address: string): GuardRefusal | null {
    const rec = this.byAddress.get(address);
    if (rec) {
      const wait = Math.ceil(lockoutDelaySeconds(rec.failures - ADDRESS_EXTRA_FREE) - (this.opts.now() - rec.lastAt) / 1000);
      if (wait > 0) {
        this.count(address, username, 'address-delay');
        return { code: 'LOCKED_OUT', message: `Too many failed logins from this computer. Try again in ${wait} s.`, retryAfterSeconds: wait };
      }
    }
    if (this.inFlight.has(username)) {
      // A concurrent attempt is an attempt: counted against the address although no KDF runs for it.
      const r = this.byAddress.get(address) ?? { failures: 0, lastAt: 0 };
      r.failures += 1;
      r.lastAt = this.opts.now();
      this.byAddress.set(address, r);
      this.count(address, username, 'concurrent');
      return { code: 'LOCKED_OUT', message: 'Another login for this user is being checked. Try again in a moment.', retryAfterSeconds: 1 };
    }
    if (this.running >= this.opts.maxKdf && this.waiting.length >= this.opts.maxQueue) {
      this.count(address, username, 'busy');
      return { code: 'BUSY', message: 'The server is busy checking other logins. Try again in a moment.', retryAfterSeconds: 2 };
    }
    return null;
  }

  /**
   * The refusals counted since the last take, for the audit log (server/app.ts writes them every 30 s and at
   * shutdown: one entry per address, username and reason, not one per attempt, so a flood cannot flood the log).
   */
  takeRefusals(): RefusedLogins[] {
    const all = [...this.refused.values()];
    this.refused.clear();
    return all;
  }

  /** Refusals that could not be written (the store locked): kept for the next write. */
  putBack(refusals: RefusedLogins[]): void {
    for (const r of refusals) this.count(r.address, r.username, r.reason, r.count, r.firstAt, r.lastAt);
  }

  private count(from: string, name: string, reason: RefusedLogins['reason'], n = 1, firstAt?: string, lastAt?: string): void {
    const at = new Date(this.opts.now()).toISOString();
    // A username as typed by whoever is guessing: kept short in the log.
    let username = name.slice(0, 64);
    let address = from;
    let key = `${address}\u0000${username}\u0000${reason}`;
    // Full: everything new is counted under one record per reason, whatever the address (memory stays bounded).
    if (!this.refused.has(key) && this.refused.size >= MAX_REFUSAL_KEYS) {
      username = '*';
      address = '*';
      key = `*\u0000*\u0000${reason}`;
    }
    const r = this.refused.get(key);
    if (r) {
      r.count += n;
      if ((firstAt ?? at) < r.firstAt) r.firstAt = firstAt ?? at;
      if ((lastAt ?? at) > r.lastAt) r.lastAt = lastAt ?? at;
    } else this.refused.set(key, { address, username, reason, count: n, firstAt: firstAt ?? at, lastAt: lastAt ?? at });
  }

  /**
   * Runs one attempt under the guard: counted as a failure for the address before it runs (a crash or a
   * flood in flight counts), forgiven on success. `attempt` resolves true when the password was right.
   */
  async run<T>(username: string, address: string, attempt: () => Promise<{ ok: boolean; value: T }>): Promise<T> {
    this.inFlight.add(username);
    const rec = this.byAddress.get(address) ?? { failures: 0, lastAt: 0 };
    rec.failures += 1;
    rec.lastAt = this.opts.now();
    this.byAddress.set(address, rec);
    try {
      await this.slot();
      try {
        const r = await attempt();
        if (r.ok) this.byAddress.delete(address);
        return r.value;
      } finally {
        this.running -= 1;
        this.waiting.shift()?.();
      }
    } finally {
      this.inFlight.delete(username);
    }
  }

  private slot(): Promise<void> {
    if (this.running < this.opts.maxKdf) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.running += 1;
        resolve();
      }),
    );
  }

  /** For tests and the admin screen: failures counted per address. */
  failuresFrom(address: string): number {
    return this.byAddress.get(address)?.failures ?? 0;
  }
}
