// Proofs and letters attached to the case: kept in the encrypted store with their SHA-256 and never
// deleted. Attach = pick a file, say what it is, upload (api.stageFile) and attach (cases.attach);
// a download (cases.fileContent) is audited by the backend.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import AttachFileIcon from '@mui/icons-material/AttachFile';
import DownloadIcon from '@mui/icons-material/Download';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { formatDateTime } from '../../format.js';
import { formatBytes } from '../../placement.js';
import { downloadBase64 } from '../../casework.js';
import { MAX_CASE_FILE_BYTES, type caseFileSchema } from '../../../shared/contract/casework.js';
import type { z } from 'zod';

type CaseFile = z.infer<typeof caseFileSchema>;

export function FilesPanel({ caseId, canWork }: { caseId: number; canWork: boolean }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<CaseFile[] | null>(null);
  const [picked, setPicked] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setFiles((await api.call('cases.files', { caseId })).files);
    } catch (e) {
      setError(describeError(t, e));
    }
  }, [api, caseId, t]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const attach = async () => {
    if (!picked) return;
    if (picked.size > MAX_CASE_FILE_BYTES) return setError(t('casework.files.tooLarge', { max: formatBytes(MAX_CASE_FILE_BYTES) }));
    setBusy(true);
    setError(null);
    try {
      const file = await api.stageFile(picked, 'case-file');
      const f = await api.call('cases.attach', { caseId, file, note: note.trim() });
      notify(t('casework.files.attached', { name: f.name }));
      setPicked(null);
      setNote('');
      if (input.current) input.current.value = '';
      await reload();
    } catch (e) {
      setError(describeError(t, e));
    }
    setBusy(false);
  };

  const download = async (f: CaseFile) => {
    try {
      const c = await api.call('cases.fileContent', { fileId: f.id });
      downloadBase64(c.name, c.mime, c.base64);
    } catch (e) {
      notify(describeError(t, e), 'error');
    }
  };

  return (
    <Box>
      {canWork ? (
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap', mb: 2 }}>
          <input ref={input} type="file" hidden onChange={(e) => setPicked(e.target.files?.[0] ?? null)} data-testid="files-input" />
          <Button variant="outlined" startIcon={<AttachFileIcon />} onClick={() => input.current?.click()} disabled={busy} data-testid="files-pick">
            {t('casework.files.pick')}
          </Button>
          <TextField size="small" label={t('casework.files.note')} value={note} onChange={(e) => setNote(e.target.value)} disabled={busy} sx={{ flex: '1 1 200px' }} slotProps={{ htmlInput: { maxLength: 500, 'data-testid': 'files-note' } }} />
          <Button variant="contained" onClick={() => void attach()} disabled={busy || !picked} data-testid="files-attach">
            {t('casework.files.attach')}
          </Button>
          <Typography variant="body2" sx={{ width: '100%', color: 'text.secondary' }} data-testid="files-picked">
            {picked ? `${picked.name} · ${formatBytes(picked.size)}` : t('casework.files.help')}
          </Typography>
        </Box>
      ) : null}
      {error ? (
        <Alert severity="error" sx={{ mb: 1 }} data-testid="files-error">
          {error}
        </Alert>
      ) : null}
      {files && files.length === 0 ? <Typography sx={{ color: 'text.secondary' }}>{t('casework.files.empty')}</Typography> : null}
      <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }} data-testid="files-list">
        {(files ?? []).map((f) => (
          <Box component="li" key={f.id} sx={{ display: 'flex', alignItems: 'center', gap: 1, py: 0.75, borderBottom: 1, borderColor: 'divider' }} data-testid={`file-${f.id}`}>
            <Box sx={{ flexGrow: 1, minWidth: 0 }}>
              <Typography variant="body2" noWrap sx={{ fontWeight: 600 }}>
                {f.name}
                <Box component="span" sx={{ fontWeight: 400, color: 'text.secondary' }}>{` · ${formatBytes(f.bytes)}`}</Box>
              </Typography>
              {f.note ? <Typography variant="body2">{f.note}</Typography> : null}
              <Tooltip title={`SHA-256 ${f.sha256}`}>
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {f.uploadedBy} · {formatDateTime(f.uploadedAt, i18n.language)} · SHA-256 {f.sha256.slice(0, 12)}…
                </Typography>
              </Tooltip>
            </Box>
            <Tooltip title={t('casework.files.download')}>
              <IconButton onClick={() => void download(f)} aria-label={t('casework.files.download')} data-testid={`file-${f.id}-download`}>
                <DownloadIcon />
              </IconButton>
            </Tooltip>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
