// The compliance report for a period (agency days, Asia/Shanghai): per collector the attempts and
// connected calls, what the guardrails refused and what managers let through, by rule, and the
// borrower-days on which their calls reached the daily limit.
import { PeriodBar } from '../../components/PeriodBar.js';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { localDay, ruleName } from '../../casework.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

type Row = MethodOutput<'compliance.report'>['rows'][number];

function ByRule({ counts, color, testId }: { counts: Record<string, number>; color: 'error' | 'warning'; testId: string }) {
  const { t } = useTranslation();
  const entries = Object.entries(counts);
  if (entries.length === 0) return <Box component="span" sx={{ color: 'text.disabled' }}>—</Box>;
  return (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', alignItems: 'center', height: '100%' }} data-testid={testId}>
      {entries.map(([rule, n]) => (
        <Chip key={rule} size="small" variant="outlined" color={color} label={`${ruleName(t, rule)} × ${n}`} />
      ))}
    </Box>
  );
}

export function ReportTab() {
  const { t } = useTranslation();
  const api = useApi();
  const [from, setFrom] = useState(() => localDay(-6));
  const [to, setTo] = useState(() => localDay(0));
  const [rows, setRows] = useState<Row[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const localeText = useGridLocaleText(t('compliance.report.empty'));

  const run = useCallback(async () => {
    if (!from || !to) return;
    setLoading(true);
    try {
      setRows((await api.call('compliance.report', { from, to })).rows);
      setError(null);
    } catch (e) {
      setError(e);
    }
    setLoading(false);
  }, [api, from, to]);
  // Once on opening; afterwards on demand (Show), not at every keystroke in a date field.
  useEffect(() => {
    void run();
  }, []);

  const columns: GridColDef<Row>[] = useMemo(
    () => [
      { field: 'collector', headerName: t('compliance.report.col.collector'), minWidth: 120, flex: 0.6 },
      { field: 'attempts', headerName: t('compliance.report.col.attempts'), type: 'number', width: 100 },
      { field: 'connectedCalls', headerName: t('compliance.report.col.connectedCalls'), type: 'number', width: 110 },
      { field: 'refused', headerName: t('compliance.report.col.refused'), minWidth: 220, flex: 1, sortable: false, renderCell: (p) => <ByRule counts={p.row.refused} color="error" testId={`report-refused-${p.row.collector}`} /> },
      { field: 'overridden', headerName: t('compliance.report.col.overridden'), minWidth: 220, flex: 1, sortable: false, renderCell: (p) => <ByRule counts={p.row.overridden} color="warning" testId={`report-overridden-${p.row.collector}`} /> },
      { field: 'capReachedDays', headerName: t('compliance.report.col.capReachedDays'), type: 'number', width: 130, description: t('compliance.report.capHelp') },
    ],
    [t],
  );

  return (
    <Box>
      <PeriodBar
        from={from}
        to={to}
        onFrom={setFrom}
        onTo={setTo}
        onRun={() => void run()}
        loading={loading}
        testId="report"
        labels={{ from: t('compliance.report.from'), to: t('compliance.report.to'), run: t('compliance.report.run'), help: t('compliance.report.help') }}
      />
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      <Box sx={{ height: 'calc(100vh - 280px)', minHeight: 280 }} data-testid="report-grid">
        <AppGrid gridId="compliance.report"
          rows={rows ?? []}
          columns={columns}
          getRowId={(r) => r.collector}
          loading={loading}
          density="compact"
          disableRowSelectionOnClick
          disableColumnFilter
          hideFooter={(rows?.length ?? 0) <= 100}
          localeText={localeText}
          aria-label={t('compliance.tabs.report')}
        />
      </Box>
    </Box>
  );
}
