// After the audit anchor reported a rolled-back or rewritten store: an admin accepts the store as it is, with a
// reason (audited; the finding stays in the audit log). Until then the anchor is left as evidence and check fails.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import { useApi } from '../context.js';
import { describeError } from '../errors.js';

export function AcceptAnchor({ onAccepted }: { onAccepted: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ cause: unknown } | null>(null);
  async function accept() {
    setBusy(true);
    setError(null);
    try {
      await api.call('audit.acceptAnchor', { reason });
      onAccepted();
    } catch (e) {
      setError({ cause: e });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap', pl: 4.5, pb: 1 }} data-testid="system-check-accept-anchor">
      <TextField size="small" sx={{ flex: 1, minWidth: 260 }} label={t('system.acceptReason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      <Button variant="outlined" color="warning" disabled={busy || reason.trim().length < 5} onClick={() => void accept()}>
        {t('system.accept')}
      </Button>
      {error ? <Alert severity="error">{describeError(t, error.cause)}</Alert> : null}
    </Box>
  );
}
