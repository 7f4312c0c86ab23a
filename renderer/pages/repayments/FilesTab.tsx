// The repayment files imported, newest first, with their counts; a file's rejected rows on demand.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { identCol } from '../../grid/columns.js';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { formatFen } from '../../placement.js';
import { formatDateTime } from '../../format.js';
import { ProblemRows } from './ProblemRows.js';
import type { Rejection } from '../../../shared/contract/placements.js';
import type { RepaymentFile } from '../../../shared/contract/repayments.js';

export function FilesTab({ refresh }: { refresh: number }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [files, setFiles] = useState<RepaymentFile[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<{ file: RepaymentFile; rejections: Rejection[] } | null>(null);
  const localeText = useGridLocaleText(t('repayments.files.empty'));

  useEffect(() => {
    api.call('repayments.files', {}).then(
      (r) => setFiles(r.files),
      (e) => setError(e),
    );
  }, [api, refresh]);

  const show = async (f: RepaymentFile) => {
    try {
      setOpen({ file: f, rejections: (await api.call('repayments.file', { fileId: f.id })).rejections });
    } catch (e) {
      setError(e);
    }
  };

  const columns: GridColDef<RepaymentFile>[] = useMemo(
    () => [
      { field: 'importedAt', headerName: t('repayments.files.col.importedAt'), width: 170, valueFormatter: (v: string) => formatDateTime(v, i18n.language) },
      identCol({ field: 'lenderCode', headerName: t('repayments.files.col.lender'), width: 100 }),
      { field: 'fileName', headerName: t('repayments.files.col.fileName'), flex: 1, minWidth: 160 },
      { field: 'rowsTotal', headerName: t('repayments.files.col.rows'), type: 'number', width: 80 },
      { field: 'matched', headerName: t('repayments.files.col.matched'), type: 'number', width: 80 },
      { field: 'posted', headerName: t('repayments.files.col.posted'), type: 'number', width: 80 },
      { field: 'rejected', headerName: t('repayments.files.col.rejected'), type: 'number', width: 80 },
      { field: 'amountFen', headerName: t('repayments.files.col.amount'), type: 'number', width: 140, valueFormatter: (v: number) => formatFen(v, { symbol: '¥' }) },
      { field: 'importedBy', headerName: t('repayments.files.col.by'), width: 100 },
      {
        field: 'actions',
        headerName: '',
        width: 110,
        sortable: false,
        renderCell: (p) =>
          p.row.rejected ? (
            <Button size="small" onClick={() => void show(p.row)} data-testid={`repay-file-rejections-${p.row.id}`}>
              {t('repayments.files.show')}
            </Button>
          ) : null,
      },
    ],
    [t, i18n.language],
  );

  return (
    <Box>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      <Box sx={{ height: 'calc(100vh - 260px)', minHeight: 280 }} data-testid="repay-files">
        <AppGrid gridId="repayments.files" rows={files ?? []} columns={columns} loading={files === null && !error} density="compact" disableRowSelectionOnClick disableColumnFilter localeText={localeText} />
      </Box>
      <Dialog open={open !== null} onClose={() => setOpen(null)} maxWidth="md" fullWidth>
        <DialogTitle>{open ? t('repayments.files.rejections', { name: open.file.fileName }) : ''}</DialogTitle>
        <DialogContent>{open ? <ProblemRows rejections={open.rejections} testId="repay-file-problems" height={360} /> : null}</DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(null)}>{t('repayments.files.close')}</Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
