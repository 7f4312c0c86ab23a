// The rows whose total disagrees with the sum of its components (逾期金额 ≠ 逾期本金 + 逾期利息 + …), with
// both figures and what the lender's policy does with them: keep the total (the difference is principal)
// or reject the row.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { formatFen } from '../../placement.js';
import type { ImportPreview } from '../../../shared/contract/placements.js';

type Row = ImportPreview['amountMismatches'][number] & { id: number };

export function MismatchList({ preview, lenderCode }: { preview: ImportPreview; lenderCode: string }) {
  const { t } = useTranslation();
  const money = (v: number) => formatFen(v);
  const columns: GridColDef<Row>[] = useMemo(
    () => [
      { field: 'row', headerName: t('import.mismatchCol.row'), type: 'number', width: 80 },
      { field: 'totalFen', headerName: t('import.mismatchCol.total'), type: 'number', width: 140, valueFormatter: money },
      { field: 'componentsFen', headerName: t('import.mismatchCol.components'), type: 'number', width: 140, valueFormatter: money },
      { field: 'difference', headerName: t('import.mismatchCol.difference'), type: 'number', width: 140, valueGetter: (_v, r) => r.totalFen - r.componentsFen, valueFormatter: money },
    ],
    [t],
  );
  const rows = useMemo(() => preview.amountMismatches.map((m, i) => ({ ...m, id: i })), [preview.amountMismatches]);
  if (preview.amountMismatchCount === 0) return null;
  const reject = preview.amountPolicy === 'reject_row';
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Alert severity={reject ? 'error' : 'warning'} data-testid="import-mismatch-policy">
        {t(reject ? 'import.mismatchReject' : 'import.mismatchPrincipal', { count: preview.amountMismatchCount, lender: lenderCode })}
      </Alert>
      <Box sx={{ height: Math.min(320, 56 + rows.length * 36) }} data-testid="import-mismatches">
        <AppGrid gridId="import.mismatch" rows={rows} columns={columns} density="compact" hideFooter={rows.length <= 100} disableRowSelectionOnClick disableColumnMenu />
      </Box>
    </Box>
  );
}
