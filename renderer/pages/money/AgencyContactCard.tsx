// The agency's hotline and payment account (settings.get / settings.update): what templates give borrowers
// as {{agencyHotline}} and {{paymentAccount}} unless the lender has its own (Lenders → money settings).
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi, useSession } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';

export function AgencyContactCard() {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const { session } = useSession();
  const canEdit = session.permissions.includes('settings.manage');
  const [v, setV] = useState<{ agencyHotline: string; paymentAccount: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.call('settings.get', {}).then((s) => setV({ agencyHotline: s.agencyHotline, paymentAccount: s.paymentAccount }), setError);
  }, [api]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      const s = await api.call('settings.update', { agencyHotline: v.agencyHotline.trim(), paymentAccount: v.paymentAccount.trim() });
      setV({ agencyHotline: s.agencyHotline, paymentAccount: s.paymentAccount });
      notify(t('money.agencyContact.saved'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card variant="outlined" sx={{ mt: 2 }}>
      <CardContent>
        <Typography variant="subtitle1" sx={{ fontWeight: 700 }}>
          {t('money.agencyContact.title')}
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1.5 }}>
          {t('money.agencyContact.help', { agencyHotline: '{{agencyHotline}}', paymentAccount: '{{paymentAccount}}', interpolation: { escapeValue: false } })}
        </Typography>
        <Box component="form" onSubmit={save} noValidate sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <TextField label={t('money.terms.hotline')} value={v?.agencyHotline ?? ''} onChange={(e) => v && setV({ ...v, agencyHotline: e.target.value })} disabled={!v || busy || !canEdit} sx={{ flex: '1 1 200px' }} slotProps={{ htmlInput: { maxLength: 60, 'data-testid': 'settings-agency-hotline' } }} />
          <TextField label={t('money.terms.paymentAccount')} value={v?.paymentAccount ?? ''} onChange={(e) => v && setV({ ...v, paymentAccount: e.target.value })} disabled={!v || busy || !canEdit} sx={{ flex: '2 1 280px' }} slotProps={{ htmlInput: { maxLength: 200, 'data-testid': 'settings-payment-account' } }} />
          {canEdit ? (
            <Button type="submit" variant="contained" disabled={!v || busy} sx={{ mt: 1 }} data-testid="settings-contact-save">
              {t('common.save')}
            </Button>
          ) : null}
        </Box>
        {error ? (
          <Alert severity="error" sx={{ mt: 2 }}>
            {describeError(t, error)}
          </Alert>
        ) : null}
      </CardContent>
    </Card>
  );
}
