// Roll rates between buckets (the share of each start bucket that paid nothing and aged into a later one)
// and cases per stage, as bars with the numbers beneath.
import { useTranslation } from 'react-i18next';
import { BarChart } from '@mui/x-charts/BarChart';
import { yuan } from '../../money.js';
import { stageName } from '../../casework.js';
import type { Dashboard } from '../../../shared/contract/dashboard.js';
import { Card, NumberTable, pctText } from './parts.js';

export function RollCard({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  return (
    <Card title={t('dashboard.roll.title')} help={t('dashboard.roll.help')} testId="dash-roll">
      {data.roll.length ? (
        <BarChart
          skipAnimation
          dataset={data.roll.map((r) => ({ bucket: r.bucket, rate: r.rollPct ?? 0 }))}
          xAxis={[{ scaleType: 'band', dataKey: 'bucket' }]}
          yAxis={[{ max: 100, width: 40 }]}
          series={[{ dataKey: 'rate', label: t('dashboard.series.rollRate'), valueFormatter: (v) => pctText(v), color: '#ed6c02' }]}
          height={200}
          hideLegend
        />
      ) : null}
      <NumberTable
        rows={data.roll}
        rowKey={(r) => r.bucket}
        testId="dash-roll-table"
        empty={t('dashboard.empty')}
        columns={[
          { label: t('dashboard.col.bucket'), value: (r) => r.bucket },
          { label: t('dashboard.col.cohort'), value: (r) => r.cohort, numeric: true },
          { label: t('dashboard.col.paidSome'), value: (r) => r.paid, numeric: true },
          { label: t('dashboard.col.stayed'), value: (r) => r.stayed, numeric: true },
          { label: t('dashboard.col.rolled'), value: (r) => r.rolled, numeric: true },
          { label: t('dashboard.col.endedIn'), value: (r) => r.to.map((x) => `${x.bucket} ${x.cases}`).join(' · ') || '—' },
          { label: t('dashboard.col.rollRate'), value: (r) => pctText(r.rollPct), numeric: true },
        ]}
      />
    </Card>
  );
}

export function StagesCard({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  return (
    <Card title={t('dashboard.stages.title')} testId="dash-stages">
      {data.stages.length ? (
        <BarChart
          skipAnimation
          dataset={data.stages.map((s) => ({ stage: stageName(t, s.stage), cases: s.cases }))}
          xAxis={[{ scaleType: 'band', dataKey: 'stage' }]}
          yAxis={[{ tickMinStep: 1, width: 50 }]}
          series={[{ dataKey: 'cases', label: t('dashboard.series.cases') }]}
          height={220}
          hideLegend
        />
      ) : null}
      <NumberTable
        rows={data.stages}
        rowKey={(r) => r.stage}
        testId="dash-stages-table"
        empty={t('dashboard.empty')}
        columns={[
          { label: t('dashboard.col.stage'), value: (r) => stageName(t, r.stage) },
          { label: t('dashboard.col.cases'), value: (r) => r.cases.toLocaleString(), numeric: true },
          { label: t('dashboard.col.placed'), value: (r) => yuan(r.placedFen), numeric: true },
        ]}
      />
    </Card>
  );
}
