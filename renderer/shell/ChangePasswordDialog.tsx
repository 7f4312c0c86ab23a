import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import { PasswordField } from '../components/PasswordField.js';
import { useNotify } from '../components/Notifier.js';
import { useApi } from '../context.js';
import { describeError } from '../errors.js';
import { checkConfirm, checkPassword, hasErrors } from '../validation.js';

export function ChangePasswordDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const errors = {
    current: current ? undefined : t('validation.required'),
    next: checkPassword(t, next),
    confirm: checkConfirm(t, next, confirm),
  };
  const show = (k: keyof typeof errors) => (touched ? errors[k] : undefined);

  function reset() {
    setCurrent('');
    setNext('');
    setConfirm('');
    setTouched(false);
    setError(null);
    setBusy(false);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (hasErrors(errors)) return;
    setBusy(true);
    setError(null);
    try {
      await api.call('auth.changePassword', { currentPassword: current, newPassword: next });
      notify(t('shell.passwordChanged'));
      reset();
      onClose();
    } catch (err) {
      setError(describeError(t, err, 'changePassword'));
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={open}
      onClose={() => {
        if (!busy) {
          reset();
          onClose();
        }
      }}
      fullWidth
      maxWidth="xs"
      slotProps={{ paper: { component: 'form', onSubmit: submit, noValidate: true, 'data-testid': 'change-password-dialog' } as object }}
    >
      <DialogTitle>{t('shell.changePassword')}</DialogTitle>
      <DialogContent>
        <Stack spacing={1} sx={{ pt: 1 }}>
          <PasswordField label={t('fields.currentPassword')} autoComplete="current-password" autoFocus value={current} onChange={(e) => setCurrent(e.target.value)} error={Boolean(show('current'))} helperText={show('current') ?? ' '} disabled={busy} slotProps={{ htmlInput: { 'data-testid': 'cp-current' } }} />
          <PasswordField label={t('fields.newPassword')} value={next} onChange={(e) => setNext(e.target.value)} error={Boolean(show('next'))} helperText={show('next') ?? ' '} disabled={busy} slotProps={{ htmlInput: { 'data-testid': 'cp-new' } }} />
          <PasswordField label={t('fields.confirmPassword')} value={confirm} onChange={(e) => setConfirm(e.target.value)} error={Boolean(show('confirm'))} helperText={show('confirm') ?? ' '} disabled={busy} slotProps={{ htmlInput: { 'data-testid': 'cp-confirm' } }} />
          {error ? <Alert severity="error">{error}</Alert> : null}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button
          onClick={() => {
            reset();
            onClose();
          }}
          disabled={busy}
        >
          {t('common.cancel')}
        </Button>
        <Button type="submit" variant="contained" disabled={busy} data-testid="cp-submit">
          {t('common.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
