// Referring a case to a law firm (法律诉讼) from the case work view: firm, lawyer, date, the case files
// and paper documents sent, court and case number if known, the next date, and the reason the stage
// machine requires. The case moves to legal referral (legal.refer).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormLabel from '@mui/material/FormLabel';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { localDay, stageName } from '../../casework.js';
import { FormDialog, useSubmit } from '../userDialogs.js';

interface CaseFile {
  id: number;
  name: string;
}

export function ReferDialog({ caseId, caseNo, stage, onClose, onReferred }: { caseId: number; caseNo: string; stage: string; onClose: () => void; onReferred: (referralId: number) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [files, setFiles] = useState<CaseFile[] | null>(null);
  const [f, setF] = useState({ lawFirm: '', lawyer: '', referredOn: localDay(0), court: '', courtCaseNo: '', nextDate: '', nextWhat: '', reason: '', documentNames: '' });
  const [picked, setPicked] = useState<number[]>([]);
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    api.call('cases.files', { caseId }).then(
      (r) => setFiles(r.files.map((x) => ({ id: x.id, name: x.name }))),
      () => setFiles([]),
    );
  }, [api, caseId]);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));
  const errors = {
    lawFirm: f.lawFirm.trim().length < 2 ? t('validation.required') : null,
    lawyer: f.lawyer.trim() === '' ? t('validation.required') : null,
    referredOn: f.referredOn === '' ? t('validation.required') : null,
    reason: f.reason.trim() === '' ? t('validation.required') : null,
  };
  const { busy, error, run } = useSubmit(async () => {
    try {
      const r = await api.call('legal.refer', {
        caseId,
        lawFirm: f.lawFirm.trim(),
        lawyer: f.lawyer.trim(),
        referredOn: f.referredOn,
        fileIds: picked,
        documentNames: f.documentNames.split('\n').map((s) => s.trim()).filter(Boolean),
        court: f.court.trim(),
        courtCaseNo: f.courtCaseNo.trim(),
        ...(f.nextDate ? { nextDate: f.nextDate, ...(f.nextWhat.trim() ? { nextWhat: f.nextWhat.trim() } : {}) } : {}),
        reason: f.reason.trim(),
      });
      notify(t('legal.refer.done', { caseNo, firm: r.referral.lawFirm }));
      onReferred(r.referral.id);
    } catch (e) {
      return describeError(t, e);
    }
    return null;
  }, onClose);
  const field = (k: keyof typeof f, label: string, extra: object = {}) => (
    <TextField
      label={label}
      value={f[k]}
      onChange={set(k)}
      disabled={busy}
      error={touched && Boolean((errors as Record<string, string | null>)[k])}
      helperText={(touched && (errors as Record<string, string | null>)[k]) || ' '}
      slotProps={{ htmlInput: { 'data-testid': `refer-${k}` }, inputLabel: { shrink: true } }}
      {...extra}
    />
  );

  return (
    <FormDialog
      open
      title={t('legal.refer.title', { caseNo })}
      testId="refer-dialog"
      submitLabel={t('legal.refer.submit')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!Object.values(errors).some(Boolean)) void run();
      }}
    >
      <Typography variant="body2" sx={{ mb: 2 }}>
        {t('legal.refer.intro', { from: stageName(t, stage) })}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', columnGap: 2 }}>
        {field('lawFirm', t('legal.refer.lawFirm'), { autoFocus: true })}
        {field('lawyer', t('legal.refer.lawyer'))}
        {field('referredOn', t('legal.refer.referredOn'), { type: 'date' })}
        <Box />
        {field('court', t('legal.refer.court'))}
        {field('courtCaseNo', t('legal.refer.courtCaseNo'))}
        {field('nextDate', t('legal.refer.nextDate'), { type: 'date' })}
        {field('nextWhat', t('legal.refer.nextWhat'), { disabled: busy || !f.nextDate })}
      </Box>
      <FormLabel component="legend" sx={{ fontSize: 13 }}>
        {t('legal.refer.files')}
      </FormLabel>
      {files && files.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
          {t('legal.refer.noFiles')}
        </Typography>
      ) : (
        <FormGroup sx={{ mb: 1 }}>
          {(files ?? []).map((x) => (
            <FormControlLabel
              key={x.id}
              label={x.name}
              control={<Checkbox size="small" checked={picked.includes(x.id)} onChange={(e) => setPicked((p) => (e.target.checked ? [...p, x.id] : p.filter((id) => id !== x.id)))} data-testid={`refer-file-${x.id}`} />}
            />
          ))}
        </FormGroup>
      )}
      {field('documentNames', t('legal.refer.documentNames'), { multiline: true, minRows: 2, fullWidth: true })}
      {field('reason', t('legal.refer.reason'), { multiline: true, minRows: 2, fullWidth: true })}
    </FormDialog>
  );
}
