// Posting a payment received for a case (回款, payments.post) and reversing one posted in error
// (payments.reverse: the original stays, a reversing entry cancels it). Managers and admins.
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { localDay } from '../../casework.js';
import { FormDialog, useSubmit } from '../userDialogs.js';
import { channelName, parseYuan, yuan } from '../../money.js';
import { PAYMENT_CHANNELS, type Payment } from '../../../shared/contract/money.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;
type Channel = (typeof PAYMENT_CHANNELS)[number];

export function PostPaymentDialog({ caseId, placedOn, onClose, onPosted }: { caseId: number; placedOn: string; onClose: () => void; onPosted: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const today = localDay();
  const [paidOn, setPaidOn] = useState(today);
  const [amount, setAmount] = useState('');
  const [channel, setChannel] = useState<Channel>('bank_transfer');
  const [payer, setPayer] = useState('');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const fen = parseYuan(amount);
  const errors = {
    amount: fen === null || fen < 1 ? t('money.payments.amountInvalid') : null,
    paidOn: !paidOn || paidOn < placedOn || paidOn > today ? `${placedOn} … ${today}` : null,
  };
  const { busy, error, run } = useSubmit(async () => {
    try {
      const r = await api.call('payments.post', { caseId, paidOn, amountFen: fen!, channel, payer: payer.trim(), reference: reference.trim(), note: note.trim() });
      notify(t(r.settled ? 'money.payments.settled' : 'money.payments.posted', { amount: yuan(r.payment.amountFen) }));
      onPosted();
      return null;
    } catch (e) {
      return describeError(t, e);
    }
  }, onClose);

  return (
    <FormDialog
      open
      title={t('money.payments.postTitle')}
      testId="payment-dialog"
      submitLabel={t('money.payments.post')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!errors.amount && !errors.paidOn) void run();
      }}
    >
      <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 1.5 }}>
        <TextField
          label={t('money.payments.amount')}
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          autoFocus
          disabled={busy}
          error={touched && Boolean(errors.amount)}
          helperText={(touched && errors.amount) || (fen ? yuan(fen) : t('money.payments.amountHelp'))}
          slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'payment-amount' } }}
        />
        <TextField
          type="date"
          label={t('money.payments.paidOn')}
          value={paidOn}
          onChange={(e) => setPaidOn(e.target.value)}
          disabled={busy}
          error={touched && Boolean(errors.paidOn)}
          helperText={(touched && errors.paidOn) || ' '}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: placedOn, max: today, 'data-testid': 'payment-date' } }}
        />
        <TextField select label={t('money.payments.channel')} value={channel} onChange={(e) => setChannel(e.target.value as Channel)} disabled={busy} slotProps={{ select: { SelectDisplayProps: displayProps('payment-channel') } }}>
          {PAYMENT_CHANNELS.map((c) => (
            <MenuItem key={c} value={c} data-testid={`payment-channel-${c}`}>
              {channelName(t, c)}
            </MenuItem>
          ))}
        </TextField>
        <TextField label={t('money.payments.payer')} value={payer} onChange={(e) => setPayer(e.target.value)} disabled={busy} slotProps={{ htmlInput: { maxLength: 100, 'data-testid': 'payment-payer' } }} />
      </Box>
      <TextField label={t('money.payments.reference')} value={reference} onChange={(e) => setReference(e.target.value)} disabled={busy} slotProps={{ htmlInput: { maxLength: 100, 'data-testid': 'payment-reference' } }} />
      <TextField label={t('money.payments.note')} value={note} onChange={(e) => setNote(e.target.value)} disabled={busy} slotProps={{ htmlInput: { maxLength: 1000, 'data-testid': 'payment-note' } }} />
    </FormDialog>
  );
}

export function ReverseDialog({ payment, onClose, onReversed }: { payment: Payment; onClose: () => void; onReversed: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const invalid = reason.trim().length < 2;
  const { busy, error, run } = useSubmit(async () => {
    try {
      const r = await api.call('payments.reverse', { paymentId: payment.id, reason: reason.trim() });
      notify(t(r.reopened ? 'money.payments.reopened' : 'money.payments.reversed', { id: payment.id }));
      onReversed();
      return null;
    } catch (e) {
      return describeError(t, e);
    }
  }, onClose);
  return (
    <FormDialog
      open
      danger
      title={t('money.payments.reverseTitle', { id: payment.id, amount: yuan(payment.amountFen), date: payment.paidOn })}
      testId="reverse-dialog"
      submitLabel={t('money.payments.reverse')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!invalid) void run();
      }}
    >
      <Alert severity="warning">{t('money.payments.reverseHelp')}</Alert>
      <TextField
        label={t('money.payments.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        autoFocus
        multiline
        minRows={2}
        disabled={busy}
        error={touched && invalid}
        helperText={t('money.payments.reasonHelp')}
        slotProps={{ htmlInput: { maxLength: 500, 'data-testid': 'reverse-reason' } }}
      />
    </FormDialog>
  );
}
