// A manager's decision on a proposed plan (plans.decide): approve or reject with a note; a waiver above
// the lender's limits (approver 'lender') is approved only with the lender's approval recorded — who
// approved it there, their reference and the date.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { localDay } from '../../casework.js';
import { FormDialog, useSubmit } from '../userDialogs.js';
import { yuan } from '../../money.js';
import type { Plan } from '../../../shared/contract/money.js';

export function DecideDialog({ plan, approve, onClose, onDecided }: { plan: Plan; approve: boolean; onClose: () => void; onDecided: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const needsLender = approve && plan.approver === 'lender';
  const [note, setNote] = useState('');
  const [by, setBy] = useState('');
  const [reference, setReference] = useState('');
  const [date, setDate] = useState(localDay());
  const [touched, setTouched] = useState(false);
  const errors = {
    by: needsLender && !by.trim() ? t('money.decide.lenderRequired') : null,
    reference: needsLender && !reference.trim() ? t('money.decide.lenderRequired') : null,
    date: needsLender && !/^\d{4}-\d{2}-\d{2}$/.test(date) ? t('money.decide.lenderRequired') : null,
  };
  const { busy, error, run } = useSubmit(async () => {
    try {
      await api.call('plans.decide', { planId: plan.id, approve, note: note.trim(), ...(needsLender ? { lenderApproval: { by: by.trim(), reference: reference.trim(), date } } : {}) });
      notify(t(approve ? 'money.decide.approved' : 'money.decide.rejected', { id: plan.id }));
      onDecided();
      return null;
    } catch (e) {
      return describeError(t, e);
    }
  }, onClose);

  return (
    <FormDialog
      open
      danger={!approve}
      title={t(approve ? 'money.decide.approveTitle' : 'money.decide.rejectTitle', { id: plan.id, caseNo: plan.caseNo })}
      testId="decide-dialog"
      submitLabel={t(approve ? 'money.decide.approve' : 'money.decide.reject')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!errors.by && !errors.reference && !errors.date) void run();
      }}
    >
      <Typography variant="body2">
        {plan.borrowerName} · {t('money.plans.summary', { kind: t(`money.plans.kinds.${plan.kind}`), owed: yuan(plan.owedFen), waiver: yuan(plan.waiverFen), total: yuan(plan.totalFen) })}
      </Typography>
      <TextField label={t('money.decide.note')} value={note} onChange={(e) => setNote(e.target.value)} multiline minRows={2} disabled={busy} autoFocus={!needsLender} slotProps={{ htmlInput: { maxLength: 1000, 'data-testid': 'decide-note' } }} />
      {needsLender ? (
        <>
          <Alert severity="warning">{t('money.decide.lenderTitle')}</Alert>
          <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr 170px', gap: 1.5 }}>
            <TextField label={t('money.decide.lenderBy')} value={by} onChange={(e) => setBy(e.target.value)} disabled={busy} error={touched && Boolean(errors.by)} helperText={(touched && errors.by) || ' '} slotProps={{ htmlInput: { maxLength: 100, 'data-testid': 'decide-lender-by' } }} />
            <TextField label={t('money.decide.lenderReference')} value={reference} onChange={(e) => setReference(e.target.value)} disabled={busy} error={touched && Boolean(errors.reference)} helperText={(touched && errors.reference) || ' '} slotProps={{ htmlInput: { maxLength: 100, 'data-testid': 'decide-lender-reference' } }} />
            <TextField type="date" label={t('money.decide.lenderDate')} value={date} onChange={(e) => setDate(e.target.value)} disabled={busy} error={touched && Boolean(errors.date)} helperText={(touched && errors.date) || ' '} slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'decide-lender-date' } }} />
          </Box>
        </>
      ) : null}
    </FormDialog>
  );
}
