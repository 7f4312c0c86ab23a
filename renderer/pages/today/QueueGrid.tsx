// The day's work items in the order the backend gives them (most urgent queue first, then due, then
// amount), with the escalation step each case is due for; a click opens the case.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import { formatDateTime } from '../../format.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { formatFen } from '../../placement.js';
import type { QueueItem } from '../../../shared/contract/assignment.js';

const QUEUE_COLOR = { promises: 'error', followUps: 'info', new: 'primary', escalation: 'warning' } as const;

function NextStep({ step }: { step: QueueItem['nextStep'] }) {
  const { t } = useTranslation();
  if (!step) return <Box component="span" sx={{ color: 'text.disabled' }}>—</Box>;
  const action = t(`today.actions.${step.action}`, { defaultValue: step.action });
  return step.behind ? (
    <Box component="span" sx={{ color: 'warning.main', fontWeight: 600 }}>
      {t('today.behind', { action })}
    </Box>
  ) : (
    <span>{t('today.inDays', { action, count: step.inDays })}</span>
  );
}

export function QueueGrid({ items, showQueue, onOpen }: { items: QueueItem[]; showQueue: boolean; onOpen: (caseId: number) => void }) {
  const { t, i18n } = useTranslation();
  const localeText = useGridLocaleText(t('today.empty'));
  const lang = i18n.language;
  const columns: GridColDef<QueueItem>[] = useMemo(
    () => [
      {
        field: 'queue',
        headerName: t('today.col.queue'),
        width: 100,
        renderCell: (p) => <Chip size="small" variant="outlined" color={QUEUE_COLOR[p.row.queue]} label={t(`today.queues.${p.row.queue}`)} />,
      },
      { field: 'caseNo', headerName: t('cases.col.caseNo'), minWidth: 110, flex: 1 },
      { field: 'lenderCode', headerName: t('cases.col.lender'), width: 76 },
      { field: 'borrowerName', headerName: t('cases.col.borrower'), width: 86 },
      { field: 'mobile', headerName: t('cases.col.mobile'), width: 116, cellClassName: 'digits' },
      { field: 'overdueAmountFen', headerName: t('cases.col.amount'), type: 'number', width: 130, valueFormatter: (v: number) => formatFen(v) },
      { field: 'daysOverdue', headerName: t('cases.col.days'), type: 'number', width: 84, valueFormatter: (v: number | null) => v ?? '—' },
      { field: 'bucket', headerName: t('cases.col.bucket'), width: 64 },
      { field: 'stage', headerName: t('cases.col.stage'), width: 70, valueFormatter: (v: string) => t(`cases.stages.${v}`, { defaultValue: v }) },
      { field: 'due', headerName: t('today.col.due'), width: 140, valueFormatter: (v: string | null) => (v === null ? '' : v.includes('T') ? formatDateTime(v, lang) : v) },
      { field: 'nextStep', headerName: t('today.col.nextStep'), minWidth: 150, flex: 1, renderCell: (p) => <NextStep step={p.row.nextStep} /> },
    ],
    [t, lang],
  );

  return (
    <DataGrid
      rows={items}
      columns={columns}
      getRowId={(r) => r.caseId}
      onRowClick={(p) => onOpen(p.row.caseId)}
      disableRowSelectionOnClick
      disableColumnSorting
      disableColumnFilter
      density="compact"
      columnVisibilityModel={{ queue: showQueue }}
      initialState={{ pagination: { paginationModel: { pageSize: 100 } } }}
      pageSizeOptions={[25, 50, 100]}
      localeText={localeText}
      aria-label={t('today.title')}
      sx={{ '& .MuiDataGrid-row': { cursor: 'pointer' }, '& .digits': { fontVariantNumeric: 'tabular-nums' } }}
    />
  );
}
