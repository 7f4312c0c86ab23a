// prefs.get / prefs.set: each user's own grid preferences, kept in the store across logins, validated and
// capped; nobody can read or write another user's (there is no user id to pass).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStore, login, type TestStore, type Client } from '../helpers/store.js';
import { MAX_PREF_BYTES, MAX_PREF_KEYS } from '../../shared/contract/prefs.js';

let s: TestStore;
let c1: Client;
let c2: Client;
const PW = 'prefs pw 12345';

beforeAll(async () => {
  s = await makeStore();
  for (const u of ['c1', 'c2']) await s.admin.call('users.create', { username: u, displayName: u, role: 'collector', password: PW, teamId: null });
  c1 = await login(s.backend, 'c1', PW);
  c2 = await login(s.backend, 'c2', PW);
});
afterAll(() => s?.close());

describe('user preferences', () => {
  it('keeps a user their own grid widths, visibility and density across logins; others do not see them', async () => {
    expect(await c1.call('prefs.get', {})).toEqual({ prefs: {} });
    const cases = { widths: { caseNo: 180, borrowerName: 120 }, visible: { province: false }, density: 'compact' as const };
    await c1.call('prefs.set', { key: 'grid.cases', value: cases });
    await c1.call('prefs.set', { key: 'grid.audit', value: { density: 'standard' } });
    expect((await c1.call('prefs.get', {})).prefs).toEqual({ 'grid.cases': cases, 'grid.audit': { density: 'standard' } });
    expect((await c2.call('prefs.get', {})).prefs).toEqual({});
    const again = await login(s.backend, 'c1', PW);
    expect((await again.call('prefs.get', {})).prefs['grid.cases']).toEqual(cases);
    // Replaced whole, then cleared.
    await again.call('prefs.set', { key: 'grid.cases', value: { widths: { caseNo: 200 } } });
    expect((await c1.call('prefs.get', {})).prefs['grid.cases']).toEqual({ widths: { caseNo: 200 } });
    await c1.call('prefs.set', { key: 'grid.cases', value: null });
    expect(Object.keys((await c1.call('prefs.get', {})).prefs)).toEqual(['grid.audit']);
  });

  it("refuses another user's id, bad keys, bad values, oversized values and too many keys", async () => {
    expect((await c2.error('prefs.set', { key: 'grid.x', value: {}, userId: 1 })).code).toBe('BAD_INPUT');
    expect((await c2.error('prefs.get', { userId: 1 })).code).toBe('BAD_INPUT');
    expect((await c2.error('prefs.set', { key: 'theme', value: {} })).code).toBe('BAD_INPUT');
    expect((await c2.error('prefs.set', { key: 'grid.x', value: { widths: { a: -5 } } })).code).toBe('BAD_INPUT');
    expect((await c2.error('prefs.set', { key: 'grid.x', value: { density: 'tiny' } })).code).toBe('BAD_INPUT');
    expect((await c2.error('prefs.set', { key: 'grid.x', value: { note: 'x' } })).code).toBe('BAD_INPUT');
    const many = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`field_${i}`, 100]));
    expect(JSON.stringify({ widths: many }).length).toBeGreaterThan(MAX_PREF_BYTES);
    expect((await c2.error('prefs.set', { key: 'grid.x', value: { widths: many } })).code).toBe('BAD_INPUT');
    for (let i = 0; i < MAX_PREF_KEYS; i++) await c2.call('prefs.set', { key: `grid.g${i}`, value: { density: 'compact' } });
    expect((await c2.error('prefs.set', { key: 'grid.one-more', value: {} })).code).toBe('BAD_INPUT');
    // Rewriting an existing key is still allowed at the cap.
    await c2.call('prefs.set', { key: 'grid.g0', value: { density: 'standard' } });
    expect(Object.keys((await c2.call('prefs.get', {})).prefs)).toHaveLength(MAX_PREF_KEYS);
    // Without a session: refused before anything is read.
    expect((await new (c1.constructor as typeof Client)(s.backend).error('prefs.get', {})).code).toBe('UNAUTHENTICATED');
  });
});
