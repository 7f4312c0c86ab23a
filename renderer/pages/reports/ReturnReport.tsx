// One recall's return report (退案报告): the cases it returned, each with its reason and stage before,
// and a CSV of it made in the browser (UTF-8 with BOM, so Excel reads Chinese).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { formatDateTime } from '../../format.js';
import { yuan } from '../../money.js';
import { stageName } from '../../casework.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';
import { saveBlob } from '../../download.js';
import { csvText } from '../../../shared/domain/reports/csv-safe.js';

type Detail = MethodOutput<'recalls.get'>;

/** The return report as CSV: cells neutralised by the same rule as the report packages (csv-safe.ts). */
export function returnReportCsv(d: Detail, headers: string[], stage: (s: string) => string): string {
  const rows = d.cases.map((c) => [c.caseNo, c.borrowerName, stage(c.stageBefore), c.reason, (c.overdueAmountFen / 100).toFixed(2)]);
  return csvText([headers, ...rows]);
}

export function ReturnReport({ recallId, onClose }: { recallId: number; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.call('recalls.get', { recallId }).then(setDetail, (e: unknown) => setError(describeError(t, e)));
  }, [api, recallId, t]);

  const download = () => {
    if (!detail) return;
    const headers = [t('recalls.caseNo'), t('recalls.borrower'), t('recalls.stageBefore'), t('recalls.why'), t('recalls.overdue')];
    const blob = new Blob([returnReportCsv(detail, headers, (s) => stageName(t, s))], { type: 'text/csv;charset=utf-8' });
    saveBlob(`return-report-${detail.recall.lender}-${detail.recall.id}.csv`, blob);
  };

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" slotProps={{ paper: { 'data-testid': 'return-report' } as object }}>
      <DialogTitle>{detail ? t('recalls.report', { id: detail.recall.id, lender: detail.recall.lender }) : t('recalls.open')}</DialogTitle>
      <DialogContent>
        {error ? <Alert severity="error">{error}</Alert> : null}
        {detail ? (
          <>
            <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
              {t(`recalls.source.${detail.recall.source}`)}
              {detail.recall.fileName ? ` · ${detail.recall.fileName}` : ''} · {formatDateTime(detail.recall.recalledAt, i18n.language)} · {detail.recall.recalledBy} · {detail.recall.reason}
            </Typography>
            <Table size="small" data-testid="return-report-cases">
              <TableHead>
                <TableRow>
                  <TableCell>{t('recalls.caseNo')}</TableCell>
                  <TableCell>{t('recalls.borrower')}</TableCell>
                  <TableCell>{t('recalls.stageBefore')}</TableCell>
                  <TableCell>{t('recalls.why')}</TableCell>
                  <TableCell align="right">{t('recalls.overdue')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {detail.cases.map((c) => (
                  <TableRow key={c.caseId} data-testid={`return-report-${c.caseNo}`}>
                    <TableCell>{c.caseNo}</TableCell>
                    <TableCell>{c.borrowerName}</TableCell>
                    <TableCell>{stageName(t, c.stageBefore)}</TableCell>
                    <TableCell>{c.reason}</TableCell>
                    <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>{yuan(c.overdueAmountFen)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={download} disabled={!detail} data-testid="return-report-csv">{t('recalls.csv')}</Button>
        <Button onClick={onClose} data-testid="return-report-close">{t('recalls.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}
