// Export: a lender, a batch or a period, CSV and/or XLSX, folder or .zip → a signed package; shows its
// path, each file with rows and SHA-256, the signing key's fingerprint, and the packages made before.
import { useCallback, useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { formatCount, formatDateTime } from '../../format.js';
import { LenderPicker } from '../../components/LenderPicker.js';
import { FileTable, grouped } from './FileTable.js';
import { onDesktop } from '../../download.js';
import type { Batch, Lender } from '../../../shared/contract/placements.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

type Result = MethodOutput<'reports.export'>;
type Earlier = MethodOutput<'reports.exports'>['exports'];
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function ExportTab({ lenders }: { lenders: Lender[] }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [lenderId, setLenderId] = useState<number | ''>('');
  const [batches, setBatches] = useState<Batch[]>([]);
  const [scope, setScope] = useState<'batch' | 'period'>('batch');
  const [batchId, setBatchId] = useState<number | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [formats, setFormats] = useState({ csv: true, xlsx: true });
  const [zip, setZip] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [earlier, setEarlier] = useState<Earlier>([]);

  const reload = useCallback(async () => {
    try {
      setEarlier((await api.call('reports.exports', lenderId === '' ? { limit: 20 } : { lenderId, limit: 20 })).exports);
    } catch (e) {
      setError(describeError(t, e));
    }
  }, [api, lenderId, t]);
  useEffect(() => {
    void reload();
  }, [reload]);
  useEffect(() => {
    setBatchId('');
    if (lenderId === '') return setBatches([]);
    void api.call('batches.list', { lenderId }).then((r) => setBatches(r.batches)).catch((e: unknown) => setError(describeError(t, e)));
  }, [api, lenderId, t]);

  const chosen = (['csv', 'xlsx'] as const).filter((f) => formats[f]);
  // The package as a .zip: the browser downloads it from the web host; the desktop app asks where to save it.
  const download = async (exportId: number) => {
    setError(null);
    try {
      await api.downloadPackage(exportId);
    } catch (e) {
      setError(describeError(t, e));
    }
  };
  const downloadButton = (exportId: number, testId: string) => (
    <Button size="small" variant="outlined" onClick={() => void download(exportId)} data-testid={testId}>
      {onDesktop() ? t('reports.export.saveZip') : t('reports.export.download')}
    </Button>
  );
  const run = async () => {
    if (lenderId === '') return;
    if (scope === 'batch' ? batchId === '' : !from || !to) return setError(t('reports.export.needScope'));
    if (chosen.length === 0) return setError(t('reports.export.needFormat'));
    setBusy(true);
    setError(null);
    try {
      const r = await api.call('reports.export', { lenderId, ...(scope === 'batch' ? { batchId: Number(batchId) } : { from, to }), formats: chosen, zip });
      setResult(r);
      void reload();
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center' }}>
        <LenderPicker lenders={lenders} value={lenderId} onChange={(id) => { setLenderId(id); setResult(null); }} testId="reports-lender" />
        <ToggleButtonGroup size="small" exclusive value={scope} onChange={(_e, v: 'batch' | 'period' | null) => v && setScope(v)} aria-label={t('reports.export.scope')}>
          <ToggleButton value="batch" data-testid="reports-scope-batch">{t('reports.export.byBatch')}</ToggleButton>
          <ToggleButton value="period" data-testid="reports-scope-period">{t('reports.export.byPeriod')}</ToggleButton>
        </ToggleButtonGroup>
        {scope === 'batch' ? (
          <TextField
            select
            size="small"
            label={t('reports.export.batch')}
            value={batches.some((b) => b.id === batchId) ? batchId : ''}
            onChange={(e) => setBatchId(Number(e.target.value))}
            sx={{ minWidth: 220 }}
            disabled={lenderId === ''}
            slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('reports-batch') }, inputLabel: { shrink: true } }}
          >
            <MenuItem value="" disabled>{t('reports.export.pickBatch')}</MenuItem>
            {batches.map((b) => (
              <MenuItem key={b.id} value={b.id} data-testid={`reports-batch-${b.batchNo}`}>{b.batchNo}</MenuItem>
            ))}
          </TextField>
        ) : (
          <>
            <TextField size="small" type="date" label={t('reports.export.from')} value={from} onChange={(e) => setFrom(e.target.value)} slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'reports-from' } }} />
            <TextField size="small" type="date" label={t('reports.export.to')} value={to} onChange={(e) => setTo(e.target.value)} slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'reports-to' } }} />
          </>
        )}
      </Box>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center' }}>
        <Typography sx={{ color: 'text.secondary' }}>{t('reports.export.formats')}</Typography>
        {(['csv', 'xlsx'] as const).map((f) => (
          <FormControlLabel key={f} label={f.toUpperCase()} control={<Checkbox checked={formats[f]} onChange={(e) => setFormats({ ...formats, [f]: e.target.checked })} data-testid={`reports-format-${f}`} />} />
        ))}
        <FormControlLabel label={t('reports.export.zip')} control={<Switch checked={zip} onChange={(e) => setZip(e.target.checked)} data-testid="reports-zip" />} />
        <Button variant="contained" onClick={() => void run()} disabled={busy || lenderId === ''} data-testid="reports-export-run">
          {busy ? t('reports.export.running') : t('reports.export.run')}
        </Button>
      </Box>
      {error ? <Alert severity="error" data-testid="reports-export-error">{error}</Alert> : null}
      {result ? (
        <Paper variant="outlined" sx={{ p: 2 }} data-testid="reports-export-result">
          <Alert severity="success" sx={{ mb: 1 }}>{t('reports.export.done')}</Alert>
          <Typography sx={{ wordBreak: 'break-all' }}>
            <b>{t('reports.export.path')}:</b> <span data-testid="reports-export-path">{result.path}</span>
          </Typography>
          <Typography sx={{ mb: 1 }}>
            <b>{t('reports.export.fingerprint')}:</b> <span style={{ fontFamily: 'monospace' }} data-testid="reports-export-fingerprint">{grouped(result.fingerprint)}</span>
          </Typography>
          <Typography sx={{ mb: 1, wordBreak: 'break-all' }}>
            <b>manifest.json SHA-256:</b> <span style={{ fontFamily: 'monospace', fontSize: 12 }} data-testid="reports-export-manifest">{result.manifestSha256}</span>
          </Typography>
          <FileTable files={result.files} testId="reports-export-files" />
          <Box sx={{ mt: 1 }}>{downloadButton(result.exportId, 'reports-export-download')}</Box>
        </Paper>
      ) : null}
      <Typography variant="h6">{t('reports.export.earlier')}</Typography>
      {earlier.length === 0 ? (
        <Typography sx={{ color: 'text.secondary' }}>{t('reports.export.none')}</Typography>
      ) : (
        earlier.map((e) => (
          <Paper key={e.id} variant="outlined" sx={{ p: 1.5 }} data-testid={`reports-earlier-${e.id}`}>
            <Typography sx={{ fontWeight: 600 }}>
              {e.lender} · {e.batchNo ?? `${e.from ?? '…'} – ${e.to ?? ''}`}
            </Typography>
            <Typography variant="body2" sx={{ color: 'text.secondary', wordBreak: 'break-all' }}>
              {t('reports.export.generated')} {formatDateTime(e.generatedAt, i18n.language)} · {t('reports.export.by')} {e.generatedBy ?? '—'} · {e.path}
            </Typography>
            <Typography variant="body2" sx={{ fontFamily: 'monospace', color: 'text.secondary' }}>
              {grouped(e.fingerprint)}
            </Typography>
            <Typography variant="body2">
              {e.files.filter((f) => f.rows !== null).map((f) => `${f.name} (${formatCount(f.rows!)})`).join(' · ')}
            </Typography>
            <Box sx={{ mt: 0.5 }}>{downloadButton(e.id, `reports-earlier-${e.id}-download`)}</Box>
          </Paper>
        ))
      )}
    </Box>
  );
}
