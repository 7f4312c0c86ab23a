// Placement batches (委案批次) with their counts; a batch's rejected rows (viewable, downloadable) and cases.
import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import RefreshIcon from '@mui/icons-material/Refresh';
import ReportIcon from '@mui/icons-material/ReportProblemOutlined';
import AssignmentIcon from '@mui/icons-material/Assignment';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../grid/AppGrid.js';
import { identCol } from '../grid/columns.js';
import { useApi } from '../context.js';
import { describeError } from '../errors.js';
import { formatDateTime } from '../format.js';
import { useGridLocaleText } from '../gridLocale.js';
import { formatFen } from '../placement.js';
import { useNav } from '../shell/navigation.js';
import { RejectionsDialog } from './BatchRejectionsDialog.js';
import type { Batch, Lender } from '../../shared/contract/placements.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function BatchesPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const nav = useNav();
  const [lenders, setLenders] = useState<Lender[]>([]);
  const [lenderId, setLenderId] = useState<number | ''>(nav.params.lenderId ?? '');
  const [batches, setBatches] = useState<Batch[] | null>(null);
  const [error, setError] = useState<{ cause: unknown } | null>(null);
  const [open, setOpen] = useState<Batch | null>(null);
  const localeText = useGridLocaleText(t('batches.empty'));

  useEffect(() => {
    api.call('lenders.list', {}).then(
      (r) => setLenders(r.lenders),
      (e: unknown) => setError({ cause: e }),
    );
  }, [api]);

  const reload = useCallback(async () => {
    setBatches(null);
    try {
      setBatches((await api.call('batches.list', lenderId === '' ? {} : { lenderId })).batches);
      setError(null);
    } catch (e) {
      setBatches([]);
      setError({ cause: e });
    }
  }, [api, lenderId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const lang = i18n.language;
  const columns: GridColDef<Batch>[] = useMemo(
    () => [
      identCol({ field: 'batchNo', headerName: t('batches.col.batchNo'), minWidth: 160, flex: 1 }),
      // Right after the batch number, so the actions stay in view when the counts scroll sideways.
      {
        field: 'actions',
        headerName: t('batches.col.actions'),
        width: 90,
        sortable: false,
        filterable: false,
        disableColumnMenu: true,
        renderCell: (p) => (
          <Box sx={{ display: 'flex', alignItems: 'center', height: '100%' }}>
            <Tooltip title={t('batches.rejections')}>
              <span>
                <IconButton size="small" disabled={p.row.rowsRejected === 0} onClick={() => setOpen(p.row)} aria-label={`${t('batches.rejections')} ${p.row.batchNo}`} data-testid={`batch-rejections-${p.row.batchNo}`}>
                  <ReportIcon fontSize="small" />
                </IconButton>
              </span>
            </Tooltip>
            <Tooltip title={t('batches.cases')}>
              <IconButton size="small" onClick={() => nav.navigate('cases', { batchId: p.row.id, lenderId: p.row.lenderId })} aria-label={`${t('batches.cases')} ${p.row.batchNo}`} data-testid={`batch-cases-${p.row.batchNo}`}>
                <AssignmentIcon fontSize="small" />
              </IconButton>
            </Tooltip>
          </Box>
        ),
      },
      identCol({ field: 'lenderCode', headerName: t('batches.col.lender'), width: 80 }),
      { field: 'placementDate', headerName: t('batches.col.placementDate'), width: 105 },
      { field: 'termEndDate', headerName: t('batches.col.termEnd'), width: 105, valueFormatter: (v: string | null) => v ?? '—' },
      { field: 'sourceName', headerName: t('batches.col.file'), minWidth: 130, flex: 1 },
      { field: 'rowsTotal', headerName: t('batches.col.total'), type: 'number', width: 72 },
      { field: 'rowsImported', headerName: t('batches.col.imported'), type: 'number', width: 72 },
      { field: 'rowsUpdated', headerName: t('batches.col.updated'), type: 'number', width: 80 },
      { field: 'rowsRejected', headerName: t('batches.col.rejected'), type: 'number', width: 80 },
      { field: 'amountFen', headerName: t('batches.col.amount'), type: 'number', width: 125, valueFormatter: (v: number) => formatFen(v) },
      { field: 'importedAt', headerName: t('batches.col.importedAt'), width: 165, valueFormatter: (v: string) => formatDateTime(v, lang) },
      { field: 'importedBy', headerName: t('batches.col.by'), width: 90 },
    ],
    [t, lang, nav],
  );

  return (
    <Box>
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {t('batches.title')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap', mb: 2 }}>
        <TextField
          select
          size="small"
          label={t('cases.lender')}
          value={lenderId}
          onChange={(e) => setLenderId(e.target.value === '' ? '' : Number(e.target.value))}
          sx={{ minWidth: 220 }}
          slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('batches-lender') }, inputLabel: { shrink: true } }}
        >
          <MenuItem value="">{t('batches.allLenders')}</MenuItem>
          {lenders.map((l) => (
            <MenuItem key={l.id} value={l.id}>
              {l.code} · {l.name}
            </MenuItem>
          ))}
        </TextField>
        <Button startIcon={<RefreshIcon />} onClick={() => void reload()} data-testid="batches-refresh">
          {t('common.refresh')}
        </Button>
      </Box>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error.cause)}
        </Alert>
      ) : null}
      <Box sx={{ height: 'calc(100vh - 220px)', minHeight: 320 }} data-testid="batches-grid">
        <AppGrid gridId="batches"
          rows={batches ?? []}
          columns={columns}
          loading={batches === null}
          disableRowSelectionOnClick
          density="compact"
          pageSizeOptions={[25, 50, 100]}
          initialState={{ pagination: { paginationModel: { pageSize: 100 } }, sorting: { sortModel: [{ field: 'importedAt', sort: 'desc' }] } }}
          localeText={localeText}
          aria-label={t('batches.title')}
        />
      </Box>
      {open ? <RejectionsDialog batch={open} onClose={() => setOpen(null)} /> : null}
    </Box>
  );
}
