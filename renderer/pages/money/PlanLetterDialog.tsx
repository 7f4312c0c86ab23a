// The written confirmation (书面确认) of an approved plan: previewed in zh-CN or English (plans.letter),
// printed on A4 (or saved as PDF from the print dialog), and filed with the case (plans.fileLetter: the
// backend renders it again, checks it is what was previewed, and keeps it as the plan's letter).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import PrintIcon from '@mui/icons-material/Print';
import AttachFileIcon from '@mui/icons-material/AttachFile';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { PrintLetter } from '../cases/PrintLetter.js';
import { PLAN_LETTER_LANGUAGES, type PlanLetterLanguage } from '../../../shared/domain/money/letter.js';
import type { Plan } from '../../../shared/contract/money.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

type Filed = MethodOutput<'plans.fileLetter'>;

export function PlanLetterDialog({ plan, onClose, onFiled }: { plan: Plan; onClose: () => void; onFiled: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [language, setLanguage] = useState<PlanLetterLanguage>(i18n.language === 'zh-CN' ? 'zh-CN' : 'en');
  const [text, setText] = useState<string | null>(null);
  const [filedBefore, setFiledBefore] = useState<number | null>(plan.letterFileId);
  const [filed, setFiled] = useState<Filed | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setText(null);
    setFiled(null);
    setError(null);
    api.call('plans.letter', { planId: plan.id, language }).then(
      (r) => {
        setText(r.text);
        setFiledBefore(r.letterFileId);
      },
      (e: unknown) => setError(e),
    );
  }, [api, plan.id, language]);

  const file = async () => {
    if (!text) return;
    setBusy(true);
    setError(null);
    try {
      const f = await api.call('plans.fileLetter', { planId: plan.id, language, text });
      setFiled(f);
      notify(t('casework.messages.filed', { name: f.name }));
      onFiled();
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  return (
    <Dialog open onClose={() => !busy && onClose()} fullWidth maxWidth="md" slotProps={{ paper: { 'data-testid': 'letter-dialog' } as object }}>
      <DialogTitle>{t('money.letter.title', { id: plan.id })}</DialogTitle>
      <DialogContent>
        <TextField select size="small" label={t('money.letter.language')} value={language} onChange={(e) => setLanguage(e.target.value as PlanLetterLanguage)} sx={{ width: 200, mt: 1, mb: 2 }} slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'letter-language' } as object } }}>
          {PLAN_LETTER_LANGUAGES.map((l) => (
            <MenuItem key={l} value={l} data-testid={`letter-language-${l}`}>
              {t(`lang.${l}`)}
            </MenuItem>
          ))}
        </TextField>
        {filedBefore !== null && !filed ? (
          <Alert severity="info" sx={{ mb: 1.5 }}>
            {t('money.letter.already', { id: filedBefore })}
          </Alert>
        ) : null}
        {error ? (
          <Alert severity="error" sx={{ mb: 1.5 }} data-testid="letter-error">
            {describeError(t, error)}
          </Alert>
        ) : null}
        {text ? (
          <Paper variant="outlined" sx={{ p: 2.5, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', fontFamily: 'serif', lineHeight: 1.8 }} data-testid="letter-preview">
            {text}
          </Paper>
        ) : null}
        {filed ? (
          <Alert severity="success" sx={{ mt: 1.5, overflowWrap: 'anywhere' }} data-testid="letter-filed">
            {t('money.letter.filed', { name: filed.name, sha: filed.sha256 })}
          </Alert>
        ) : null}
        {text ? <PrintLetter text={text} /> : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {t('common.close')}
        </Button>
        <Button variant="outlined" startIcon={<AttachFileIcon />} onClick={() => void file()} disabled={busy || !text || filed !== null} data-testid="letter-file">
          {t('money.letter.file')}
        </Button>
        <Button variant="contained" startIcon={<PrintIcon />} onClick={() => window.print()} disabled={!text} data-testid="letter-print">
          {t('money.letter.print')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
