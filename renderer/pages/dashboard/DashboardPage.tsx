// The managers' dashboard: a period (default this month to today) and optionally one lender; the headline
// figures, then recovery, promises, right-party contact, roll rates and stages as charts with the numbers
// beneath. Everything is aggregated by the store (dashboard.get).
import { useCallback, useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { localDay } from '../../casework.js';
import { yuan } from '../../money.js';
import type { Dashboard } from '../../../shared/contract/dashboard.js';
import type { Lender } from '../../../shared/contract/placements.js';
import { Kpi, pctText } from './parts.js';
import { RecoveryCard } from './RecoveryCard.js';
import { TargetsCard } from './TargetsCard.js';
import { ContactCard, PromisesCard } from './PeopleCards.js';
import { RollCard, StagesCard } from './RollStageCards.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;
const shrink = (testId: string) => ({ htmlInput: { 'data-testid': testId }, inputLabel: { shrink: true } });

export function DashboardPage() {
  const { t } = useTranslation();
  const api = useApi();
  const [to, setTo] = useState(() => localDay(0));
  const [from, setFrom] = useState(() => `${localDay(0).slice(0, 8)}01`);
  const [lenderId, setLenderId] = useState<number | ''>('');
  const [lenders, setLenders] = useState<Lender[]>([]);
  const [data, setData] = useState<Dashboard | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.call('lenders.list', {}).then((r) => setLenders(r.lenders), () => setLenders([]));
  }, [api]);
  const run = useCallback(async () => {
    setLoading(true);
    try {
      setData(await api.call('dashboard.get', { from, to, ...(lenderId !== '' ? { lenderId } : {}) }));
      setError(null);
    } catch (e) {
      setError(e);
    }
    setLoading(false);
  }, [api, from, to, lenderId]);
  // Once on opening; afterwards on demand (Show), not at every keystroke in a date field.
  useEffect(() => {
    void run();
  }, []);

  const d = data;
  return (
    <Box sx={{ maxWidth: 1400 }}>
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {t('dashboard.title')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
        <TextField size="small" type="date" label={t('dashboard.from')} value={from} onChange={(e) => setFrom(e.target.value)} slotProps={shrink('dash-from')} />
        <TextField size="small" type="date" label={t('dashboard.to')} value={to} onChange={(e) => setTo(e.target.value)} slotProps={shrink('dash-to')} />
        <TextField
          select
          size="small"
          label={t('dashboard.lender')}
          value={lenderId}
          onChange={(e) => setLenderId(e.target.value === '' ? '' : Number(e.target.value))}
          sx={{ minWidth: 200 }}
          slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('dash-lender') }, inputLabel: { shrink: true } }}
        >
          <MenuItem value="">{t('dashboard.allLenders')}</MenuItem>
          {lenders.map((l) => (
            <MenuItem key={l.id} value={l.id} data-testid={`dash-lender-${l.code}`}>
              {l.code} · {l.name}
            </MenuItem>
          ))}
        </TextField>
        <Button variant="contained" onClick={() => void run()} disabled={loading || !from || !to} data-testid="dash-run">
          {t('dashboard.run')}
        </Button>
        {d ? (
          <Typography variant="caption" sx={{ color: 'text.secondary' }} data-testid="dash-took">
            {d.from} – {d.to} · {t('dashboard.took', { ms: d.tookMs })}
          </Typography>
        ) : null}
      </Box>
      {loading ? <LinearProgress sx={{ mb: 1 }} /> : null}
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      {d ? (
        <>
          <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(170px, 1fr))', gap: 1.5, mb: 2 }}>
            <Kpi label={t('dashboard.kpi.cases')} value={d.totals.cases.toLocaleString()} testId="kpi-cases" />
            <Kpi label={t('dashboard.kpi.placed')} value={yuan(d.totals.placedFen)} testId="kpi-placed" />
            <Kpi label={t('dashboard.kpi.recovered')} value={yuan(d.totals.recoveredFen)} testId="kpi-recovered" />
            <Kpi label={t('dashboard.kpi.recoveryRate')} value={pctText(d.totals.recoveryPct)} testId="kpi-recovery-rate" />
            <Kpi label={t('dashboard.kpi.promiseKept')} value={pctText(d.promises.totals.keptPct)} sub={`${d.promises.totals.kept} / ${d.promises.totals.kept + d.promises.totals.partlyKept + d.promises.totals.broken}`} testId="kpi-promise-kept" />
            <Kpi label={t('dashboard.kpi.rpc')} value={pctText(d.contact.totals.rpcPct)} sub={`${d.contact.totals.connected} / ${d.contact.totals.attempts}`} testId="kpi-rpc" />
          </Box>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'repeat(2, minmax(0, 1fr))' }, gap: 2 }}>
            <Box sx={{ gridColumn: '1 / -1', minWidth: 0 }}>
              <TargetsCard month={d.to.slice(0, 7)} />
            </Box>
            <Box sx={{ gridColumn: '1 / -1', minWidth: 0 }}>
              <RecoveryCard data={d} />
            </Box>
            <Box sx={{ gridColumn: '1 / -1', minWidth: 0 }}>
              <PromisesCard data={d} />
            </Box>
            <ContactCard data={d} />
            <StagesCard data={d} />
            <Box sx={{ gridColumn: '1 / -1', minWidth: 0 }}>
              <RollCard data={d} />
            </Box>
          </Box>
        </>
      ) : null}
    </Box>
  );
}
