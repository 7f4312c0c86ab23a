// The one way the screens reach the user's display preferences (prefs.get / prefs.set, kept in the store
// per user): loaded once per session, shared by every grid, written back a moment after the last change
// (dragging a column edge fires many width changes; one call is sent).
import { useCallback, useEffect, useState } from 'react';
import { useApi, useSession } from '../context.js';
import type { Api } from '../api/client.js';
import type { GridPrefs } from '../../shared/contract/prefs.js';

const SAVE_AFTER_MS = 300;

interface Store {
  prefs: Record<string, GridPrefs> | null;
  listeners: Set<() => void>;
  timers: Map<string, ReturnType<typeof setTimeout>>;
}

// One store per session token: a new login (or another user) reads the store's values afresh.
let current: { token: string; store: Store } | null = null;

function storeFor(api: Api, token: string): Store {
  if (current?.token === token) return current.store;
  const store: Store = { prefs: null, listeners: new Set(), timers: new Map() };
  current = { token, store };
  api.call('prefs.get', {}).then(
    (r) => {
      store.prefs = r.prefs;
      store.listeners.forEach((l) => l());
    },
    // Preferences are a comfort: without them (an older server, a refusal) grids use their defaults.
    () => {
      store.prefs = {};
      store.listeners.forEach((l) => l());
    },
  );
  return store;
}

/** A preference by key ("grid.cases"): undefined while loading, {} when none is stored; and its setter. */
export function usePref(key: string): [GridPrefs | undefined, (next: GridPrefs) => void] {
  const api = useApi();
  const { session } = useSession();
  const store = storeFor(api, session.token);
  const [, rerender] = useState(0);
  useEffect(() => {
    const l = () => rerender((n) => n + 1);
    store.listeners.add(l);
    return () => void store.listeners.delete(l);
  }, [store]);
  const set = useCallback(
    (next: GridPrefs) => {
      store.prefs = { ...(store.prefs ?? {}), [key]: next };
      store.listeners.forEach((l) => l());
      clearTimeout(store.timers.get(key));
      store.timers.set(
        key,
        setTimeout(() => {
          store.timers.delete(key);
          const empty = Object.keys(next).length === 0;
          api.call('prefs.set', { key, value: empty ? null : next }).catch(() => {});
        }, SAVE_AFTER_MS),
      );
    },
    [api, store, key],
  );
  return [store.prefs ? (store.prefs[key] ?? {}) : undefined, set];
}
