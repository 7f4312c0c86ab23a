// SMS and letters from the agency's templates, filled from the case by the backend (rendering is
// audited): the borrower gets borrower templates; a contact only third-party ones, which cannot mention
// the debt. A letter prints on A4 (or saves as PDF) from the preview.
import { useEffect, useRef, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import PrintIcon from '@mui/icons-material/Print';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { copyText, localDay } from '../../casework.js';
import { PrintLetter } from './PrintLetter.js';
import type { CaseDetail } from '../../../shared/contract/assignment.js';
import type { MessageTemplate } from '../../../shared/contract/casework.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function MessagesPanel({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [templates, setTemplates] = useState<MessageTemplate[]>([]);
  const [to, setTo] = useState<number | ''>('');
  const [templateId, setTemplateId] = useState<number | ''>('');
  const [deadline, setDeadline] = useState(() => localDay(7));
  const [preview, setPreview] = useState<MethodOutput<'messageTemplates.render'> | null>(null);
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
    try {
      setPreview(await api.call('messageTemplates.render', { templateId: chosen.id, caseId: detail.id, ...(to === '' ? {} : { contactSlot: to }), ...(deadline ? { deadline } : {}) }));
    } catch (e) {
      setPreview(null);
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
              <Button variant="contained" startIcon={<PrintIcon />} onClick={() => window.print()} data-testid="message-print">
                {t('casework.messages.print')}
              </Button>
            ) : null}
            <Button onClick={copy} data-testid="message-copy">
              {t('casework.messages.copy')}
            </Button>
          </Box>
          {preview.kind === 'letter' ? <PrintLetter text={preview.text} /> : null}
        </>
      ) : null}
    </Box>
  );
}
