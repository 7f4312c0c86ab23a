import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CircularProgress from '@mui/material/CircularProgress';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi, useSession } from '../context.js';
import { useNotify } from '../components/Notifier.js';
import { describeError } from '../errors.js';
import { settingsSchema } from '../../shared/contract/models.js';
import { AgencyContactCard } from './money/AgencyContactCard.js';
import { TermEndSettingCard } from './home/TermEndSettingCard.js';

export function SettingsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const { session, updateSession } = useSession();
  const [minutes, setMinutes] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ cause: unknown } | null>(null);

  useEffect(() => {
    let live = true;
    api.call('settings.get', {}).then(
      (s) => live && setMinutes(String(s.idleLockMinutes)),
      (e: unknown) => live && setError({ cause: e }),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const parsed = minutes !== null && /^\d+$/.test(minutes.trim()) ? settingsSchema.shape.idleLockMinutes.safeParse(Number(minutes)) : null;
  const invalid = minutes !== null && !parsed?.success;

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!parsed?.success) return;
    setBusy(true);
    setError(null);
    try {
      const s = await api.call('settings.update', { idleLockMinutes: parsed.data });
      setMinutes(String(s.idleLockMinutes));
      updateSession({ ...session, idleLockMinutes: s.idleLockMinutes });
      notify(t('settings.saved'));
    } catch (err) {
      setError({ cause: err });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box sx={{ maxWidth: 640 }}>
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {t('settings.title')}
      </Typography>
      <Card variant="outlined">
        <CardContent>
          {minutes === null && !error ? (
            <CircularProgress size={24} />
          ) : (
            <Box component="form" onSubmit={save} noValidate sx={{ display: 'flex', gap: 2, alignItems: 'flex-start', flexWrap: 'wrap' }}>
              <TextField
                label={t('settings.idleLock')}
                value={minutes ?? ''}
                onChange={(e) => setMinutes(e.target.value)}
                error={invalid}
                helperText={invalid ? t('settings.idleLockInvalid') : t('settings.idleLockHelp')}
                disabled={busy || minutes === null}
                sx={{ flex: '1 1 320px' }}
                slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'settings-idle-minutes' } }}
              />
              <Button type="submit" variant="contained" disabled={busy || invalid || minutes === null} sx={{ mt: 1 }} data-testid="settings-save">
                {t('common.save')}
              </Button>
            </Box>
          )}
          {error ? (
            <Alert severity="error" sx={{ mt: 2 }}>
              {describeError(t, error.cause)}
            </Alert>
          ) : null}
        </CardContent>
      </Card>
      <AgencyContactCard />
      <TermEndSettingCard />
    </Box>
  );
}
