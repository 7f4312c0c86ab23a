// The assignment log: every rule run, manual move, recall and automatic assignment, newest first.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import RefreshIcon from '@mui/icons-material/Refresh';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { formatDateTime } from '../../format.js';
import { groupedNumber } from '../../i18n/numbers.js';
import { useGridLocaleText } from '../../gridLocale.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

type Entry = MethodOutput<'assign.log'>['assignments'][number];
const KIND_COLOR = { rule: 'primary', manual: 'default', auto: 'secondary' } as const;

export function LogTab() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [rows, setRows] = useState<Entry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const localeText = useGridLocaleText(t('assignLog.empty'));

  const reload = useCallback(async () => {
    setRows(null);
    try {
      setRows((await api.call('assign.log', { limit: 500 })).assignments);
      setError(null);
    } catch (e) {
      setRows([]);
      setError(e);
    }
  }, [api]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const lang = i18n.language;
  const columns: GridColDef<Entry>[] = useMemo(
    () => [
      { field: 'id', headerName: '#', type: 'number', width: 60 },
      { field: 'at', headerName: t('assignLog.col.at'), width: 185, valueFormatter: (v: string) => formatDateTime(v, lang) },
      { field: 'actor', headerName: t('assignLog.col.actor'), width: 100 },
      {
        field: 'kind',
        headerName: t('assignLog.col.kind'),
        width: 90,
        renderCell: (p) => <Chip size="small" color={KIND_COLOR[p.row.kind]} variant="outlined" label={t(`assignLog.kinds.${p.row.kind}`)} />,
      },
      // 'manual' and 'recall' are the rules of manual moves; the others are ASSIGN_RULES.
      { field: 'rule', headerName: t('assignLog.col.rule'), width: 120, valueFormatter: (v: string) => t(`assign.rules.${v}.name`, { defaultValue: v }) },
      { field: 'ruleName', headerName: t('assignLog.col.ruleName'), minWidth: 140, flex: 1, valueFormatter: (v: string | null) => v ?? '' },
      {
        field: 'assigned',
        headerName: t('assignLog.col.assigned'),
        type: 'number',
        width: 190,
        // Until its last part is written the count is the plan's: said so, not shown as done.
        valueFormatter: (v: number, row) => (row.applying ? t('assignLog.applying', { count: v }) : groupedNumber(v)),
      },
      { field: 'unassignable', headerName: t('assignLog.col.unassignable'), type: 'number', width: 110 },
    ],
    [t, lang],
  );

  return (
    <Box>
      <Box sx={{ display: 'flex', justifyContent: 'flex-end', mb: 1 }}>
        <Button startIcon={<RefreshIcon />} onClick={() => void reload()} data-testid="assign-log-refresh">
          {t('common.refresh')}
        </Button>
      </Box>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      <Box sx={{ height: 'calc(100vh - 270px)', minHeight: 280 }} data-testid="assign-log-grid">
        <AppGrid gridId="assign.log"
          rows={rows ?? []}
          columns={columns}
          loading={rows === null}
          disableRowSelectionOnClick
          density="compact"
          initialState={{ pagination: { paginationModel: { pageSize: 100 } } }}
          pageSizeOptions={[25, 50, 100]}
          localeText={localeText}
          aria-label={t('assign.tabs.log')}
        />
      </Box>
    </Box>
  );
}
