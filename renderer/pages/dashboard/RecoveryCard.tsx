// Recovery by lender, batch, bucket or collector: recovered amount as bars (the largest few), and every
// group's cases, placed and recovered amounts and recovery rate beneath.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { BarChart } from '@mui/x-charts/BarChart';
import { yuan } from '../../money.js';
import type { Dashboard, RecoveryRow } from '../../../shared/contract/dashboard.js';
import { Card, NumberTable, pctText } from './parts.js';

type Dim = keyof Dashboard['recovery'];
const DIMS: Dim[] = ['byLender', 'byBatch', 'byBucket', 'byCollector'];
const TOP = 12;

export function RecoveryCard({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const [dim, setDim] = useState<Dim>('byLender');
  const label = (r: RecoveryRow) => (dim === 'byCollector' && r.key === '' ? t('dashboard.pool') : r.label);
  const rows = data.recovery[dim];
  const chart = (dim === 'byBucket' ? rows : rows.slice(0, TOP)).map((r) => ({ name: label(r), recovered: r.recoveredFen / 100 }));
  return (
    <Card title={t('dashboard.recovery.title')} testId="dash-recovery">
      <Tabs value={dim} onChange={(_e, v: Dim) => setDim(v)} sx={{ minHeight: 40, '& .MuiTab-root': { minHeight: 40 } }}>
        {DIMS.map((d) => (
          <Tab key={d} value={d} label={t(`dashboard.recovery.${d}`)} data-testid={`dash-recovery-${d}`} />
        ))}
      </Tabs>
      {chart.length ? (
        <BarChart
          skipAnimation
          dataset={chart}
          layout="horizontal"
          yAxis={[{ scaleType: 'band', dataKey: 'name', width: 120 }]}
          xAxis={[{ valueFormatter: (v: number) => v.toLocaleString() }]}
          series={[{ dataKey: 'recovered', label: t('dashboard.series.recovered'), valueFormatter: (v) => (v === null ? '' : yuan(Math.round(v * 100))) }]}
          height={Math.max(160, 40 + chart.length * 30)}
          hideLegend
        />
      ) : null}
      {rows.length > TOP && dim !== 'byBucket' ? (
        <Typography variant="caption" sx={{ color: 'text.secondary' }} component="div">
          {t('dashboard.recovery.topN', { n: TOP })}
        </Typography>
      ) : null}
      <NumberTable
        rows={rows}
        rowKey={(r) => r.key}
        testId={`dash-recovery-table`}
        empty={t('dashboard.empty')}
        columns={[
          { label: t('dashboard.col.name'), value: label },
          { label: t('dashboard.col.cases'), value: (r) => r.cases.toLocaleString(), numeric: true },
          { label: t('dashboard.col.placed'), value: (r) => yuan(r.placedFen), numeric: true },
          { label: t('dashboard.col.recovered'), value: (r) => yuan(r.recoveredFen), numeric: true },
          { label: t('dashboard.col.rate'), value: (r) => pctText(r.recoveryPct), numeric: true },
          { label: t('dashboard.col.paying'), value: (r) => r.payingCases.toLocaleString(), numeric: true },
        ]}
      />
    </Card>
  );
}
