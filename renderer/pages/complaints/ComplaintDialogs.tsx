// The three steps of a complaint: record it (anyone who works the case), answer it and close it (managers).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { channelName, COMPLAINT_CHANNELS, COMPLAINT_FROM } from '../../complaints.js';
import type { Complaint } from '../../../shared/contract/complaints.js';
import type { ComplaintChannel, ComplaintFrom } from '../../../shared/domain/casework/complaints.js';

export interface Person {
  userId: number;
  username: string;
  displayName: string;
}

export function RecordComplaintDialog({ caseId, caseNo, people, onClose, onDone }: { caseId: number; caseNo: string; people: Person[]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [channel, setChannel] = useState<ComplaintChannel>('phone');
  const [from, setFrom] = useState<ComplaintFrom>('borrower');
  const [slot, setSlot] = useState(1);
  const [what, setWhat] = useState('');
  const [against, setAgainst] = useState<number | ''>('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      await api.call('complaints.record', { caseId, channel, from, what, ...(from === 'contact' ? { contactSlot: slot } : {}), ...(against !== '' ? { againstUserId: against } : {}) });
      onDone();
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" data-testid="complaint-record-dialog">
      <DialogTitle>{t('complaints.recordTitle', { caseNo })}</DialogTitle>
      <DialogContent>
        <Alert severity="info" sx={{ mb: 2 }}>
          {t('complaints.recordHelp')}
        </Alert>
        <Stack spacing={2}>
          <TextField select size="small" label={t('complaints.field.channel')} value={channel} onChange={(e) => setChannel(e.target.value as ComplaintChannel)} slotProps={{ htmlInput: { 'data-testid': 'complaint-channel' } }}>
            {COMPLAINT_CHANNELS.map((c) => (
              <MenuItem key={c} value={c}>
                {channelName(t, c)}
              </MenuItem>
            ))}
          </TextField>
          <Stack direction="row" spacing={2}>
            <TextField select size="small" fullWidth label={t('complaints.field.from')} value={from} onChange={(e) => setFrom(e.target.value as ComplaintFrom)}>
              {COMPLAINT_FROM.map((f) => (
                <MenuItem key={f} value={f}>
                  {t(`complaints.from.${f}`, { slot: '' })}
                </MenuItem>
              ))}
            </TextField>
            {from === 'contact' ? (
              <TextField select size="small" sx={{ width: 160 }} label={t('complaints.field.contactSlot')} value={slot} onChange={(e) => setSlot(Number(e.target.value))}>
                {[1, 2, 3, 4, 5, 6].map((n) => (
                  <MenuItem key={n} value={n}>
                    {t('complaints.from.contact', { slot: n })}
                  </MenuItem>
                ))}
              </TextField>
            ) : null}
          </Stack>
          <TextField label={t('complaints.field.what')} value={what} onChange={(e) => setWhat(e.target.value)} multiline minRows={3} slotProps={{ htmlInput: { 'data-testid': 'complaint-what', maxLength: 4000 } }} />
          <TextField select size="small" label={t('complaints.field.against')} value={against} onChange={(e) => setAgainst(e.target.value === '' ? '' : Number(e.target.value))} slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}>
            <MenuItem value="">{t('complaints.field.nobody')}</MenuItem>
            {people.map((p) => (
              <MenuItem key={p.userId} value={p.userId}>
                {p.displayName} ({p.username})
              </MenuItem>
            ))}
          </TextField>
          {error ? <Alert severity="error">{describeError(t, error)}</Alert> : null}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button variant="contained" color="error" disabled={busy || what.trim().length < 2} onClick={() => void save()} data-testid="complaint-record-save">
          {t('complaints.record')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** A manager's answer (mode answer) or closing note (mode close). */
export function ComplaintStepDialog({ complaint, mode, onClose, onDone }: { complaint: Complaint; mode: 'answer' | 'close'; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      if (mode === 'answer') await api.call('complaints.answer', { complaintId: complaint.id, answer: text });
      else await api.call('complaints.close', { complaintId: complaint.id, note: text });
      onDone();
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" data-testid={`complaint-${mode}-dialog`}>
      <DialogTitle>{t(mode === 'answer' ? 'complaints.answerTitle' : 'complaints.closeTitle', { id: complaint.id })}</DialogTitle>
      <DialogContent>
        <Alert severity="info" sx={{ mb: 2, whiteSpace: 'pre-wrap' }}>
          {complaint.what}
        </Alert>
        {mode === 'close' ? (
          <Alert severity="success" sx={{ mb: 2 }}>
            {complaint.answer}
            <br />
            {t('complaints.closeHelp')}
          </Alert>
        ) : null}
        <TextField
          fullWidth
          multiline
          minRows={mode === 'answer' ? 3 : 1}
          label={t(mode === 'answer' ? 'complaints.field.answer' : 'complaints.closeNote')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          slotProps={{ htmlInput: { 'data-testid': `complaint-${mode}-text`, maxLength: mode === 'answer' ? 4000 : 1000 } }}
        />
        {error ? (
          <Alert severity="error" sx={{ mt: 2 }}>
            {describeError(t, error)}
          </Alert>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button variant="contained" disabled={busy || (mode === 'answer' && text.trim().length < 2)} onClick={() => void save()} data-testid={`complaint-${mode}-save`}>
          {t(mode === 'answer' ? 'complaints.answer' : 'complaints.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
