// SMS and letters from the agency's templates, filled from the case by the backend (rendering is
// audited): the borrower gets borrower templates; a contact only third-party ones, which cannot mention
// the debt. A letter prints on A4 (or saves as PDF) from the preview, and can be filed with the case:
// the backend renders it again, checks it is what was previewed, and keeps it with its SHA-256.
import { useEffect, useRef, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import PrintIcon from '@mui/icons-material/Print';
import AttachFileIcon from '@mui/icons-material/AttachFile';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { copyText, localDay } from '../../casework.js';
import { PrintLetter } from './PrintLetter.js';
import type { CaseDetail } from '../../../shared/contract/assignment.js';
import type { MessageTemplate } from '../../../shared/contract/casework.js';
import type { MethodInput, MethodOutput } from '../../../shared/contract/registry.js';

type Preview = MethodOutput<'messageTemplates.render'> & { input: MethodInput<'messageTemplates.render'> };
type Filed = MethodOutput<'messageTemplates.file'>;

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function MessagesPanel({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [templates, setTemplates] = useState<MessageTemplate[]>([]);
  const [to, setTo] = useState<number | ''>('');
  const [templateId, setTemplateId] = useState<number | ''>('');
  const [deadline, setDeadline] = useState(() => localDay(7));
  const [preview, setPreview] = useState<Preview | null>(null);
  const [filed, setFiled] = useState<Filed | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    api.call('messageTemplates.list', {}).then(
      (r) => setTemplates(r.templates),
      (e: unknown) => setError(e),
    );
  }, [api]);

  const audience = to === '' ? 'borrower' : 'third_party';
  const choices = templates.filter((tp) => tp.audience === audience);
  const chosen = choices.find((tp) => tp.id === templateId);

  const render = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    setFiled(null);
    const input = { templateId: chosen.id, caseId: detail.id, ...(to === '' ? {} : { contactSlot: to }), ...(deadline ? { deadline } : {}) };
    try {
      setPreview({ ...(await api.call('messageTemplates.render', input)), input });
    } catch (e) {
      setPreview(null);
      setError(e);
    }
    setBusy(false);
  };

  const file = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      const f = await api.call('messageTemplates.file', { ...preview.input, text: preview.text });
      setFiled(f);
      notify(t('casework.messages.filed', { name: f.name }));
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  const copy = () => {
    if (!preview) return;
    void copyText(preview.text, box.current ?? undefined).then((ok) => (ok ? notify(t('casework.messages.copied')) : notify(t('casework.messages.copyFailed'), 'error')));
  };

  return (
    <Box ref={box}>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1.4fr) 160px auto', gap: 1.5, alignItems: 'flex-start', mb: 2 }}>
        <TextField
          select
          size="small"
          label={t('casework.messages.to')}
          value={to}
          onChange={(e) => {
            setTo(e.target.value === '' ? '' : Number(e.target.value));
            setTemplateId('');
            setPreview(null);
          }}
          slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('message-to') }, inputLabel: { shrink: true } }}
        >
          <MenuItem value="" data-testid="message-to-borrower">
            {`${detail.borrowerName} · ${t('casework.borrowerSelf')}`}
          </MenuItem>
          {detail.contacts.map((c) => (
            <MenuItem key={c.slot} value={c.slot} data-testid={`message-to-${c.slot}`}>
              {`${c.slot}. ${c.name || '—'}${c.relation ? ` · ${c.relation}` : ''}`}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label={t('casework.messages.template')}
          value={chosen ? chosen.id : ''}
          onChange={(e) => {
            setTemplateId(Number(e.target.value));
            setPreview(null);
          }}
          helperText={choices.length === 0 ? t('casework.messages.noTemplates') : ' '}
          slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('message-template') }, inputLabel: { shrink: true } }}
        >
          <MenuItem value="" disabled>
            {t('casework.messages.pick')}
          </MenuItem>
          {choices.map((tp) => (
            <MenuItem key={tp.id} value={tp.id} data-testid={`message-template-${tp.id}`}>
              {`${tp.name} · ${t(`compliance.templates.kinds.${tp.kind}`)} · ${tp.language}`}
            </MenuItem>
          ))}
        </TextField>
        <TextField size="small" type="date" label={t('casework.messages.deadline')} value={deadline} onChange={(e) => setDeadline(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'message-deadline' }, inputLabel: { shrink: true } }} />
        <Button variant="contained" onClick={() => void render()} disabled={!chosen || busy} data-testid="message-render">
          {t('casework.messages.render')}
        </Button>
      </Box>
      {to !== '' ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          {t('casework.messages.thirdPartyHint')}
        </Alert>
      ) : null}
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      {preview ? (
        <>
          <Paper variant="outlined" sx={{ p: 2, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', fontFamily: preview.kind === 'letter' ? 'serif' : undefined, maxWidth: 720 }} data-testid="message-preview">
            {preview.text}
          </Paper>
          <Box sx={{ display: 'flex', gap: 1, mt: 1.5 }}>
            {preview.kind === 'letter' ? (
              <>
                <Button variant="contained" startIcon={<PrintIcon />} onClick={() => window.print()} data-testid="message-print">
                  {t('casework.messages.print')}
                </Button>
                <Button variant="outlined" startIcon={<AttachFileIcon />} onClick={() => void file()} disabled={busy || filed !== null} data-testid="message-file">
                  {filed ? t('casework.messages.fileDone') : t('casework.messages.file')}
                </Button>
              </>
            ) : null}
            <Button onClick={copy} data-testid="message-copy">
              {t('casework.messages.copy')}
            </Button>
          </Box>
          {filed ? (
            <Alert severity="success" sx={{ mt: 1.5, maxWidth: 720, overflowWrap: 'anywhere' }} data-testid="message-filed">
              {t('casework.messages.filedDetail', { name: filed.name, sha: filed.sha256 })}
            </Alert>
          ) : null}
          {preview.kind === 'letter' ? <PrintLetter text={preview.text} /> : null}
        </>
      ) : null}
    </Box>
  );
}
