// Stores made per test and cleaned up after it (test files only: it registers a vitest hook).
import { afterEach } from 'vitest';
import { makeStore, removeDir, type TestStore } from './store.js';

/**
 * For a test file whose tests make their own stores: `store()` makes one (as makeStore) that is closed,
 * if the test did not, and removed after each test.
 */
export function storesPerTest(): (opts?: Parameters<typeof makeStore>[0]) => Promise<TestStore> {
  const made: TestStore[] = [];
  afterEach(() => {
    for (const s of made.splice(0)) {
      try {
        s.close();
      } catch {
        /* closed by the test */
      }
      removeDir(s.dir);
    }
  });
  return async (opts) => {
    const s = await makeStore(opts);
    made.push(s);
    return s;
  };
}
