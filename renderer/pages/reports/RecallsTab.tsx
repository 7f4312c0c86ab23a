// Recalls (退案): recall the cases a lender's file lists — Check (a dry run: how many would return, and the
// skipped rows with why), then Recall — and the recalls so far, each opening its return report.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { formatCount, formatDateTime } from '../../format.js';
import { LenderPicker } from '../../components/LenderPicker.js';
import { Rejections } from './Rejections.js';
import { ReturnReport } from './ReturnReport.js';
import type { Lender } from '../../../shared/contract/placements.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

type Result = MethodOutput<'recalls.importFile'>;
type Recall = MethodOutput<'recalls.list'>['recalls'][number];

export function RecallsTab({ lenders, canRecall }: { lenders: Lender[]; canRecall: boolean }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const [lenderId, setLenderId] = useState<number | ''>('');
  const [file, setFile] = useState<File | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<'check' | 'run' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [recalls, setRecalls] = useState<Recall[]>([]);
  const [open, setOpen] = useState<number | null>(null);

  const reload = useCallback(async () => {
    try {
      setRecalls((await api.call('recalls.list', lenderId === '' ? {} : { lenderId })).recalls);
    } catch (e) {
      setError(describeError(t, e));
    }
  }, [api, lenderId, t]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const submit = async (dryRun: boolean) => {
    if (lenderId === '' || !file) return;
    if (reason.trim().length < 2) return setError(t('recalls.reasonNeeded'));
    setBusy(dryRun ? 'check' : 'run');
    setError(null);
    try {
      // Staged again each time: an upload is read once by the backend.
      const ref = await api.stageFile(file, 'recall');
      const r = await api.call('recalls.importFile', { lenderId, file: ref, reason: reason.trim(), dryRun });
      setResult(r);
      if (!dryRun) {
        setFile(null);
        void reload();
        if (r.recallId) setOpen(r.recallId);
      }
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      {canRecall ? (
        <Paper variant="outlined" sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2 }} data-testid="recall-file-form">
          <Typography variant="h6">{t('recalls.byFile')}</Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: -1.5 }}>{t('recalls.fileHelp')}</Typography>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center' }}>
            <LenderPicker lenders={lenders} value={lenderId} onChange={(id) => { setLenderId(id); setResult(null); }} testId="recall-lender" />
            <Button variant="outlined" onClick={() => input.current?.click()} disabled={busy !== null} data-testid="recall-choose">{t('recalls.choose')}</Button>
            <input
              ref={input}
              type="file"
              accept=".csv,.xlsx,.xls,.txt"
              hidden
              data-testid="recall-file-input"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setResult(null);
                e.target.value = '';
              }}
            />
            {file ? <Typography sx={{ fontWeight: 500, wordBreak: 'break-all' }} data-testid="recall-file-name">{file.name}</Typography> : null}
          </Box>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center' }}>
            <TextField size="small" label={t('recalls.reason')} value={reason} onChange={(e) => setReason(e.target.value)} sx={{ minWidth: 320 }} slotProps={{ htmlInput: { 'data-testid': 'recall-reason', maxLength: 500 } }} />
            <Button variant="outlined" onClick={() => void submit(true)} disabled={busy !== null || lenderId === '' || !file} data-testid="recall-check">
              {busy === 'check' ? t('recalls.checking') : t('recalls.check')}
            </Button>
            <Button variant="contained" color="error" onClick={() => void submit(false)} disabled={busy !== null || lenderId === '' || !file || !result?.dryRun || result.recalled === 0} data-testid="recall-run">
              {busy === 'run' ? t('recalls.running') : t('recalls.run')}
            </Button>
          </Box>
          {error ? <Alert severity="error" data-testid="recall-error">{error}</Alert> : null}
          {result ? (
            <Box data-testid="recall-result">
              <Alert severity={result.dryRun ? 'info' : 'success'} data-testid="recall-count">
                {t(result.dryRun ? 'recalls.wouldReturn' : 'recalls.returned', { count: result.recalled })}
              </Alert>
              <Rejections rows={result.rejections} testId="recall-skipped" />
            </Box>
          ) : null}
        </Paper>
      ) : null}
      <Typography variant="h6">{t('recalls.list')}</Typography>
      {recalls.length === 0 ? (
        <Typography sx={{ color: 'text.secondary' }}>{t('recalls.none')}</Typography>
      ) : (
        <Table size="small" data-testid="recalls-list">
          <TableHead>
            <TableRow>
              <TableCell>#</TableCell>
              <TableCell>{t('recalls.when')}</TableCell>
              <TableCell>{t('recalls.lender')}</TableCell>
              <TableCell>{t('recalls.source.file')} / {t('recalls.source.selection')}</TableCell>
              <TableCell>{t('recalls.why')}</TableCell>
              <TableCell align="right">{t('recalls.cases')}</TableCell>
              <TableCell>{t('recalls.by')}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {recalls.map((r) => (
              <TableRow key={r.id} data-testid={`recall-${r.id}`}>
                <TableCell>{r.id}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.recalledAt, i18n.language)}</TableCell>
                <TableCell>{r.lender}</TableCell>
                <TableCell sx={{ wordBreak: 'break-all' }}>{r.source === 'file' ? r.fileName ?? t('recalls.source.file') : t('recalls.source.selection')}</TableCell>
                <TableCell>{r.reason}</TableCell>
                <TableCell align="right">{formatCount(r.cases)}</TableCell>
                <TableCell>{r.recalledBy}</TableCell>
                <TableCell>
                  <Button size="small" onClick={() => setOpen(r.id)} data-testid={`recall-open-${r.id}`}>{t('recalls.open')}</Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {open !== null ? <ReturnReport recallId={open} onClose={() => setOpen(null)} /> : null}
    </Box>
  );
}
