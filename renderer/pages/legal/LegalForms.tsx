// The two ways a manager brings a referral up to date: change its status, court, case number or next date
// (legal.update), or record what happened (legal.addEvent: filing, hearing, judgment, enforcement, cost, note).
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { localDay } from '../../casework.js';
import { parseYuan } from '../../money.js';
import { FormDialog, useSubmit } from '../userDialogs.js';
import { LEGAL_EVENT_KINDS, LEGAL_STATUSES, FUTURE_DATED, legalEventName, legalStatusName } from '../../legal.js';
import type { LegalReferral } from '../../../shared/contract/legal.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;
const shrink = (testId: string) => ({ htmlInput: { 'data-testid': testId }, inputLabel: { shrink: true } });

export function UpdateDialog({ referral, onClose, onDone }: { referral: LegalReferral; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [f, setF] = useState({ status: referral.status as string, court: referral.court, courtCaseNo: referral.courtCaseNo, nextDate: referral.nextDate ?? '', nextWhat: referral.nextWhat ?? '', note: '' });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));
  const { busy, error, run } = useSubmit(async () => {
    try {
      await api.call('legal.update', {
        referralId: referral.id,
        ...(f.status !== referral.status ? { status: f.status as LegalReferral['status'] } : {}),
        ...(f.court.trim() !== referral.court ? { court: f.court.trim() } : {}),
        ...(f.courtCaseNo.trim() !== referral.courtCaseNo ? { courtCaseNo: f.courtCaseNo.trim() } : {}),
        ...((f.nextDate || null) !== referral.nextDate ? { nextDate: f.nextDate || null } : {}),
        ...((f.nextWhat.trim() || null) !== referral.nextWhat ? { nextWhat: f.nextWhat.trim() || null } : {}),
        note: f.note.trim(),
      });
      notify(t('legal.update.done'));
      onDone();
    } catch (e) {
      return describeError(t, e);
    }
    return null;
  }, onClose);
  return (
    <FormDialog open title={t('legal.update.title', { id: referral.id })} testId="legal-update-dialog" submitLabel={t('legal.update.submit')} onClose={onClose} busy={busy} error={error} onSubmit={(e) => (e.preventDefault(), void run())}>
      <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 2, pt: 1 }}>
        <TextField select label={t('legal.col.status')} value={f.status} onChange={set('status')} disabled={busy} slotProps={{ select: { SelectDisplayProps: displayProps('legal-update-status') } }}>
          {LEGAL_STATUSES.map((s) => (
            <MenuItem key={s} value={s} data-testid={`legal-status-${s}`}>
              {legalStatusName(t, s)}
            </MenuItem>
          ))}
        </TextField>
        <Box />
        <TextField label={t('legal.col.court')} value={f.court} onChange={set('court')} disabled={busy} slotProps={shrink('legal-update-court')} />
        <TextField label={t('legal.col.courtCaseNo')} value={f.courtCaseNo} onChange={set('courtCaseNo')} disabled={busy} slotProps={shrink('legal-update-courtCaseNo')} />
        <TextField type="date" label={t('legal.refer.nextDate')} value={f.nextDate} onChange={set('nextDate')} disabled={busy || f.status === 'closed'} slotProps={shrink('legal-update-nextDate')} />
        <TextField label={t('legal.refer.nextWhat')} value={f.nextWhat} onChange={set('nextWhat')} disabled={busy || !f.nextDate || f.status === 'closed'} slotProps={shrink('legal-update-nextWhat')} />
        <FormControlLabel
          sx={{ gridColumn: '1 / -1', mt: -1 }}
          control={<Checkbox size="small" checked={f.nextDate === ''} onChange={(e) => e.target.checked && setF((x) => ({ ...x, nextDate: '', nextWhat: '' }))} />}
          label={t('legal.update.clearNext')}
        />
        <TextField sx={{ gridColumn: '1 / -1' }} label={t('legal.update.note')} value={f.note} onChange={set('note')} disabled={busy} multiline minRows={2} slotProps={shrink('legal-update-note')} />
      </Box>
    </FormDialog>
  );
}

export function EventDialog({ referral, onClose, onDone }: { referral: LegalReferral; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const closed = referral.status === 'closed';
  const kinds = LEGAL_EVENT_KINDS.filter((k) => !closed || k === 'cost' || k === 'note');
  const [kind, setKind] = useState<(typeof LEGAL_EVENT_KINDS)[number]>(closed ? 'cost' : 'filing');
  const [onDate, setOnDate] = useState(localDay(0));
  const [note, setNote] = useState('');
  const [amount, setAmount] = useState('');
  const [touched, setTouched] = useState(false);
  const amountFen = parseYuan(amount);
  const errors = {
    onDate: onDate === '' ? t('validation.required') : null,
    note: (kind === 'judgment' && note.trim().length < 2) || (kind === 'note' && note.trim() === '') ? t('validation.required') : null,
    amount: kind === 'cost' && (amountFen === null || amountFen < 1) ? t('money.payments.amountInvalid') : null,
  };
  const { busy, error, run } = useSubmit(async () => {
    try {
      await api.call('legal.addEvent', { referralId: referral.id, kind, onDate, note: note.trim(), ...(kind === 'cost' ? { amountFen: amountFen! } : {}) });
      notify(t('legal.event.done'));
      onDone();
    } catch (e) {
      return describeError(t, e);
    }
    return null;
  }, onClose);
  return (
    <FormDialog
      open
      title={t('legal.event.title', { id: referral.id })}
      testId="legal-event-dialog"
      submitLabel={t('legal.event.submit')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!Object.values(errors).some(Boolean)) void run();
      }}
    >
      <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 2, pt: 1 }}>
        <TextField select label={t('legal.event.kind')} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} disabled={busy} slotProps={{ select: { SelectDisplayProps: displayProps('legal-event-kind') } }}>
          {kinds.map((k) => (
            <MenuItem key={k} value={k} data-testid={`legal-event-kind-${k}`}>
              {legalEventName(t, k)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          type="date"
          label={t('legal.event.onDate')}
          value={onDate}
          onChange={(e) => setOnDate(e.target.value)}
          disabled={busy}
          error={touched && Boolean(errors.onDate)}
          helperText={FUTURE_DATED.includes(kind) ? t('legal.event.hearingHelp') : ' '}
          slotProps={shrink('legal-event-date')}
        />
        {kind === 'cost' ? (
          <TextField label={t('legal.event.amount')} value={amount} onChange={(e) => setAmount(e.target.value)} disabled={busy} error={touched && Boolean(errors.amount)} helperText={(touched && errors.amount) || ' '} slotProps={shrink('legal-event-amount')} />
        ) : null}
        <TextField
          sx={{ gridColumn: '1 / -1' }}
          label={kind === 'judgment' ? t('legal.event.judgmentText') : t('legal.event.note')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          disabled={busy}
          multiline
          minRows={kind === 'judgment' ? 4 : 2}
          error={touched && Boolean(errors.note)}
          helperText={(touched && errors.note) || ' '}
          slotProps={shrink('legal-event-note')}
        />
      </Box>
      <Alert severity="info" sx={{ mt: 1 }}>
        {t('legal.event.appendOnly')}
      </Alert>
    </FormDialog>
  );
}
