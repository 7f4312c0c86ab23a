// The placement-end warning (settings termEndWarnDays): the manager's home counts open cases whose
// placement ends (委案到期日) within this many days.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import TextField from '@mui/material/TextField';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { settingsSchema } from '../../../shared/contract/models.js';

export function TermEndSettingCard() {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [days, setDays] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.call('settings.get', {}).then(
      (s) => setDays(String(s.termEndWarnDays)),
      (e: unknown) => setError(e),
    );
  }, [api]);
  const parsed = days !== null && /^\d+$/.test(days.trim()) ? settingsSchema.shape.termEndWarnDays.safeParse(Number(days)) : null;
  const invalid = days !== null && !parsed?.success;
  async function save(e: FormEvent) {
    e.preventDefault();
    if (!parsed?.success) return;
    try {
      const s = await api.call('settings.update', { termEndWarnDays: parsed.data });
      setDays(String(s.termEndWarnDays));
      notify(t('settings.saved'));
    } catch (err) {
      setError(err);
    }
  }
  return (
    <Card variant="outlined" sx={{ mt: 2 }}>
      <CardContent>
        {error ? <Alert severity="error" sx={{ mb: 1 }}>{describeError(t, error)}</Alert> : null}
        <Box component="form" onSubmit={save} noValidate sx={{ display: 'flex', gap: 2, alignItems: 'flex-start', flexWrap: 'wrap' }}>
          <TextField
            label={t('targets.termEndDays')}
            value={days ?? ''}
            onChange={(e) => setDays(e.target.value)}
            error={invalid}
            helperText={invalid ? t('targets.termEndDaysInvalid') : t('targets.termEndDaysHelp')}
            disabled={days === null}
            sx={{ flex: '1 1 320px' }}
            slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'settings-term-end-days' } }}
          />
          <Button type="submit" variant="contained" disabled={invalid || days === null} sx={{ mt: 1 }} data-testid="settings-term-end-save">
            {t('common.save')}
          </Button>
        </Box>
      </CardContent>
    </Card>
  );
}
