import { expect } from 'vitest';

/** expect.poll with a timeout that fits calls doing scrypt on a busy CI machine (vitest's default is 1 s). */
export function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 15_000) {
  return expect.poll(fn, { timeout: timeoutMs, interval: 100 });
}
