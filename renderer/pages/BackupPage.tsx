// Backups (admins): the last good backup, run one now, the schedule and rotation, where the store sits, and how
// restore one into a new folder (RestorePanel: the running store is never overwritten).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '../context.js';
import { useNotify } from '../components/Notifier.js';
import { describeError } from '../errors.js';
import { RestorePanel } from './RestorePanel.js';
import type { MethodOutput } from '../../shared/contract/registry.js';

type Status = MethodOutput<'backup.status'>;

export function BackupPage() {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [status, setStatus] = useState<Status | null>(null);
  const [form, setForm] = useState({ folder: '', everyHours: '24', keepDaily: '7', keepWeekly: '4' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ cause: unknown } | null>(null);

  const load = useCallback(async () => {
    const s = await api.call('backup.status', {});
    setStatus(s);
    return s;
  }, [api]);

  useEffect(() => {
    load().then(
      (s) => setForm({ folder: s.settings.folder ?? '', everyHours: String(s.settings.everyHours), keepDaily: String(s.settings.keepDaily), keepWeekly: String(s.settings.keepWeekly) }),
      (e: unknown) => setError({ cause: e }),
    );
  }, [load]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api.call('backup.configure', { folder: form.folder.trim() || null, everyHours: Number(form.everyHours), keepDaily: Number(form.keepDaily), keepWeekly: Number(form.keepWeekly) });
      notify(t('backup.saved'));
      await load();
    } catch (err) {
      setError({ cause: err });
    }
  }

  async function runNow() {
    setBusy(true);
    setError(null);
    try {
      const r = await api.call('backup.run', form.folder.trim() ? { folder: form.folder.trim() } : {});
      notify(t('backup.done', { file: r.file }));
      await load();
    } catch (err) {
      setError({ cause: err });
    } finally {
      setBusy(false);
    }
  }

  const good = status?.lastGood;
  const last = status?.lastRun;
  return (
    <Box sx={{ maxWidth: 820 }} data-testid="backup-page">
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        {t('backup.title')}
      </Typography>
      <Typography sx={{ color: 'text.secondary', mb: 2 }}>{t('backup.intro')}</Typography>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error.cause)}
        </Alert>
      ) : null}
      {status ? (
        <Card variant="outlined" sx={{ mb: 2 }}>
          <CardContent>
            <Typography sx={{ fontWeight: 600 }}>{t('backup.lastGood')}</Typography>
            <Typography data-testid="backup-last-good" sx={{ overflowWrap: 'anywhere' }}>
              {good ? t('backup.lastGoodValue', { at: new Date(good.at).toLocaleString(), file: good.file, mb: ((good.bytes ?? 0) / 2 ** 20).toFixed(1), seconds: good.seconds.toFixed(1) }) : t('backup.never')}
            </Typography>
            {last && !last.ok ? <Alert severity="error" sx={{ mt: 1 }}>{t('backup.lastFailed', { at: new Date(last.at).toLocaleString(), error: last.error ?? '' })}</Alert> : null}
            {status.stale ? <Alert severity="warning" sx={{ mt: 1 }}>{t('backup.stale')}</Alert> : null}
            {status.storeWarnings.length ? <Alert severity="warning" sx={{ mt: 1 }}>{t('backup.storeWarning', { what: status.storeWarnings.join('; ') })}</Alert> : null}
            <Typography sx={{ color: 'text.secondary', mt: 1, overflowWrap: 'anywhere' }}>{t('backup.storeAt', { dir: status.storeDir })}</Typography>
          </CardContent>
        </Card>
      ) : null}
      <Card variant="outlined" sx={{ mb: 2 }}>
        <CardContent component="form" onSubmit={(e: FormEvent) => void save(e)}>
          <Typography sx={{ fontWeight: 600, mb: 1 }}>{t('backup.schedule')}</Typography>
          <TextField fullWidth size="small" label={t('backup.folder')} helperText={t('backup.folderHelp')} value={form.folder} onChange={(e) => setForm({ ...form, folder: e.target.value })} slotProps={{ htmlInput: { 'data-testid': 'backup-folder' } }} sx={{ mb: 2 }} />
          <Box sx={{ display: 'flex', gap: 2, mb: 2 }}>
            <TextField size="small" type="number" label={t('backup.everyHours')} value={form.everyHours} onChange={(e) => setForm({ ...form, everyHours: e.target.value })} />
            <TextField size="small" type="number" label={t('backup.keepDaily')} value={form.keepDaily} onChange={(e) => setForm({ ...form, keepDaily: e.target.value })} />
            <TextField size="small" type="number" label={t('backup.keepWeekly')} value={form.keepWeekly} onChange={(e) => setForm({ ...form, keepWeekly: e.target.value })} />
          </Box>
          <Box sx={{ display: 'flex', gap: 1 }}>
            <Button type="submit" variant="outlined">
              {t('backup.saveSchedule')}
            </Button>
            <Button variant="contained" onClick={() => void runNow()} disabled={busy || status?.running === true} data-testid="backup-run">
              {busy ? t('backup.running') : t('backup.runNow')}
            </Button>
          </Box>
        </CardContent>
      </Card>
      {status ? <RestorePanel storeDir={status.storeDir} /> : null}
    </Box>
  );
}
