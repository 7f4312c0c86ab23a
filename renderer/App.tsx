// The screen flow: boot → setup → recovery key → shell, or boot → login (→ recover) → shell.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import { createApi, type Api } from './api/client.js';
import { forgetWebToken, type Transport } from './api/transport.js';
import { ApiContext, SessionContext, type SessionState, type SystemStatus } from './context.js';
import { describeError } from './errors.js';
import { BootScreen } from './screens/BootScreen.js';
import { SetupScreen } from './screens/SetupScreen.js';
import { RecoveryKeyScreen } from './screens/RecoveryKeyScreen.js';
import { LoginScreen, type LoginNotice } from './screens/LoginScreen.js';
import { RecoverScreen } from './screens/RecoverScreen.js';
import { NoTokenScreen } from './screens/NoTokenScreen.js';
import { AppShell, type ShellPlace } from './shell/AppShell.js';
import type { Session } from '../shared/contract/models.js';

/** How often the app asks whether an unreachable backend is back. */
const RETRY_REACH_MS = 3_000;

type Phase =
  | { kind: 'boot'; failure: { cause: unknown } | null }
  | { kind: 'setup' }
  | { kind: 'recoveryKey'; recoveryKey: string; session: Session }
  | { kind: 'login'; notice: LoginNotice | null }
  | { kind: 'recover' }
  | { kind: 'shell' }
  | { kind: 'tokenRejected' };

export function App({ transport }: { transport: Transport }) {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ kind: 'boot', failure: null });
  const [status, setStatus] = useState<SystemStatus | null>(null);
  const [session, setSessionState] = useState<Session | null>(null);
  // The token lives in memory only; the ref lets the API client read the current one.
  const sessionRef = useRef<Session | null>(null);
  // The idle lock is not a logout: it keeps who was working and where, so unlocking returns there (issue 18).
  const placeRef = useRef<ShellPlace | null>(null);
  const [resume, setResume] = useState<{ username: string; place: ShellPlace | null } | null>(null);
  const [startPlace, setStartPlace] = useState<ShellPlace | null>(null);

  // The backend could not be reached at the last call: a banner says so until a call gets through again.
  const [unreachable, setUnreachable] = useState(false);

  const setSession = useCallback((s: Session | null) => {
    sessionRef.current = s;
    setSessionState(s);
  }, []);

  const api: Api = useMemo(
    () =>
      createApi({
        transport,
        getSession: () => sessionRef.current?.token,
        onSessionLost: (code) => {
          if (!sessionRef.current) return;
          setResume(code === 'SESSION_EXPIRED' ? { username: sessionRef.current.user.username, place: placeRef.current } : null);
          sessionRef.current = null;
          setSessionState(null);
          setPhase({ kind: 'login', notice: code === 'SESSION_EXPIRED' ? 'lockedIdle' : 'sessionLost' });
        },
        onTokenRejected: () => {
          forgetWebToken();
          setPhase({ kind: 'tokenRejected' });
        },
        onReachable: (reachable) => setUnreachable(!reachable),
      }),
    [transport],
  );

  const boot = useCallback(async () => {
    setPhase({ kind: 'boot', failure: null });
    try {
      const s = await api.call('system.status', {});
      setStatus(s);
      setPhase(s.initialized ? { kind: 'login', notice: null } : { kind: 'setup' });
    } catch (e) {
      setPhase((p) => (p.kind === 'tokenRejected' ? p : { kind: 'boot', failure: { cause: e } }));
    }
  }, [api]);

  useEffect(() => {
    void boot();
  }, [boot]);

  // While the backend cannot be reached, ask every few seconds whether it is back (a public call, no session).
  useEffect(() => {
    if (!unreachable) return;
    // One ask at a time: through the desktop's office forwarder an ask itself retries for a while.
    let asking = false;
    const timer = setInterval(() => {
      if (asking) return;
      asking = true;
      void api
        .call('system.status', {})
        .catch(() => {})
        .finally(() => (asking = false));
    }, RETRY_REACH_MS);
    return () => clearInterval(timer);
  }, [api, unreachable]);

  const refreshStatus = useCallback(() => {
    api.call('system.status', {}).then(setStatus, () => {});
  }, [api]);

  const enterShell = useCallback(
    (s: Session) => {
      // The same user unlocking comes back to the screen the lock took them from (the page loads afresh).
      setStartPlace(resume && resume.username === s.user.username ? resume.place : null);
      setResume(null);
      setSession(s);
      setPhase({ kind: 'shell' });
      refreshStatus();
    },
    [refreshStatus, setSession, resume],
  );

  const endSession = useCallback(
    async (notice: LoginNotice) => {
      const had = sessionRef.current;
      setResume(notice === 'lockedIdle' && had ? { username: had.user.username, place: placeRef.current } : null);
      if (had) {
        try {
          await api.call('auth.logout', {});
        } catch {
          /* already gone: the backend forgets idle sessions on its own */
        }
      }
      setSession(null);
      setPhase({ kind: 'login', notice });
    },
    [api, setSession],
  );

  const sessionState: SessionState | null = useMemo(
    () =>
      session && status
        ? {
            session,
            status,
            updateSession: (s) => setSession(s),
            refreshStatus,
            logout: () => void endSession('loggedOut'),
          }
        : null,
    [session, status, setSession, refreshStatus, endSession],
  );

  const agencyName = status?.agencyName ?? null;
  let screen;
  switch (phase.kind) {
    case 'boot':
      screen = <BootScreen error={phase.failure ? describeError(t, phase.failure.cause) : null} onRetry={() => void boot()} />;
      break;
    case 'tokenRejected':
      screen = <NoTokenScreen rejected />;
      break;
    case 'setup':
      screen = (
        <SetupScreen
          onDone={(result, name) => {
            setStatus((s) => (s ? { ...s, initialized: true, unlocked: true, agencyName: name } : s));
            setSession(result.session);
            setPhase({ kind: 'recoveryKey', recoveryKey: result.recoveryKey, session: result.session });
          }}
        />
      );
      break;
    case 'recoveryKey':
      screen = <RecoveryKeyScreen recoveryKey={phase.recoveryKey} agencyName={agencyName ?? ''} onContinue={() => enterShell(phase.session)} />;
      break;
    case 'login':
      screen = (
        <LoginScreen
          key={resume?.username ?? ''}
          agencyName={agencyName}
          notice={phase.notice}
          lockedUser={resume?.username ?? null}
          onForgetUser={() => setResume(null)}
          onLogin={enterShell}
          onRecover={() => setPhase({ kind: 'recover' })}
        />
      );
      break;
    case 'recover':
      screen = <RecoverScreen agencyName={agencyName} onDone={enterShell} onBack={() => setPhase({ kind: 'login', notice: null })} />;
      break;
    case 'shell':
      screen = sessionState ? (
        <SessionContext.Provider value={sessionState}>
          <AppShell onIdle={() => void endSession('lockedIdle')} start={startPlace} onPlace={(p) => (placeRef.current = p)} />
        </SessionContext.Provider>
      ) : (
        <BootScreen error={null} onRetry={() => void boot()} />
      );
      break;
  }
  return (
    <ApiContext.Provider value={api}>
      {unreachable && phase.kind !== 'boot' && (
        <Alert severity="error" data-testid="server-unavailable" sx={{ position: 'fixed', top: 8, left: '50%', transform: 'translateX(-50%)', zIndex: 2000, maxWidth: 720, boxShadow: 3 }}>
          {t('shell.serverUnavailable')}
        </Alert>
      )}
      {screen}
    </ApiContext.Provider>
  );
}
