// Correcting a logged attempt: entries are evidence and never change, so a correction is a new entry
// that points at the original (contacts.correct); the counts then follow the correction.
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import DialogContentText from '@mui/material/DialogContentText';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { FormDialog, useSubmit } from '../userDialogs.js';
import { useOutcomes } from '../../outcomes.js';
import type { Attempt } from '../../../shared/contract/casework.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function CorrectDialog({ attempt, outcomes, onClose, onCorrected }: { attempt: Attempt; outcomes: string[]; onClose: () => void; onCorrected: () => void }) {
  const { t } = useTranslation();
  const outcomeNames = useOutcomes();
  // The entry's own outcome stays choosable (keeping it) even if the agency has disabled it since.
  const choices = outcomes.includes(attempt.outcome) ? outcomes : [attempt.outcome, ...outcomes];
  const api = useApi();
  const notify = useNotify();
  const [outcome, setOutcome] = useState(attempt.outcome);
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const noteError = note.trim() ? null : t('casework.correct.noteRequired');
  const { busy, error, run } = useSubmit(async () => {
    try {
      await api.call('contacts.correct', { attemptId: attempt.id, note: note.trim(), ...(outcome !== attempt.outcome ? { outcome } : {}) });
    } catch (e) {
      return describeError(t, e);
    }
    notify(t('casework.correct.done', { id: attempt.id }));
    onCorrected();
    return null;
  }, onClose);

  return (
    <FormDialog
      open
      title={t('casework.correct.title', { id: attempt.id })}
      testId="correct-dialog"
      submitLabel={t('casework.correct.submit')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!noteError) void run();
      }}
    >
      <DialogContentText sx={{ mb: 1 }}>{t('casework.correct.help')}</DialogContentText>
      <TextField select label={t('casework.form.outcome')} value={outcome} onChange={(e) => setOutcome(e.target.value)} disabled={busy} helperText={t('casework.correct.was', { outcome: outcomeNames.name(attempt.outcome) })} slotProps={{ select: { SelectDisplayProps: displayProps('correct-outcome') } }}>
        {choices.map((o) => (
          <MenuItem key={o} value={o} data-testid={`correct-outcome-${o}`}>
            {outcomeNames.name(o)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        label={t('casework.correct.note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        autoFocus
        multiline
        minRows={2}
        disabled={busy}
        error={touched && Boolean(noteError)}
        helperText={(touched && noteError) || ' '}
        slotProps={{ htmlInput: { maxLength: 2000, 'data-testid': 'correct-note' } }}
      />
    </FormDialog>
  );
}
