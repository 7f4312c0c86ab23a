// Restore (admins, on the Backups page): a backup file into a NEW folder on the machine the backend runs on —
// the store in use is never overwritten — checked with a password valid at backup time (or the recovery key),
// then how to open it. The unpacking and checks run in the backend's backup worker (backup.restore).
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi, useSession } from '../context.js';
import { describeError } from '../errors.js';
import type { MethodOutput } from '../../shared/contract/registry.js';

type Restored = MethodOutput<'backup.restore'>;

/** A new folder beside the store: `<store>-restored-YYYYMMDD-HHMM`. */
function suggestTarget(storeDir: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${storeDir.replace(/[\\/]+$/, '')}-restored-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

export function RestorePanel({ storeDir }: { storeDir: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const [files, setFiles] = useState<MethodOutput<'backup.list'>['files']>([]);
  const [form, setForm] = useState({ file: '', target: suggestTarget(storeDir), username: session.user.username, password: '', recoveryKey: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ cause: unknown } | null>(null);
  const [done, setDone] = useState<Restored | null>(null);

  useEffect(() => {
    api.call('backup.list', {}).then(
      (r) => {
        setFiles(r.files);
        if (r.files[0]) setForm((f) => (f.file ? f : { ...f, file: r.files[0]!.file }));
      },
      (e: unknown) => setError({ cause: e }),
    );
  }, [api]);

  async function restore(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const cred = form.recoveryKey.trim() ? { recoveryKey: form.recoveryKey.trim() } : { username: form.username.trim(), password: form.password };
      setDone(await api.call('backup.restore', { file: form.file.trim(), target: form.target.trim(), ...cred }));
      setForm((f) => ({ ...f, password: '', recoveryKey: '' }));
    } catch (err) {
      setError({ cause: err });
    } finally {
      setBusy(false);
    }
  }

  const m = done?.manifest;
  return (
    <Card variant="outlined" data-testid="restore-panel">
      <CardContent component="form" onSubmit={(e: FormEvent) => void restore(e)}>
        <Typography sx={{ fontWeight: 600, mb: 1 }}>{t('backup.restoreTitle')}</Typography>
        <Typography sx={{ color: 'text.secondary', mb: 2 }}>{t('backup.restoreHelp')}</Typography>
        {files.length ? (
          <TextField select fullWidth size="small" label={t('backup.restorePick')} value={files.some((f) => f.file === form.file) ? form.file : ''} onChange={(e) => setForm({ ...form, file: e.target.value })} sx={{ mb: 2 }}>
            {files.map((f) => (
              <MenuItem key={f.file} value={f.file}>
                {new Date(f.at).toLocaleString()} — {f.name} ({(f.bytes / 2 ** 20).toFixed(1)} MB)
              </MenuItem>
            ))}
          </TextField>
        ) : (
          <Typography sx={{ color: 'text.secondary', mb: 1 }}>{t('backup.restorePickNone')}</Typography>
        )}
        <TextField fullWidth size="small" required label={t('backup.restoreFile', { where: t('backup.thisMachine') })} value={form.file} onChange={(e) => setForm({ ...form, file: e.target.value })} slotProps={{ htmlInput: { 'data-testid': 'restore-file' } }} sx={{ mb: 2 }} />
        <TextField fullWidth size="small" required label={t('backup.restoreTarget')} value={form.target} onChange={(e) => setForm({ ...form, target: e.target.value })} slotProps={{ htmlInput: { 'data-testid': 'restore-target' } }} sx={{ mb: 2 }} />
        <TextField size="small" label={t('backup.restoreUser')} value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} sx={{ mb: 2, mr: 2 }} />
        <TextField size="small" type="password" autoComplete="current-password" label={t('backup.restorePassword')} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} slotProps={{ htmlInput: { 'data-testid': 'restore-password' } }} sx={{ mb: 2, minWidth: 320 }} />
        <TextField fullWidth size="small" type="password" autoComplete="off" label={t('backup.restoreRecovery')} value={form.recoveryKey} onChange={(e) => setForm({ ...form, recoveryKey: e.target.value })} sx={{ mb: 2 }} />
        <Button type="submit" variant="contained" disabled={busy || !form.file.trim() || !form.target.trim() || (!form.password && !form.recoveryKey.trim())} data-testid="restore-run">
          {busy ? t('backup.restoring') : t('backup.restoreRun')}
        </Button>
        {error ? (
          <Alert severity="error" sx={{ mt: 2 }}>
            {describeError(t, error.cause)}
          </Alert>
        ) : null}
        {done && m ? (
          <Alert severity="success" sx={{ mt: 2, overflowWrap: 'anywhere' }} data-testid="restore-done">
            <Typography sx={{ fontWeight: 600 }}>{t('backup.restoredTitle', { dir: done.store })}</Typography>
            <Typography>{t('backup.restoredDetail', { at: new Date(m.createdAt).toLocaleString(), cases: m.counts.cases, payments: m.counts.payments, seq: m.auditHead.seq })}</Typography>
            <Typography sx={{ mt: 1 }}>{t('backup.restoredOpen', { dir: done.store })}</Typography>
          </Alert>
        ) : null}
      </CardContent>
    </Card>
  );
}
