// Recovery: the recovery key opens the store and sets a new password for one active user.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { AuthLayout } from '../components/AuthLayout.js';
import { PasswordField } from '../components/PasswordField.js';
import { useApi } from '../context.js';
import { describeError } from '../errors.js';
import { checkConfirm, checkPassword, checkRecoveryKey, checkUsername, hasErrors } from '../validation.js';
import type { Session } from '../../shared/contract/models.js';

type Field = 'recoveryKey' | 'username' | 'password' | 'confirm';

export function RecoverScreen({ agencyName, onDone, onBack }: { agencyName: string | null; onDone: (s: Session) => void; onBack: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [values, setValues] = useState<Record<Field, string>>({ recoveryKey: '', username: '', password: '', confirm: '' });
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const errors: Record<Field, string | undefined> = {
    recoveryKey: checkRecoveryKey(t, values.recoveryKey),
    username: checkUsername(t, values.username),
    password: checkPassword(t, values.password),
    confirm: checkConfirm(t, values.password, values.confirm),
  };
  const show = (f: Field) => (touched ? errors[f] : undefined);
  const field = (f: Field) => ({
    value: values[f],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [f]: e.target.value })),
    error: Boolean(show(f)),
    helperText: show(f) ?? ' ',
    fullWidth: true,
    disabled: busy,
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (hasErrors(errors)) return;
    setBusy(true);
    setError(null);
    try {
      const session = await api.call('auth.recover', { recoveryKey: values.recoveryKey.trim(), username: values.username, newPassword: values.password });
      onDone(session);
    } catch (err) {
      setError(describeError(t, err, 'login'));
      setBusy(false);
    }
  }

  return (
    <AuthLayout title={t('recover.title')} subtitle={agencyName} width={560} testId="recover-screen">
      <Typography sx={{ mb: 3, color: 'text.secondary' }}>{t('recover.intro')}</Typography>
      <form onSubmit={submit} noValidate>
        <Stack spacing={1}>
          <TextField
            label={t('recover.recoveryKey')}
            autoFocus
            multiline
            minRows={2}
            slotProps={{ htmlInput: { 'data-testid': 'recover-key', spellCheck: false, autoCapitalize: 'characters', style: { fontFamily: 'monospace' } } }}
            {...field('recoveryKey')}
          />
          <TextField label={t('fields.username')} autoComplete="username" slotProps={{ htmlInput: { 'data-testid': 'recover-username', autoCapitalize: 'none' } }} {...field('username')} />
          <PasswordField label={t('fields.newPassword')} slotProps={{ htmlInput: { 'data-testid': 'recover-password' } }} {...field('password')} />
          <PasswordField label={t('fields.confirmPassword')} slotProps={{ htmlInput: { 'data-testid': 'recover-confirm' } }} {...field('confirm')} />
          {error ? (
            <Alert severity="error" data-testid="recover-error">
              {error}
            </Alert>
          ) : null}
          <Button type="submit" variant="contained" size="large" disabled={busy} data-testid="recover-submit">
            {t('recover.submit')}
          </Button>
          <Button type="button" onClick={onBack} disabled={busy} data-testid="recover-back">
            {t('recover.back')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
