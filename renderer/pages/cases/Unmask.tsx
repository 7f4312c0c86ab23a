// A masked value with an eye button beside it: asks why (a reason from the list, free text for "other"),
// asks the backend (cases.unmask: permission, open case, audited), shows the full value for a short time and
// masks it again. The button shows only where the same rule the backend applies would allow it.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import VisibilityIcon from '@mui/icons-material/Visibility';
import VisibilityOffIcon from '@mui/icons-material/VisibilityOff';
import { useApi, useSession } from '../../context.js';
import { describeError } from '../../errors.js';
import { ERASED_NAME, UNMASK_REASONS, UNMASK_SHOW_SECONDS, isPhoneField, unmaskRefusal, type UnmaskReason } from '../../../shared/domain/privacy.js';

export interface UnmaskCase {
  id: number;
  status: string;
  collectorId: number | null;
  borrowerName: string;
}

/** The field's name as the dialog says it. */
function fieldLabel(t: (k: string, o?: Record<string, unknown>) => string, field: string): string {
  const slot = /^contact([1-6])$/.exec(field);
  if (slot) return t('privacy.fields.contact', { slot: slot[1] });
  if (field.startsWith('extra:')) return field.slice(6);
  return t(`privacy.fields.${field}`);
}

export function Unmaskable({ c, field, value, testId }: { c: UnmaskCase; field: string; value: string | null; testId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState<UnmaskReason>(isPhoneField(field) ? 'dial' : 'verify_identity');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<{ value: string; left: number } | null>(null);

  // Counts down once a second and masks the value again at zero.
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setShown(shown.left <= 1 ? null : { ...shown, left: shown.left - 1 }), 1000);
    return () => clearTimeout(timer);
  }, [shown]);
  // Another case or field in the same place: nothing of the previous one stays on screen.
  useEffect(() => setShown(null), [c.id, field]);

  const allowed =
    value !== null && value !== '' && unmaskRefusal(field, { role: session.user.role, holds: c.collectorId === session.user.id, status: c.status, erased: c.borrowerName === ERASED_NAME }) === null;

  const submit = async () => {
    setBusy(true);
    try {
      const r = await api.call('cases.unmask', { caseId: c.id, field, reason, note: note.trim() });
      setShown({ value: r.value, left: r.showSeconds });
      setAsking(false);
      setNote('');
      setError(null);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.25, maxWidth: '100%' }}>
      <Box component="span" sx={{ overflow: 'hidden', textOverflow: 'ellipsis', fontWeight: shown ? 600 : undefined }} data-testid={testId}>
        {shown ? shown.value : (value ?? '—')}
      </Box>
      {shown ? (
        <Tooltip title={t('privacy.unmask.shownFor', { seconds: shown.left })}>
          <IconButton size="small" onClick={() => setShown(null)} aria-label={t('privacy.unmask.hide')} data-testid={`${testId}-hide`} sx={{ p: 0.25 }}>
            <VisibilityOffIcon sx={{ fontSize: 16 }} />
          </IconButton>
        </Tooltip>
      ) : allowed ? (
        <Tooltip title={t('privacy.unmask.button')}>
          <IconButton size="small" onClick={() => setAsking(true)} aria-label={t('privacy.unmask.button')} data-testid={`${testId}-unmask`} sx={{ p: 0.25 }}>
            <VisibilityIcon sx={{ fontSize: 16 }} />
          </IconButton>
        </Tooltip>
      ) : null}
      {shown ? (
        <Typography component="span" variant="caption" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }} data-testid={`${testId}-countdown`}>
          {t('privacy.unmask.shownFor', { seconds: shown.left })}
        </Typography>
      ) : null}
      <Dialog open={asking} onClose={() => setAsking(false)} maxWidth="xs" fullWidth data-testid="unmask-dialog">
        <DialogTitle>
          {t('privacy.unmask.title')} · {fieldLabel(t, field)}
        </DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
            {t('privacy.unmask.help', { seconds: UNMASK_SHOW_SECONDS })}
          </Typography>
          <TextField select fullWidth size="small" label={t('privacy.unmask.reason')} value={reason} onChange={(e) => setReason(e.target.value as UnmaskReason)} sx={{ mb: 2 }} slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'unmask-reason' } as object } }}>
            {UNMASK_REASONS.map((r) => (
              <MenuItem key={r} value={r} data-testid={`unmask-reason-${r}`}>
                {t(`privacy.reasons.${r}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            fullWidth
            size="small"
            multiline
            minRows={2}
            label={t('privacy.unmask.note')}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            helperText={reason === 'other' ? t('privacy.unmask.noteRequired') : ' '}
            slotProps={{ htmlInput: { maxLength: 500, 'data-testid': 'unmask-note' } }}
          />
          {error ? (
            <Alert severity="error" sx={{ mt: 1 }}>
              {describeError(t, error)}
            </Alert>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setAsking(false)}>{t('common.cancel')}</Button>
          <Button variant="contained" onClick={() => void submit()} disabled={busy || (reason === 'other' && note.trim().length < 2)} data-testid="unmask-submit">
            {t('privacy.unmask.show')}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}

