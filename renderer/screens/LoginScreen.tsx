import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { AuthLayout } from '../components/AuthLayout.js';
import { PasswordField } from '../components/PasswordField.js';
import { useApi } from '../context.js';
import { describeError } from '../errors.js';
import { ApiCallError } from '../api/client.js';
import type { Session } from '../../shared/contract/models.js';
import { OfficeServerLink } from './OfficeServer.js';

export type LoginNotice = 'lockedIdle' | 'sessionLost' | 'loggedOut';

export function LoginScreen({
  agencyName,
  notice,
  lockedUser = null,
  onForgetUser,
  onLogin,
  onRecover,
}: {
  agencyName: string | null;
  notice: LoginNotice | null;
  /** After an idle lock: who was working (the name stays filled in; only the password is asked). */
  lockedUser?: string | null;
  onForgetUser?: () => void;
  onLogin: (s: Session) => void;
  onRecover: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [username, setUsername] = useState(lockedUser ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ cause: unknown } | null>(null);
  // After a lockout (or a failure that starts one) the button waits, with a live countdown.
  const [retryAt, setRetryAt] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const waitSeconds = Math.max(0, Math.ceil((retryAt - now) / 1000));
  useEffect(() => {
    if (retryAt <= Date.now()) return;
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= retryAt) window.clearInterval(timer);
    }, 250);
    return () => window.clearInterval(timer);
  }, [retryAt]);
  const error = failure
    ? failure.cause instanceof ApiCallError && failure.cause.retryAfterSeconds !== undefined
      ? waitSeconds > 0
        ? describeError(t, failure.cause, 'login', waitSeconds)
        : failure.cause.code === 'LOCKED_OUT'
          ? t('login.tryAgainNow')
          : t('errors.WRONG_PASSWORD')
      : describeError(t, failure.cause, 'login')
    : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setFailure({ cause: new Error(t('validation.required')) });
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const session = await api.call('auth.login', { username, password });
      onLogin(session);
    } catch (err) {
      setFailure({ cause: err });
      if (err instanceof ApiCallError && err.retryAfterSeconds) {
        setRetryAt(Date.now() + err.retryAfterSeconds * 1000);
        setNow(Date.now());
      }
      setPassword('');
      setBusy(false);
    }
  }

  return (
    <AuthLayout title={t('login.title')} subtitle={agencyName} testId="login-screen">
      <form onSubmit={submit} noValidate>
        <Stack spacing={2}>
          {notice && !error ? (
            <Alert severity={notice === 'loggedOut' ? 'info' : 'warning'} data-testid="login-notice">
              {t(`login.${notice}`)}
            </Alert>
          ) : null}
          <TextField
            label={t('fields.username')}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            autoFocus={!lockedUser}
            fullWidth
            disabled={busy}
            slotProps={{ htmlInput: { 'data-testid': 'login-username', autoCapitalize: 'none' } }}
          />
          <PasswordField
            label={t('fields.password')}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            autoFocus={Boolean(lockedUser)}
            disabled={busy}
            slotProps={{ htmlInput: { 'data-testid': 'login-password' } }}
          />
          {error ? (
            <Alert severity="error" data-testid="login-error">
              {error}
            </Alert>
          ) : null}
          <Button type="submit" variant="contained" size="large" disabled={busy || waitSeconds > 0} data-testid="login-submit">
            {t('login.submit')}
          </Button>
          {lockedUser && onForgetUser ? (
            <Link component="button" type="button" variant="body2" onClick={onForgetUser} data-testid="login-switch-user" sx={{ alignSelf: 'flex-start' }}>
              {t('workday.lock.switchUser', { name: lockedUser })}
            </Link>
          ) : null}
          <Link component="button" type="button" variant="body2" onClick={onRecover} data-testid="login-forgot" sx={{ alignSelf: 'flex-start' }}>
            {t('login.forgot')}
          </Link>
          <OfficeServerLink />
        </Stack>
      </form>
    </AuthLayout>
  );
}
