// A lender's monthly commission statement: each payment with its days overdue, tier rate and commission,
// the totals, and the same as a CSV download.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import DownloadIcon from '@mui/icons-material/Download';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { identCol } from '../../grid/columns.js';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { downloadCsv, formatFen } from '../../placement.js';
import { localDay } from '../../casework.js';
import { commissionCsv, formatPpm, monthOf } from '../../repayments.js';
import { LenderPicker } from '../../components/LenderPicker.js';
import type { Lender } from '../../../shared/contract/placements.js';
import type { CommissionStatement } from '../../../shared/contract/repayments.js';

type Line = CommissionStatement['lines'][number];
const yuan = (fen: number) => formatFen(fen, { symbol: '¥' });

export function CommissionTab({ lenders }: { lenders: Lender[] }) {
  const { t } = useTranslation();
  const api = useApi();
  const [lenderId, setLenderId] = useState<number | ''>(lenders.length === 1 ? lenders[0]!.id : '');
  const [month, setMonth] = useState(() => monthOf(localDay(0)));
  const [st, setSt] = useState<CommissionStatement | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const localeText = useGridLocaleText(t('repayments.commission.empty'));

  const run = async () => {
    if (lenderId === '') return;
    setBusy(true);
    try {
      setSt(await api.call('commission.statement', { lenderId, month }));
      setError(null);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  const col = (k: string) => t(`repayments.commission.col.${k}`);
  const columns: GridColDef<Line>[] = useMemo(
    () => [
      { field: 'paidOn', headerName: col('paidOn'), width: 110 },
      identCol({ field: 'caseNo', headerName: col('caseNo'), flex: 1, minWidth: 140 }),
      { field: 'source', headerName: col('source'), width: 120, valueFormatter: (v: string) => t(`repayments.commission.source.${v}`) },
      { field: 'daysOverdue', headerName: col('daysOverdue'), type: 'number', width: 130 },
      { field: 'ratePpm', headerName: col('rate'), type: 'number', width: 100, valueFormatter: (v: number) => formatPpm(v) },
      { field: 'amountFen', headerName: col('amount'), type: 'number', width: 140, valueFormatter: (v: number) => yuan(v) },
      { field: 'commissionFen', headerName: col('commission'), type: 'number', width: 130, valueFormatter: (v: number) => yuan(v) },
    ],
    [t],
  );

  const download = () => {
    if (!st) return;
    const header = ['paidOn', 'caseNo', 'source', 'daysOverdue', 'rate', 'amount', 'commission'].map(col);
    downloadCsv(`commission-${st.lenderCode}-${st.month}.csv`, commissionCsv(st, header, (s) => t(`repayments.commission.source.${s}`), t('repayments.commission.total')));
  };

  return (
    <Box>
      <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', mb: 2, pt: 0.75, flexWrap: 'wrap' }}>
        <LenderPicker lenders={lenders} value={lenderId} onChange={setLenderId} testId="commission-lender" label={t('repayments.lender')} placeholder={t('repayments.pickLender')} />
        <TextField size="small" type="month" label={t('repayments.commission.month')} value={month} onChange={(e) => setMonth(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'commission-month' }, inputLabel: { shrink: true } }} />
        <Button variant="contained" onClick={() => void run()} disabled={busy || lenderId === '' || !/^\d{4}-\d{2}$/.test(month)} data-testid="commission-run">
          {t('repayments.commission.run')}
        </Button>
        <Button variant="outlined" startIcon={<DownloadIcon />} onClick={download} disabled={!st || st.lines.length === 0} data-testid="commission-csv">
          {t('repayments.commission.csv')}
        </Button>
      </Box>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      {st ? (
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
          <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="commission-tiers">
            {st.tiers.length ? t('repayments.commission.tiers', { tiers: st.tiers.map((x) => t('repayments.commission.tier', { day: x.fromDay, rate: formatPpm(x.ratePpm) })).join(' · ') }) : t('repayments.commission.noTiers')}
          </Typography>
          <Typography variant="subtitle1" sx={{ fontWeight: 600 }} data-testid="commission-totals">
            {t('repayments.commission.totals', { payments: st.payments, recovered: yuan(st.recoveredFen), commission: yuan(st.commissionFen) })}
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {t('repayments.commission.rounding', { count: st.reversedLeftOut })}
          </Typography>
          <Box sx={{ height: 'calc(100vh - 360px)', minHeight: 260 }} data-testid="commission-grid">
            <AppGrid gridId="repayments.commission" rows={st.lines} columns={columns} getRowId={(l) => l.paymentId} density="compact" disableRowSelectionOnClick disableColumnFilter hideFooter={st.lines.length <= 100} localeText={localeText} />
          </Box>
        </Box>
      ) : null}
    </Box>
  );
}
