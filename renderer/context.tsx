// React contexts: the API client (everywhere) and the logged-in session (inside the app shell).
import { createContext, useContext } from 'react';
import type { Api } from './api/client.js';
import type { Session } from '../shared/contract/models.js';
import type { MethodOutput } from '../shared/contract/registry.js';

export type SystemStatus = MethodOutput<'system.status'>;

export const ApiContext = createContext<Api | null>(null);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}

export interface SessionState {
  session: Session;
  status: SystemStatus;
  /** Replaces the session record (e.g. after the idle-lock setting changed). */
  updateSession: (s: Session) => void;
  refreshStatus: () => void;
  logout: () => void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionContext');
  return s;
}
