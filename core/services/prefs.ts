// prefs.get / prefs.set: the caller's own display preferences (db/repos/prefs.ts). The user comes from the
// session, never from the input, so nobody reads or writes another user's. Not audited (display only).
import { ApiFailure } from '../../shared/contract/failure.js';
import { MAX_PREF_KEYS, gridPrefsSchema, type GridPrefs } from '../../shared/contract/prefs.js';
import { requireUser, type Handler } from '../context.js';

const get: Handler<'prefs.get'> = (_input, ctx) => {
  const user = requireUser(ctx);
  const prefs: Record<string, GridPrefs> = {};
  // A value an older or newer version wrote that no longer parses is left out rather than failing the call.
  for (const [key, value] of Object.entries(ctx.store.repos.prefs.all(user.id))) {
    const parsed = gridPrefsSchema.safeParse(value);
    if (parsed.success) prefs[key] = parsed.data;
  }
  return { prefs };
};

const set: Handler<'prefs.set'> = (input, ctx) => {
  const user = requireUser(ctx);
  const r = ctx.store.repos.prefs;
  if (input.value === null) {
    r.clear(user.id, input.key);
    return { ok: true };
  }
  if (r.othersCount(user.id, input.key) >= MAX_PREF_KEYS) throw new ApiFailure('BAD_INPUT', `At most ${MAX_PREF_KEYS} display preferences per user.`);
  r.set(user.id, input.key, JSON.stringify(input.value), ctx.now().toISOString());
  return { ok: true };
};

export const prefsHandlers = { 'prefs.get': get, 'prefs.set': set };
