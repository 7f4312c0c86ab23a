// The Legal section (法律诉讼): every case with a law firm, soonest next date first, the ones whose next
// date passed flagged in red. A row opens the referral with its events. Collectors see their own cases.
import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
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
import { useGridLocaleText } from '../../gridLocale.js';
import { yuan } from '../../money.js';
import { legalStatusName, nextWhatText } from '../../legal.js';
import type { LegalReferral } from '../../../shared/contract/legal.js';
import type { Lender } from '../../../shared/contract/placements.js';
import { LegalDetail } from './LegalDetail.js';

type Show = 'open' | 'overdue' | 'closed' | 'all';
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function LegalPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const [show, setShow] = useState<Show>('open');
  const [lenderId, setLenderId] = useState<number | ''>('');
  const [lenders, setLenders] = useState<Lender[]>([]);
  const [rows, setRows] = useState<LegalReferral[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const localeText = useGridLocaleText(t('legal.empty'));

  useEffect(() => {
    if (!session.permissions.includes('lenders.read')) return;
    api.call('lenders.list', {}).then((r) => setLenders(r.lenders), () => setLenders([]));
  }, [api, session.permissions]);
  const load = useCallback(async () => {
    try {
      const filter = show === 'overdue' ? { overdueOnly: true } : show === 'closed' ? { status: ['closed' as const] } : show === 'all' ? { status: ['referred', 'filed', 'hearing_scheduled', 'judgment', 'enforcement', 'closed'] as LegalReferral['status'][] } : {};
      setRows((await api.call('legal.list', { ...filter, ...(lenderId !== '' ? { lenderId } : {}) })).referrals);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, show, lenderId]);
  useEffect(() => void load(), [load]);

  const columns: GridColDef<LegalReferral>[] = useMemo(
    () => [
      {
        field: 'nextDate',
        headerName: t('legal.col.nextDate'),
        width: 140,
        renderCell: (p) =>
          p.row.nextDate ? (
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, height: '100%', color: p.row.overdue ? 'error.main' : undefined, fontWeight: p.row.overdue ? 600 : undefined }} data-testid={`legal-next-${p.row.id}`}>
              {p.row.nextDate}
              {p.row.overdue ? <Chip size="small" color="error" label={t('legal.overdue')} /> : null}
            </Box>
          ) : (
            '—'
          ),
      },
      { field: 'nextWhat', headerName: t('legal.col.nextWhat'), width: 100, valueGetter: (_v, r) => nextWhatText(t, r.nextWhat) },
      identCol({ field: 'caseNo', headerName: t('legal.col.caseNo'), width: 120 }),
      { field: 'borrowerName', headerName: t('legal.col.borrower'), width: 80 },
      { field: 'lenderName', headerName: t('legal.col.lender'), width: 95 },
      { field: 'status', headerName: t('legal.col.status'), width: 90, valueGetter: (_v, r) => legalStatusName(t, r.status) },
      { field: 'lawFirm', headerName: `${t('legal.col.lawFirm')} / ${t('legal.col.lawyer')}`, minWidth: 150, flex: 1, valueGetter: (_v, r) => `${r.lawFirm} · ${r.lawyer}` },
      { field: 'court', headerName: `${t('legal.col.court')} / ${t('legal.col.courtCaseNo')}`, minWidth: 150, flex: 1, valueGetter: (_v, r) => [r.court, r.courtCaseNo].filter(Boolean).join(' · ') },
      { field: 'costFen', headerName: t('legal.col.cost'), type: 'number', width: 100, valueFormatter: (v: number) => yuan(v) },
      { field: 'collector', headerName: t('legal.col.collector'), width: 85 },
    ],
    [t],
  );

  return (
    <Box>
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        {t('legal.title')}
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
        {t('legal.help')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
        <ToggleButtonGroup size="small" exclusive value={show} onChange={(_e, v: Show | null) => v && setShow(v)}>
          {(['open', 'overdue', 'closed', 'all'] as const).map((s) => (
            <ToggleButton key={s} value={s} data-testid={`legal-show-${s}`}>
              {t(`legal.show.${s}`)}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        {lenders.length ? (
          <TextField
            select
            size="small"
            label={t('legal.col.lender')}
            value={lenderId}
            onChange={(e) => setLenderId(e.target.value === '' ? '' : Number(e.target.value))}
            sx={{ minWidth: 200 }}
            slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('legal-lender') }, inputLabel: { shrink: true } }}
          >
            <MenuItem value="">{t('legal.allLenders')}</MenuItem>
            {lenders.map((l) => (
              <MenuItem key={l.id} value={l.id}>
                {l.code} · {l.name}
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
      <Box sx={{ height: 'calc(100vh - 260px)', minHeight: 300 }} data-testid="legal-grid">
        <AppGrid gridId="legal"
          rows={rows ?? []}
          columns={columns}
          loading={rows === null}
          density="compact"
          disableRowSelectionOnClick
          disableColumnFilter
          hideFooter={(rows?.length ?? 0) <= 100}
          localeText={localeText}
          onRowClick={(p) => setOpenId(p.row.id)}
          getRowClassName={(p) => (p.row.overdue ? 'legal-overdue' : '')}
          sx={{ '& .MuiDataGrid-row': { cursor: 'pointer' } }}
          aria-label={t('legal.title')}
        />
      </Box>
      {openId !== null ? <LegalDetail referralId={openId} onClose={() => setOpenId(null)} onChanged={() => void load()} /> : null}
    </Box>
  );
}
