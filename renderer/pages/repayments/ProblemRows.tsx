// The rows a repayment file could not use: row number (as Excel shows it), column and reason.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { repaymentReason } from '../../repayments.js';
import type { Rejection } from '../../../shared/contract/placements.js';

type Row = Rejection & { id: number };

export function ProblemRows({ rejections, testId, height = 280 }: { rejections: Rejection[]; testId: string; height?: number }) {
  const { t } = useTranslation();
  const localeText = useGridLocaleText(t('repayments.noProblems'));
  const rows: Row[] = useMemo(() => rejections.map((r, i) => ({ ...r, id: i })), [rejections]);
  const columns: GridColDef<Row>[] = useMemo(
    () => [
      { field: 'row', headerName: t('repayments.col.row'), type: 'number', width: 80 },
      { field: 'column', headerName: t('repayments.col.column'), width: 160 },
      { field: 'reason', headerName: t('repayments.col.reason'), flex: 1, minWidth: 260, valueFormatter: (v: string) => repaymentReason(t, v) },
    ],
    [t],
  );
  return (
    <Box sx={{ height }} data-testid={testId}>
      <AppGrid gridId="repayments.problems" rows={rows} columns={columns} density="compact" disableRowSelectionOnClick disableColumnFilter hideFooter={rows.length <= 100} localeText={localeText} />
    </Box>
  );
}
