// The System page's "Serve this store to the office" (admins): in the desktop app on its own store, start the
// team server over this computer's backend, see the addresses and certificate fingerprint to give the desks
// and how many are connected, and stop. Elsewhere (web host, team server, a desk in office mode) the backend
// answers `available: false` and the panel says where serving is started instead.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '../context.js';
import { describeError } from '../errors.js';
import type { ServeStatus } from '../../shared/contract/serve.js';

const mono = { fontFamily: 'monospace', overflowWrap: 'anywhere' } as const;

export function ServePanel() {
  const { t } = useTranslation();
  const api = useApi();
  const [st, setSt] = useState<ServeStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [host, setHost] = useState('0.0.0.0');
  const [port, setPort] = useState('8443');
  const [autoStart, setAutoStart] = useState(false);

  const load = useCallback(
    (first = false) =>
      api.call('serve.status', {}).then(
        (s) => {
          setSt(s);
          if (first && s.lastListen) {
            setHost(s.lastListen.host);
            setPort(String(s.lastListen.port || 8443));
          }
          if (first) setAutoStart(s.autoStart);
        },
        (e: unknown) => setError(e),
      ),
    [api],
  );
  useEffect(() => void load(true), [load]);
  // While serving, the count of connected desks follows along.
  useEffect(() => {
    if (!st?.serving) return;
    const timer = setInterval(() => void load(), 10_000);
    return () => clearInterval(timer);
  }, [st?.serving, load]);

  async function act(what: 'start' | 'stop') {
    if (what === 'stop' && st && !window.confirm(t('serve.stopConfirm', { count: st.connected }))) return;
    setBusy(true);
    setError(null);
    try {
      setSt(what === 'start' ? await api.call('serve.start', { host: host.trim(), port: Number(port), autoStart }) : await api.call('serve.stop', {}));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (!st && !error) return null;
  const portOk = /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
  return (
    <Card variant="outlined" sx={{ mt: 3 }} data-testid="serve-panel">
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
          {t('serve.title')}
        </Typography>
        {error ? (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="serve-error">
            {describeError(t, error)}
          </Alert>
        ) : null}
        {st && !st.available ? (
          <Alert severity="info" data-testid="serve-unavailable">
            {t('serve.onlyDesktop')}
          </Alert>
        ) : null}
        {st?.available && !st.serving ? (
          <>
            <Typography sx={{ color: 'text.secondary', mb: 2 }}>{t('serve.intro')}</Typography>
            <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}>
              <TextField size="small" label={t('serve.host')} helperText={t('serve.hostHelp')} value={host} onChange={(e) => setHost(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'serve-host', spellCheck: false } }} />
              <TextField size="small" label={t('serve.port')} value={port} onChange={(e) => setPort(e.target.value)} error={!portOk} sx={{ width: 110 }} slotProps={{ htmlInput: { 'data-testid': 'serve-port', inputMode: 'numeric' } }} />
              <Button variant="contained" onClick={() => void act('start')} disabled={busy || !portOk || !host.trim()} data-testid="serve-start">
                {t('serve.start')}
              </Button>
            </Box>
            <FormControlLabel control={<Checkbox checked={autoStart} onChange={(e) => setAutoStart(e.target.checked)} data-testid="serve-autostart" />} label={t('serve.autoStart')} />
          </>
        ) : null}
        {st?.serving ? (
          <Box data-testid="serve-running">
            <Alert severity="success" sx={{ mb: 2 }}>
              {t('serve.serving', { since: st.since ? new Date(st.since).toLocaleString() : '', by: st.startedBy ?? '' })}
            </Alert>
            <Typography>{t('serve.urls')}</Typography>
            <Box component="ul" sx={{ mt: 0.5, mb: 1.5 }}>
              {st.urls.map((u) => (
                <li key={u} style={mono} data-testid="serve-url">
                  {u}
                </li>
              ))}
            </Box>
            <Typography>{t('serve.fingerprint')}</Typography>
            <Typography sx={{ ...mono, mb: 1 }} data-testid="serve-fingerprint">
              {st.fingerprint}
            </Typography>
            {st.certPath ? <Typography sx={{ color: 'text.secondary', overflowWrap: 'anywhere', mb: 1 }}>{t('serve.certPath', { path: st.certPath })}</Typography> : null}
            <Typography sx={{ mb: 2 }} data-testid="serve-connected">
              {t('serve.connected', { count: st.connected })}
            </Typography>
            <Button variant="outlined" color="error" onClick={() => void act('stop')} disabled={busy} data-testid="serve-stop">
              {t('serve.stop')}
            </Button>
          </Box>
        ) : null}
      </CardContent>
    </Card>
  );
}
