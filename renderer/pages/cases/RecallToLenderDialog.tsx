// "Recall to lender" (退案) for the cases picked on the Cases page: a reason, then the result — how many
// returned and the cases skipped with why (already settled, closed, returned…).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { FormDialog, useSubmit } from '../userDialogs.js';
import { Rejections } from '../reports/Rejections.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

type Result = MethodOutput<'recalls.bySelection'>;

export function RecallToLenderDialog({ caseIds, onClose, onDone }: { caseIds: number[]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const short = reason.trim().length < 2;
  const { busy, error, run } = useSubmit(async () => {
    try {
      setResult(await api.call('recalls.bySelection', { caseIds, reason: reason.trim() }));
      onDone();
      return null;
    } catch (e) {
      return describeError(t, e);
    }
  }, () => {});

  if (result) {
    return (
      <Dialog open onClose={onClose} fullWidth maxWidth="sm" slotProps={{ paper: { 'data-testid': 'recall-lender-result' } as object }}>
        <DialogTitle>{t('recalls.resultTitle')}</DialogTitle>
        <DialogContent>
          <Alert severity={result.recalled > 0 ? 'success' : 'warning'} data-testid="recall-lender-count">
            {t('recalls.toLenderDone', { count: result.recalled })}
          </Alert>
          <Rejections rows={result.rejections} testId="recall-lender-skipped" />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} data-testid="recall-lender-close">{t('recalls.close')}</Button>
        </DialogActions>
      </Dialog>
    );
  }
  return (
    <FormDialog
      open
      danger
      title={t('recalls.toLenderTitle', { count: caseIds.length })}
      testId="recall-lender-dialog"
      submitLabel={t('recalls.toLender')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!short) void run();
      }}
    >
      <DialogContentText sx={{ mb: 2 }}>{t('recalls.toLenderHelp')}</DialogContentText>
      <TextField
        fullWidth
        autoFocus
        label={t('recalls.why')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        disabled={busy}
        error={touched && short}
        helperText={touched && short ? t('recalls.reasonNeeded') : ' '}
        slotProps={{ htmlInput: { 'data-testid': 'recall-lender-reason', maxLength: 500 } }}
      />
    </FormDialog>
  );
}
