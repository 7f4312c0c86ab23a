// First run: the agency and its administrator.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { AuthLayout } from '../components/AuthLayout.js';
import { OfficeServerLink } from './OfficeServer.js';
import { PasswordField } from '../components/PasswordField.js';
import { useApi } from '../context.js';
import { describeError } from '../errors.js';
import { checkConfirm, checkDisplayName, checkName, checkPassword, checkUsername, hasErrors } from '../validation.js';
import type { MethodOutput } from '../../shared/contract/registry.js';

type Field = 'agencyName' | 'username' | 'displayName' | 'password' | 'confirm';

export function SetupScreen({ onDone }: { onDone: (result: MethodOutput<'system.setup'>, agencyName: string) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [values, setValues] = useState<Record<Field, string>>({ agencyName: '', username: 'admin', displayName: '', password: '', confirm: '' });
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const errors: Record<Field, string | undefined> = {
    agencyName: checkName(t, values.agencyName, 120),
    username: checkUsername(t, values.username),
    displayName: checkDisplayName(t, values.displayName),
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
      const agencyName = values.agencyName.trim();
      const result = await api.call('system.setup', {
        agencyName,
        admin: { username: values.username, displayName: values.displayName, password: values.password },
      });
      onDone(result, agencyName);
    } catch (err) {
      setError(describeError(t, err));
      setBusy(false);
    }
  }

  return (
    <AuthLayout title={t('setup.title')} width={520} testId="setup-screen">
      <Typography sx={{ mb: 3, color: 'text.secondary' }}>{t('setup.intro')}</Typography>
      <form onSubmit={submit} noValidate>
        <Stack spacing={1}>
          <TextField label={t('setup.agencyName')} autoFocus slotProps={{ htmlInput: { 'data-testid': 'setup-agency-name', maxLength: 120 } }} {...field('agencyName')} />
          <Typography variant="subtitle2" component="h2" sx={{ pt: 1 }}>
            {t('setup.adminSection')}
          </Typography>
          <TextField label={t('setup.adminUsername')} autoComplete="username" slotProps={{ htmlInput: { 'data-testid': 'setup-username', autoCapitalize: 'none' } }} {...field('username')} />
          <TextField label={t('fields.displayName')} slotProps={{ htmlInput: { 'data-testid': 'setup-display-name', maxLength: 80 } }} {...field('displayName')} />
          <PasswordField label={t('fields.password')} slotProps={{ htmlInput: { 'data-testid': 'setup-password' } }} {...field('password')} />
          <PasswordField label={t('fields.confirmPassword')} slotProps={{ htmlInput: { 'data-testid': 'setup-confirm' } }} {...field('confirm')} />
          {error ? (
            <Alert severity="error" data-testid="setup-error">
              {error}
            </Alert>
          ) : null}
          <Button type="submit" variant="contained" size="large" disabled={busy} data-testid="setup-submit">
            {busy ? t('setup.working') : t('setup.submit')}
          </Button>
          {/* A desk that joins an office does not set up a store of its own. */}
          <OfficeServerLink />
        </Stack>
      </form>
    </AuthLayout>
  );
}
