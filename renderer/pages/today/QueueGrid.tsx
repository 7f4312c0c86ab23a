// The day's work items in the order the backend gives them (most urgent queue first, then due, then
// amount), with the escalation step each case is due for; a click opens the case.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import { useGridLocaleText } from '../../gridLocale.js';
import { formatFen } from '../../placement.js';
import type { QueueItem } from '../../../shared/contract/assignment.js';

/** A follow-up is due today or earlier: the day and time, short ("11/23 14:30"). */
function formatDueTime(iso: string, lang: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
}

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
        width: 120,
        renderCell: (p) => <Chip size="small" variant="outlined" color={QUEUE_COLOR[p.row.queue]} label={t(`today.queues.${p.row.queue}`)} />,
      },
      { field: 'caseNo', headerName: t('cases.col.caseNo'), minWidth: 100, flex: 1 },
      { field: 'lenderCode', headerName: t('cases.col.lender'), width: 70 },
      { field: 'borrowerName', headerName: t('cases.col.borrower'), width: 80 },
      { field: 'mobile', headerName: t('cases.col.mobile'), width: 120, cellClassName: 'digits' },
      { field: 'overdueAmountFen', headerName: t('cases.col.amount'), type: 'number', width: 120, valueFormatter: (v: number) => formatFen(v) },
      { field: 'daysOverdue', headerName: t('cases.col.days'), type: 'number', width: 80, valueFormatter: (v: number | null) => v ?? '—' },
      { field: 'bucket', headerName: t('cases.col.bucket'), width: 64 },
      { field: 'stage', headerName: t('cases.col.stage'), width: 64, valueFormatter: (v: string) => t(`cases.stages.${v}`, { defaultValue: v }) },
      { field: 'due', headerName: t('today.col.due'), width: 100, valueFormatter: (v: string | null) => (v === null ? '' : v.includes('T') ? formatDueTime(v, lang) : v) },
      { field: 'nextStep', headerName: t('today.col.nextStep'), minWidth: 170, flex: 1, renderCell: (p) => <NextStep step={p.row.nextStep} /> },
    ],
    [t, lang],
  );

  return (
    <DataGrid
      rows={items}
      columns={columns}
      getRowId={(r) => r.caseId}
      onRowClick={(p) => onOpen(p.row.caseId)}
      onCellKeyDown={(p, e) => e.key === 'Enter' && onOpen(p.row.caseId)}
      disableRowSelectionOnClick
      disableColumnSorting
      disableColumnFilter
      density="compact"
      // The queue column only in the mixed list; Due only when something has a date to show.
      columnVisibilityModel={{ queue: showQueue, due: items.some((i) => i.due !== null) }}
      initialState={{ pagination: { paginationModel: { pageSize: 100 } } }}
      pageSizeOptions={[25, 50, 100]}
      localeText={localeText}
      aria-label={t('today.title')}
      sx={{ '& .MuiDataGrid-row': { cursor: 'pointer' }, '& .digits': { fontVariantNumeric: 'tabular-nums' } }}
    />
  );
}
