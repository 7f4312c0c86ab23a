// Import a lender's repayment file: lender and file, then the preview (columns, what the rows become,
// problem rows), then the import in one go, then what happened. Nothing is written before "Import".
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { formatFen } from '../../placement.js';
import { formatDateTime } from '../../format.js';
import { FileStep } from '../import/FileStep.js';
import { Counts } from './Counts.js';
import { ProblemRows } from './ProblemRows.js';
import { RepaymentMapping } from './RepaymentMapping.js';
import type { FileRef, Lender } from '../../../shared/contract/placements.js';
import type { RepaymentImport, RepaymentPreview } from '../../../shared/contract/repayments.js';

export function ImportTab({ lenders, onImported }: { lenders: Lender[]; onImported: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [lenderId, setLenderId] = useState<number | ''>('');
  const [file, setFile] = useState<File | null>(null);
  const [ref, setRef] = useState<FileRef | null>(null);
  const [sheet, setSheet] = useState('');
  const [preview, setPreview] = useState<RepaymentPreview | null>(null);
  const [result, setResult] = useState<RepaymentImport | null>(null);
  const [busy, setBusy] = useState<'' | 'reading' | 'importing'>('');
  const [error, setError] = useState<unknown>(null);

  const mappingOf = (p: RepaymentPreview, change?: [string, number]): Record<string, string> => {
    const cols: Record<string, number | null> = { ...p.mapping, ...(change ? { [change[0]]: change[1] } : {}) };
    // A column feeds one field: the field that held the newly picked column gives it up.
    if (change) for (const [k, c] of Object.entries(cols)) if (k !== change[0] && c === change[1]) cols[k] = null;
    const out: Record<string, string> = {};
    for (const [k, c] of Object.entries(cols)) if (c !== null && p.headers[c]?.trim()) out[k] = p.headers[c]!;
    return out;
  };

  const runPreview = async (mapping?: Record<string, string>, useSheet = sheet) => {
    if (lenderId === '' || !file) return;
    setBusy('reading');
    setError(null);
    try {
      const staged = ref ?? (await api.stageFile(file, 'repayment'));
      setRef(staged);
      setPreview(await api.call('repayments.preview', { lenderId, file: staged, mapping, sheet: useSheet || undefined }));
    } catch (e) {
      setError(e);
    }
    setBusy('');
  };

  const runImport = async () => {
    if (lenderId === '' || !ref || !preview) return;
    setBusy('importing');
    setError(null);
    try {
      setResult(await api.call('repayments.import', { lenderId, file: ref, mapping: mappingOf(preview), sheet: sheet || undefined }));
      onImported();
    } catch (e) {
      setError(e);
    }
    setBusy('');
  };

  const reset = () => {
    setFile(null);
    setRef(null);
    setPreview(null);
    setResult(null);
    setSheet('');
    setError(null);
  };

  if (result) {
    return (
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }} data-testid="repay-result">
        <Alert severity={result.file ? 'success' : 'warning'} data-testid="repay-result-message">
          {result.file ? t('repayments.done', { matched: result.matched, posted: result.posted, rejected: result.rejected }) : t('repayments.nothingUsable')}
        </Alert>
        <Counts
          testId="repay-done"
          figures={[
            { id: 'matched', label: t('repayments.countsDone.matched'), value: result.matched, color: 'success.main' },
            { id: 'posted', label: t('repayments.countsDone.posted'), value: result.posted, color: 'info.main' },
            { id: 'rejected', label: t('repayments.countsDone.rejected'), value: result.rejected, color: result.rejected ? 'error.main' : 'text.primary' },
            { id: 'settled', label: t('repayments.countsDone.settled'), value: result.settled },
            { id: 'amount', label: t('repayments.counts.amount'), value: formatFen(result.amountFen, { symbol: '¥' }) },
          ]}
        />
        {result.rejections.length ? (
          <>
            <Typography variant="subtitle1">{t('repayments.problems', { count: result.rejections.length })}</Typography>
            <ProblemRows rejections={result.rejections} testId="repay-result-problems" />
          </>
        ) : null}
        <Box>
          <Button variant="outlined" onClick={reset} data-testid="repay-again">
            {t('repayments.again')}
          </Button>
        </Box>
      </Box>
    );
  }

  const usable = preview ? preview.matched + preview.posted : 0;
  const blocked = !preview || preview.missingRequired.length > 0 || preview.duplicateOf !== null || usable === 0;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <FileStep
        lenders={lenders}
        lenderId={lenderId}
        onLender={(id) => {
          setLenderId(id);
          setPreview(null);
        }}
        file={file}
        onFile={(f) => {
          setFile(f);
          setRef(null);
          setPreview(null);
          setSheet('');
        }}
        sheets={preview?.sheets ?? []}
        sheet={sheet}
        onSheet={(s) => {
          setSheet(s);
          void runPreview(undefined, s);
        }}
        busy={busy !== ''}
      />
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
        <Button variant="contained" onClick={() => void runPreview()} disabled={busy !== '' || lenderId === '' || !file} data-testid="repay-preview">
          {t('repayments.preview')}
        </Button>
        <Typography variant="body2" sx={{ color: 'text.secondary', maxWidth: 760 }}>
          {t('repayments.help')}
        </Typography>
      </Box>
      {busy ? <LinearProgress aria-label={t(busy === 'reading' ? 'repayments.reading' : 'repayments.importing')} /> : null}
      {error ? (
        <Alert severity="error" data-testid="repay-error">
          {describeError(t, error)}
        </Alert>
      ) : null}
      {preview ? (
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }} data-testid="repay-preview-panel">
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {t('repayments.headerRow', { row: preview.headerRow, format: preview.format.toUpperCase(), encoding: preview.encoding ? ` · ${preview.encoding}` : '' })}
          </Typography>
          <RepaymentMapping headers={preview.headers} columns={preview.mapping} disabled={busy !== ''} onChange={(field, col) => void runPreview(mappingOf(preview, [field, col]))} />
          {preview.missingRequired.length ? (
            <Alert severity="warning" data-testid="repay-missing">
              {t('repayments.missing', { fields: preview.missingRequired.map((k) => t(`repayments.fields.${k}`)).join('、') })}
            </Alert>
          ) : null}
          {preview.duplicateOf ? (
            <Alert severity="error" data-testid="repay-duplicate">
              {t('repayments.duplicate', { name: preview.duplicateOf.fileName, at: formatDateTime(preview.duplicateOf.importedAt, i18n.language) })}
            </Alert>
          ) : null}
          <Counts
            testId="repay-counts"
            figures={[
              { id: 'total', label: t('repayments.counts.totalRows'), value: preview.totalRows },
              { id: 'matched', label: t('repayments.counts.matched'), value: preview.matched, color: 'success.main' },
              { id: 'posted', label: t('repayments.counts.posted'), value: preview.posted, color: 'info.main' },
              { id: 'rejected', label: t('repayments.counts.rejected'), value: preview.rejected, color: preview.rejected ? 'error.main' : 'text.primary' },
              { id: 'amount', label: t('repayments.counts.amount'), value: formatFen(preview.amountFen, { symbol: '¥' }) },
            ]}
          />
          {preview.sample.length ? (
            <Box>
              <Typography variant="subtitle1" sx={{ mb: 1 }}>
                {t('repayments.sample')}
              </Typography>
              <Table size="small" sx={{ maxWidth: 760 }} data-testid="repay-sample">
                <TableHead>
                  <TableRow>
                    <TableCell>{t('repayments.col.row')}</TableCell>
                    <TableCell>{t('repayments.col.caseNo')}</TableCell>
                    <TableCell align="right">{t('repayments.col.amount')}</TableCell>
                    <TableCell>{t('repayments.col.paidOn')}</TableCell>
                    <TableCell>{t('repayments.col.outcome')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {preview.sample.slice(0, 8).map((r) => (
                    <TableRow key={r.row}>
                      <TableCell>{r.row}</TableCell>
                      <TableCell>{r.caseNo}</TableCell>
                      <TableCell align="right">{formatFen(r.amountFen, { symbol: '¥' })}</TableCell>
                      <TableCell>{r.paidOn}</TableCell>
                      <TableCell sx={{ color: r.outcome === 'matched' ? 'success.main' : 'info.main' }}>{t(`repayments.outcome.${r.outcome}`)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          ) : null}
          <Typography variant="subtitle1">{t('repayments.problems', { count: preview.rejections.length })}</Typography>
          <ProblemRows rejections={preview.rejections} testId="repay-problems" />
          <Box>
            <Button variant="contained" color="primary" onClick={() => void runImport()} disabled={blocked || busy !== ''} data-testid="repay-confirm">
              {t('repayments.confirm', { count: usable })}
            </Button>
          </Box>
        </Box>
      ) : null}
    </Box>
  );
}
