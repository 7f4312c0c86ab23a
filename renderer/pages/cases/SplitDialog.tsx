// Asked before a manual move splits a borrower's cases (assign.manual answered with `splits`): the rules keep
// a borrower's open cases with one collector, so the manager moves them all, or only the ones ticked here.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import type { MethodOutput } from '../../../shared/contract/registry.js';

export type SplitCase = MethodOutput<'assign.manual'>['splits'][number];

export function SplitDialog({
  splits,
  toName,
  onClose,
  onMove,
}: {
  splits: SplitCase[];
  /** Where the picked cases go: a collector's name, or the pool's. */
  toName: string;
  onClose: () => void;
  /** The extra case ids to move with the picked ones (the split, if any, is confirmed). */
  onMove: (extra: number[]) => Promise<string | null>;
}) {
  const { t } = useTranslation();
  const [ticked, setTicked] = useState<Set<number>>(() => new Set(splits.map((s) => s.caseId)));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (extra: number[]) => {
    setBusy(true);
    const e = await onMove(extra);
    setBusy(false);
    if (e) setError(e);
    else onClose();
  };
  const toggle = (id: number) =>
    setTicked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <Dialog open onClose={() => !busy && onClose()} fullWidth maxWidth="sm" slotProps={{ paper: { 'data-testid': 'split-dialog' } as object }}>
      <DialogTitle>{t('workday.split.title')}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 1 }}>{t('workday.split.body', { count: splits.length, to: toName })}</DialogContentText>
        <Stack>
          {splits.map((s) => (
            <FormControlLabel
              key={s.caseId}
              control={<Checkbox size="small" checked={ticked.has(s.caseId)} onChange={() => toggle(s.caseId)} disabled={busy} slotProps={{ input: { 'data-testid': `split-case-${s.caseId}` } as object }} />}
              label={t('workday.split.row', { caseNo: s.caseNo, lender: s.lenderCode, borrower: s.borrowerName, holder: s.collectorName ?? t('cases.unassigned') })}
            />
          ))}
        </Stack>
        {error ? (
          <Alert severity="error" sx={{ mt: 1 }} data-testid="split-dialog-error">
            {error}
          </Alert>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </Button>
        <Button onClick={() => void run([...ticked])} disabled={busy} data-testid="split-chosen">
          {t('workday.split.chosen', { count: ticked.size })}
        </Button>
        <Button variant="contained" onClick={() => void run(splits.map((s) => s.caseId))} disabled={busy} data-testid="split-all">
          {t('workday.split.all', { count: splits.length })}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
