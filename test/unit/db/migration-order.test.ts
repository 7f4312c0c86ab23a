// The migrator runs MIGRATIONS in list order and skips every version ≤ the store's: a version listed after a
// higher one would be skipped for ever on stores that already passed the higher one.
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, LATEST_SCHEMA } from '../../../db/migrations/index.js';

describe('migration list', () => {
  it('is strictly ascending, never uses 13, and ends at LATEST_SCHEMA', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    for (let i = 1; i < versions.length; i++) expect(versions[i]!, `after ${versions[i - 1]}`).toBeGreaterThan(versions[i - 1]!);
    expect(versions).not.toContain(13);
    expect(LATEST_SCHEMA).toBe(Math.max(...versions));
  });
});
