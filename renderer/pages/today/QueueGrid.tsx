// The day's work items in the order the backend gives them (most urgent queue first, then due, then
// amount), with the escalation step each case is due for; a click opens the case.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { identCol } from '../../grid/columns.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { formatFen } from '../../placement.js';
import { useOutcomes } from '../../outcomes.js';
import type { QueueItem } from '../../../shared/contract/assignment.js';

/** A follow-up is due today or earlier: the day and time, short ("11/23 14:30"). */
function formatDueTime(iso: string, lang: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
}

const QUEUE_COLOR = { promises: 'error', followUps: 'info', new: 'primary', escalation: 'warning', contacted: 'success' } as const;

/** "Behind" only on the rows the behind queue counts; elsewhere a due step reads as due, so the tab's count and its rows agree. */
function NextStep({ step, queue }: { step: QueueItem['nextStep']; queue: QueueItem['queue'] }) {
  const { t } = useTranslation();
  if (!step) return <Box component="span" sx={{ color: 'text.disabled' }}>—</Box>;
  const action = t(`today.actions.${step.action}`, { defaultValue: step.action });
  if (step.behind && queue !== 'escalation') return <span>{t('today.dueStep', { action })}</span>;
  return step.behind ? (
    <Box component="span" sx={{ color: 'warning.main', fontWeight: 600 }}>
      {t('today.behind', { action })}
    </Box>
  ) : (
    <span>{t('today.inDays', { action, count: step.inDays })}</span>
  );
}

/** Today's last contact: its time and outcome ("14:05 承诺还款", inbound marked). */
function LastContact({ last }: { last: QueueItem['lastContact'] }) {
  const { t, i18n } = useTranslation();
  const outcomes = useOutcomes();
  if (!last) return null;
  const time = new Date(last.at).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit', hour12: false });
  const outcome = outcomes.name(last.outcome) + (last.direction === 'inbound' ? ` (${t('today.inbound')})` : '');
  return <span data-testid="today-last-contact">{t('today.lastContact', { time, outcome })}</span>;
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
      identCol({ field: 'caseNo', headerName: t('cases.col.caseNo'), minWidth: 100, flex: 1 }),
      identCol({ field: 'lenderCode', headerName: t('cases.col.lender'), width: 70 }),
      { field: 'borrowerName', headerName: t('cases.col.borrower'), width: 80 },
      identCol({ field: 'mobile', headerName: t('cases.col.mobile'), width: 120, cellClassName: 'digits' }),
      { field: 'outstandingFen', headerName: t('money.figures.outstanding'), description: t('money.figures.outstandingHelp'), type: 'number', width: 120, valueFormatter: (v: number) => formatFen(v) },
      { field: 'daysOverdue', headerName: t('cases.col.days'), type: 'number', width: 80, valueFormatter: (v: number | null) => v ?? '—' },
      { field: 'bucket', headerName: t('cases.col.bucket'), width: 64 },
      { field: 'stage', headerName: t('cases.col.stage'), width: 64, valueFormatter: (v: string) => t(`cases.stages.${v}`, { defaultValue: v }) },
      { field: 'due', headerName: t('today.col.due'), width: 100, valueFormatter: (v: string | null) => (v === null ? '' : v.includes('T') ? formatDueTime(v, lang) : v) },
      { field: 'nextStep', headerName: t('today.col.nextStep'), minWidth: 170, flex: 1, renderCell: (p) => <NextStep step={p.row.nextStep} queue={p.row.queue} /> },
      { field: 'lastContact', headerName: t('today.col.lastContact'), minWidth: 140, renderCell: (p) => <LastContact last={p.row.lastContact} /> },
    ],
    [t, lang],
  );

  return (
    <AppGrid gridId="today"
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
      columnVisibilityModel={{ queue: showQueue, due: items.some((i) => i.due !== null), lastContact: items.some((i) => i.lastContact !== null) }}
      initialState={{ pagination: { paginationModel: { pageSize: 100 } } }}
      pageSizeOptions={[25, 50, 100]}
      localeText={localeText}
      aria-label={t('today.title')}
      sx={{ '& .MuiDataGrid-row': { cursor: 'pointer' }, '& .digits': { fontVariantNumeric: 'tabular-nums' } }}
    />
  );
}
