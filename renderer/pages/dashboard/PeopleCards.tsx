// Per collector: promises due in the period (kept / partly kept / broken / pending, stacked) and
// right-party contact (connected and not, stacked), each with the numbers beneath.
import { useTranslation } from 'react-i18next';
import { BarChart } from '@mui/x-charts/BarChart';
import { yuan } from '../../money.js';
import type { Dashboard } from '../../../shared/contract/dashboard.js';
import { Card, NumberTable, pctText } from './parts.js';

const TOP = 15;
const height = (n: number) => Math.max(160, 60 + n * 28);

export function PromisesCard({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const rows = data.promises.byCollector;
  const chart = [...rows].sort((a, b) => b.made - a.made).slice(0, TOP).map((r) => ({ name: r.label, kept: r.kept, partlyKept: r.partlyKept, broken: r.broken, pending: r.pending }));
  const s = (key: 'kept' | 'partlyKept' | 'broken' | 'pending', color: string) => ({ dataKey: key, label: t(`dashboard.series.${key}`), stack: 'p', color });
  return (
    <Card title={t('dashboard.promises.title')} testId="dash-promises">
      {chart.length ? (
        <BarChart
          skipAnimation
          dataset={chart}
          layout="horizontal"
          yAxis={[{ scaleType: 'band', dataKey: 'name', width: 110 }]}
          xAxis={[{ tickMinStep: 1 }]}
          series={[s('kept', '#2e7d32'), s('partlyKept', '#ed6c02'), s('broken', '#d32f2f'), s('pending', '#9e9e9e')]}
          height={height(chart.length)}
        />
      ) : null}
      <NumberTable
        rows={[...rows, { ...data.promises.totals, label: '∑', key: 'total' }]}
        rowKey={(r) => r.key}
        testId="dash-promises-table"
        empty={t('dashboard.empty')}
        columns={[
          { label: t('dashboard.col.name'), value: (r) => r.label },
          { label: t('dashboard.col.made'), value: (r) => r.made, numeric: true },
          { label: t('dashboard.col.kept'), value: (r) => r.kept, numeric: true },
          { label: t('dashboard.col.partlyKept'), value: (r) => r.partlyKept, numeric: true },
          { label: t('dashboard.col.broken'), value: (r) => r.broken, numeric: true },
          { label: t('dashboard.col.pending'), value: (r) => r.pending, numeric: true },
          { label: t('dashboard.col.promised'), value: (r) => yuan(r.promisedFen), numeric: true },
          { label: t('dashboard.col.paid'), value: (r) => yuan(r.paidFen), numeric: true },
          { label: t('dashboard.col.keptRate'), value: (r) => pctText(r.keptPct), numeric: true },
        ]}
      />
    </Card>
  );
}

export function ContactCard({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const rows = data.contact.byCollector;
  const chart = [...rows].sort((a, b) => b.attempts - a.attempts).slice(0, TOP).map((r) => ({ name: r.label, connected: r.connected, notConnected: r.attempts - r.connected }));
  return (
    <Card title={t('dashboard.contact.title')} testId="dash-contact">
      {chart.length ? (
        <BarChart
          skipAnimation
          dataset={chart}
          layout="horizontal"
          yAxis={[{ scaleType: 'band', dataKey: 'name', width: 110 }]}
          xAxis={[{ tickMinStep: 1 }]}
          series={[
            { dataKey: 'connected', label: t('dashboard.series.connected'), stack: 'c', color: '#2e7d32' },
            { dataKey: 'notConnected', label: t('dashboard.series.notConnected'), stack: 'c', color: '#bdbdbd' },
          ]}
          height={height(chart.length)}
        />
      ) : null}
      <NumberTable
        rows={[...rows, { ...data.contact.totals, label: '∑', key: 'total' }]}
        rowKey={(r) => r.key}
        testId="dash-contact-table"
        empty={t('dashboard.empty')}
        columns={[
          { label: t('dashboard.col.name'), value: (r) => r.label },
          { label: t('dashboard.col.attempts'), value: (r) => r.attempts, numeric: true },
          { label: t('dashboard.col.connected'), value: (r) => r.connected, numeric: true },
          { label: t('dashboard.col.rpcRate'), value: (r) => pctText(r.rpcPct), numeric: true },
        ]}
      />
    </Card>
  );
}
