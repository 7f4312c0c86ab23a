// What a rule does (or did) to the selection: the counts, why some cases cannot be assigned, the spread,
// and one row per collector with what they get and where it leaves them against their capacity.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { formatFen } from '../../placement.js';
import { BUCKETS } from '../CaseFilters.js';
import { formatSpread, staffLabel, unassignableText } from '../../assign.js';
import type { AssignPlan } from '../../../shared/contract/assignment.js';

type Row = AssignPlan['perCollector'][number];
const bucketRank = (b: string) => {
  const i = (BUCKETS as readonly string[]).indexOf(b);
  return i < 0 ? 99 : i;
};

function Stat({ label, value, testId, color }: { label: string; value: string | number; testId: string; color?: string }) {
  return (
    <Box sx={{ minWidth: 96 }}>
      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', whiteSpace: 'nowrap' }}>
        {label}
      </Typography>
      <Typography variant="h6" component="div" sx={{ color, fontVariantNumeric: 'tabular-nums' }} data-testid={testId}>
        {value}
      </Typography>
    </Box>
  );
}

export function PlanView({ plan, onCollectorCases }: { plan: AssignPlan; onCollectorCases?: (collectorId: number) => void }) {
  const { t } = useTranslation();
  const localeText = useGridLocaleText(t('assign.noCollectors'));
  const unassignable = plan.unassignable.reduce((n, u) => n + u.cases, 0);

  const columns: GridColDef<Row>[] = useMemo(
    () => [
      {
        field: 'displayName',
        headerName: t('assign.col.collector'),
        minWidth: 150,
        flex: 1,
        valueGetter: (_v, row) => staffLabel(row),
        renderCell: (p) =>
          onCollectorCases ? (
            <Link component="button" type="button" onClick={() => onCollectorCases(p.row.collectorId)} data-testid={`plan-cases-${p.row.username}`}>
              {staffLabel(p.row)}
            </Link>
          ) : (
            staffLabel(p.row)
          ),
      },
      { field: 'cases', headerName: t('assign.col.cases'), type: 'number', width: 80 },
      { field: 'amountFen', headerName: t('assign.col.amount'), type: 'number', width: 130, valueFormatter: (v: number) => formatFen(v) },
      {
        field: 'buckets',
        headerName: t('assign.col.buckets'),
        minWidth: 170,
        flex: 1,
        sortable: false,
        renderCell: (p) => (
          <Box sx={{ display: 'flex', gap: 0.5, alignItems: 'center', height: '100%', overflow: 'hidden' }}>
            {Object.entries(p.row.buckets)
              .sort(([a], [b]) => bucketRank(a) - bucketRank(b))
              .map(([b, n]) => (
                <Chip key={b} size="small" variant="outlined" label={`${b} ${n}`} sx={{ height: 20, '& .MuiChip-label': { px: 0.75 } }} />
              ))}
          </Box>
        ),
      },
      { field: 'openCasesAfter', headerName: t('assign.col.openAfter'), type: 'number', width: 110 },
      { field: 'openAmountAfterFen', headerName: t('assign.col.amountAfter'), type: 'number', width: 140, valueFormatter: (v: number) => formatFen(v) },
      {
        field: 'capacityLeft',
        headerName: t('assign.col.capacityLeft'),
        type: 'number',
        width: 120,
        renderCell: (p) => (
          <Box component="span" sx={{ color: p.row.capacityLeft < 0 ? 'error.main' : undefined, fontWeight: p.row.capacityLeft < 0 ? 700 : undefined }} data-testid={`plan-capacity-${p.row.username}`}>
            {p.row.capacityLeft.toLocaleString()}
          </Box>
        ),
      },
    ],
    [t, onCollectorCases],
  );

  return (
    <Box data-testid="assign-plan">
      <Paper variant="outlined" sx={{ p: 1.5, mb: 1.5, display: 'flex', gap: 3, flexWrap: 'wrap' }}>
        <Stat label={t('assign.sum.selected')} value={plan.selected} testId="plan-selected" />
        <Stat label={t('assign.sum.assigned')} value={plan.assigned} testId="plan-assigned" color="primary.main" />
        <Stat label={t('assign.sum.unchanged')} value={plan.unchanged} testId="plan-unchanged" />
        <Stat label={t('assign.sum.unassignable')} value={unassignable} testId="plan-unassignable" color={unassignable > 0 ? 'warning.main' : undefined} />
        <Tooltip title={t('assign.sum.spreadHelp')}>
          <Box>
            <Stat label={t('assign.sum.spread')} value={formatSpread(plan.spread)} testId="plan-spread" />
          </Box>
        </Tooltip>
      </Paper>
      {plan.unassignable.length > 0 ? (
        <Alert severity="warning" sx={{ mb: 1.5 }} data-testid="plan-reasons">
          {t('assign.reasonsTitle')}
          <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
            {plan.unassignable.map((u) => (
              <li key={`${u.reason}-${u.value ?? ''}`}>{t('assign.reasonLine', { reason: unassignableText(t, u.reason, u.value), count: u.cases })}</li>
            ))}
          </Box>
        </Alert>
      ) : null}
      <Box data-testid="plan-grid">
        <AppGrid gridId="assign.plan"
          rows={plan.perCollector}
          columns={columns}
          getRowId={(r) => r.collectorId}
          autoHeight
          hideFooter={plan.perCollector.length <= 100}
          disableRowSelectionOnClick
          density="compact"
          initialState={{ pagination: { paginationModel: { pageSize: 100 } } }}
          pageSizeOptions={[100]}
          localeText={localeText}
          aria-label={t('assign.perCollector')}
        />
      </Box>
    </Box>
  );
}
