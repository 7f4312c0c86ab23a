// The Complaints section (投诉管理): every complaint not yet closed, soonest answer due first, the ones
// past their due time in red; filters by status, lender and collector. A row opens its case; managers
// answer and close from the row. Collectors see complaints on their own cases (the backend decides).
import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { identCol } from '../../grid/columns.js';
import { useApi, useSession } from '../../context.js';
import { describeError } from '../../errors.js';
import { formatDateTime } from '../../format.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { channelName, fromName, statusName } from '../../complaints.js';
import type { Complaint } from '../../../shared/contract/complaints.js';
import type { Lender } from '../../../shared/contract/placements.js';
import type { Staff } from '../../../shared/contract/assignment.js';
import { CaseDrawer } from '../cases/CaseDrawer.js';
import { ComplaintStepDialog } from './ComplaintDialogs.js';
import { useOpenCase } from '../../shell/navigation.js';

type Show = 'unfinished' | 'overdue' | 'closed' | 'all';
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function ComplaintsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const canClear = session.permissions.includes('compliance.override');
  const [show, setShow] = useState<Show>('unfinished');
  const [lenderId, setLenderId] = useState<number | ''>('');
  const [collectorId, setCollectorId] = useState<number | ''>('');
  const [lenders, setLenders] = useState<Lender[]>([]);
  const [staff, setStaff] = useState<Staff[]>([]);
  const [rows, setRows] = useState<Complaint[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [openCase, setOpenCase] = useOpenCase();
  const [step, setStep] = useState<{ complaint: Complaint; mode: 'answer' | 'close' } | null>(null);
  const localeText = useGridLocaleText(t('complaints.empty'));

  useEffect(() => {
    if (session.permissions.includes('lenders.read')) api.call('lenders.list', {}).then((r) => setLenders(r.lenders), () => setLenders([]));
    if (session.permissions.includes('users.read')) api.call('staff.list', {}).then((r) => setStaff(r.staff), () => setStaff([]));
  }, [api, session.permissions]);
  const load = useCallback(async () => {
    try {
      const status = show === 'unfinished' ? (['open', 'answered'] as const) : show === 'closed' ? (['closed'] as const) : undefined;
      const r = await api.call('complaints.list', {
        ...(status ? { status: [...status] } : {}),
        ...(show === 'overdue' ? { overdueOnly: true } : {}),
        ...(lenderId !== '' ? { lenderId } : {}),
        ...(collectorId !== '' ? { collectorId } : {}),
      });
      setRows(r.complaints);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, show, lenderId, collectorId]);
  useEffect(() => void load(), [load]);

  const columns: GridColDef<Complaint>[] = useMemo(
    () => [
      {
        field: 'dueAt',
        headerName: t('complaints.col.dueAt'),
        width: 200,
        renderCell: (p) => (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, height: '100%', color: p.row.overdue ? 'error.main' : undefined, fontWeight: p.row.overdue ? 600 : undefined }} data-testid={`complaint-due-${p.row.id}`}>
            {formatDateTime(p.row.dueAt, i18n.language).slice(0, -3)}
            {p.row.overdue ? <Chip size="small" color="error" label={t('complaints.overdue')} /> : null}
          </Box>
        ),
      },
      { field: 'status', headerName: t('complaints.col.status'), width: 72, valueGetter: (_v, r) => statusName(t, r.status) },
      {
        field: 'actions',
        headerName: '',
        width: 96,
        sortable: false,
        renderCell: (p) =>
          canClear && p.row.status !== 'closed' ? (
            <Button
              size="small"
              onClick={(e) => {
                e.stopPropagation();
                setStep({ complaint: p.row, mode: p.row.status === 'open' ? 'answer' : 'close' });
              }}
              data-testid={`complaint-${p.row.status === 'open' ? 'answer' : 'close'}-${p.row.id}`}
            >
              {t(p.row.status === 'open' ? 'complaints.answer' : 'complaints.close')}
            </Button>
          ) : null,
      },
      identCol({ field: 'caseNo', headerName: t('complaints.col.caseNo'), width: 130, renderCell: (p) => <span title={p.row.caseNo}>{p.row.caseNo}</span> }),
      { field: 'borrowerName', headerName: t('complaints.col.borrower'), width: 72 },
      identCol({ field: 'lenderCode', headerName: t('complaints.col.lender'), width: 68 }),
      { field: 'channel', headerName: t('complaints.col.channel'), width: 96, valueGetter: (_v, r) => channelName(t, r.channel) },
      { field: 'from', headerName: t('complaints.col.from'), width: 68, valueGetter: (_v, r) => fromName(t, r) },
      { field: 'what', headerName: t('complaints.col.what'), minWidth: 100, flex: 1, renderCell: (p) => <span title={p.row.what}>{p.row.what}</span> },
      { field: 'against', headerName: t('complaints.col.against'), width: 88, valueGetter: (_v, r) => r.against ?? '—' },
      { field: 'collector', headerName: t('complaints.col.collector'), width: 88, valueGetter: (_v, r) => r.collector ?? '—' },
    ],
    [t, i18n.language, canClear],
  );

  return (
    <Box>
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        {t('complaints.title')}
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
        {t('complaints.help')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
        <ToggleButtonGroup size="small" exclusive value={show} onChange={(_e, v: Show | null) => v && setShow(v)}>
          {(['unfinished', 'overdue', 'closed', 'all'] as const).map((s) => (
            <ToggleButton key={s} value={s} data-testid={`complaints-show-${s}`}>
              {t(`complaints.show.${s}`)}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        {lenders.length ? (
          <TextField
            select
            size="small"
            label={t('complaints.col.lender')}
            value={lenderId}
            onChange={(e) => setLenderId(e.target.value === '' ? '' : Number(e.target.value))}
            sx={{ minWidth: 180 }}
            slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('complaints-lender') }, inputLabel: { shrink: true } }}
          >
            <MenuItem value="">{t('complaints.allLenders')}</MenuItem>
            {lenders.map((l) => (
              <MenuItem key={l.id} value={l.id}>
                {l.code} · {l.name}
              </MenuItem>
            ))}
          </TextField>
        ) : null}
        {staff.length ? (
          <TextField
            select
            size="small"
            label={t('complaints.col.collector')}
            value={collectorId}
            onChange={(e) => setCollectorId(e.target.value === '' ? '' : Number(e.target.value))}
            sx={{ minWidth: 160 }}
            slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('complaints-collector') }, inputLabel: { shrink: true } }}
          >
            <MenuItem value="">{t('complaints.allCollectors')}</MenuItem>
            {staff.map((u) => (
              <MenuItem key={u.userId} value={u.userId}>
                {u.displayName} ({u.username})
              </MenuItem>
            ))}
          </TextField>
        ) : null}
      </Box>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      <Box sx={{ height: 'calc(100vh - 260px)', minHeight: 300 }} data-testid="complaints-grid">
        <AppGrid gridId="complaints"
          rows={rows ?? []}
          columns={columns}
          loading={rows === null}
          density="compact"
          disableRowSelectionOnClick
          disableColumnFilter
          hideFooter={(rows?.length ?? 0) <= 100}
          localeText={localeText}
          onRowClick={(p) => setOpenCase(p.row.caseId)}
          getRowClassName={(p) => (p.row.overdue ? 'complaint-overdue' : '')}
          sx={{ '& .MuiDataGrid-row': { cursor: 'pointer' }, '& .complaint-overdue': { bgcolor: 'rgba(211, 47, 47, 0.08)' } }}
          aria-label={t('complaints.title')}
        />
      </Box>
      {step ? <ComplaintStepDialog complaint={step.complaint} mode={step.mode} onClose={() => setStep(null)} onDone={() => void load()} /> : null}
      <CaseDrawer caseId={openCase} onClose={() => setOpenCase(null)} onChanged={() => void load()} />
    </Box>
  );
}
