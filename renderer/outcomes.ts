// The agency's outcome codes on screen: loaded once (outcomes.list) and shared by every screen that
// names an outcome; reloaded after a change and when a screen needs them again after a while. Labels
// come from the agency's list in the UI language; a code it does not know falls back to the built-in text.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from './context.js';
import type { Api } from './api/client.js';
import type { OutcomeView } from '../shared/contract/outcomes.js';

export type { OutcomeView };

interface Cache {
  list: OutcomeView[] | null;
  loadedAt: number;
  loading: Promise<void> | null;
  listeners: Set<() => void>;
}

const caches = new WeakMap<Api, Cache>();
const STALE_MS = 15_000;

function cacheOf(api: Api): Cache {
  let c = caches.get(api);
  if (!c) caches.set(api, (c = { list: null, loadedAt: 0, loading: null, listeners: new Set() }));
  return c;
}

/** Fetches the list again and tells every screen using it. */
export function reloadOutcomes(api: Api, fresh?: OutcomeView[]): Promise<void> {
  const c = cacheOf(api);
  const done = (list: OutcomeView[]) => {
    c.list = list;
    c.loadedAt = Date.now();
    c.listeners.forEach((l) => l());
  };
  if (fresh) {
    done(fresh);
    return Promise.resolve();
  }
  c.loading ??= api
    .call('outcomes.list', {})
    .then((r) => done(r.outcomes), () => {})
    .finally(() => (c.loading = null));
  return c.loading;
}

export interface Outcomes {
  /** Every code the agency has (disabled ones too: past entries use them); empty until loaded. */
  all: OutcomeView[];
  name: (code: string) => string;
  connected: (code: string) => boolean;
}

export function useOutcomes(): Outcomes {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const c = cacheOf(api);
  const [, rerender] = useState(0);
  useEffect(() => {
    const listener = () => rerender((n) => n + 1);
    c.listeners.add(listener);
    if (Date.now() - c.loadedAt > STALE_MS) void reloadOutcomes(api);
    return () => void c.listeners.delete(listener);
  }, [api, c]);
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const all = c.list ?? [];
  const name = useCallback(
    (code: string) => all.find((o) => o.code === code)?.labels[lang] ?? t(`casework.outcomes.${code}`, { defaultValue: code }),
    [all, lang, t],
  );
  const connected = useCallback((code: string) => all.find((o) => o.code === code)?.class === 'connected', [all]);
  return { all, name, connected };
}
