// The manager's home figures (home.summary), fetched once for the whole frame: the home page shows them as
// cards and the navigation as badges. Asked on load, every minute, and whenever the user moves between
// sections (so a plan approved on Plans is gone from the badge and the card on the way back home).
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { Api } from '../api/client.js';
import type { HomeSummary } from '../../shared/contract/home.js';

export const HOME_REFRESH_MS = 60_000;

export interface HomeSummaryState {
  summary: HomeSummary | null;
  error: unknown;
  refresh: () => void;
}

export const HomeSummaryContext = createContext<HomeSummaryState>({ summary: null, error: null, refresh: () => {} });

export function useHomeSummary(): HomeSummaryState {
  return useContext(HomeSummaryContext);
}

/** Keeps home.summary fresh while `enabled` (users without dashboard.read get nothing and ask nothing). */
export function useHomeSummarySource(api: Api, enabled: boolean, visitKey: unknown): HomeSummaryState {
  const [summary, setSummary] = useState<HomeSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = useCallback(() => {
    if (!enabled) return;
    api.call('home.summary', {}).then(
      (s) => {
        setSummary(s);
        setError(null);
      },
      (e: unknown) => setError(e),
    );
  }, [api, enabled]);
  useEffect(() => {
    refresh();
  }, [refresh, visitKey]);
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, HOME_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh, enabled]);
  return { summary, error, refresh };
}
