// Step 3: every rejected row with its column and reason, what the lender's policy does with them, and
// the list as a CSV the lender can be sent.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import DownloadIcon from '@mui/icons-material/Download';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { downloadCsv, rejectionsCsv } from '../../placement.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { rejectionReason } from '../../rejectionReasons.js';
import type { ImportPreview, Lender, Rejection } from '../../../shared/contract/placements.js';
import { MismatchList } from './MismatchList.js';

// core lists at most this many problems (the counts stay exact).
const LISTED_MAX = 5000;

type Row = Rejection & { id: number };

/** The lender's policy refuses the whole file when any row is bad. */
export function blockedByPolicy(lender: Lender | undefined, preview: ImportPreview): boolean {
  return lender?.rejectPolicy === 'block_file' && preview.rejectedRows > 0;
}

/** Nothing would come of an import: the policy refuses it, or no row is usable. */
export function cannotImport(lender: Lender | undefined, preview: ImportPreview): boolean {
  return blockedByPolicy(lender, preview) || preview.validRows === 0;
}

export function RejectionsGrid({ rows, testId, height = 420 }: { rows: Rejection[]; testId: string; height?: number | string }) {
  const { t } = useTranslation();
  const columns: GridColDef<Row>[] = useMemo(
    () => [
      { field: 'row', headerName: t('import.rejCol.row'), type: 'number', width: 90 },
      { field: 'column', headerName: t('import.rejCol.column'), width: 160 },
      { field: 'reason', headerName: t('import.rejCol.reason'), flex: 1, minWidth: 240, valueFormatter: (v: string) => rejectionReason(t, v) },
    ],
    [t],
  );
  const localeText = useGridLocaleText(t('import.noProblems'));
  const data = useMemo(() => rows.map((r, i) => ({ ...r, id: i })), [rows]);
  return (
    <Box sx={{ height }} data-testid={testId}>
      <AppGrid gridId="import.problems"
        rows={data}
        columns={columns}
        density="compact"
        disableRowSelectionOnClick
        pageSizeOptions={[50, 100]}
        initialState={{ pagination: { paginationModel: { pageSize: 100 } } }}
        localeText={localeText}
        aria-label={t('import.problemsTitle')}
      />
    </Box>
  );
}

export function ProblemsStep({ preview, lender, fileName }: { preview: ImportPreview; lender: Lender | undefined; fileName: string }) {
  const { t } = useTranslation();
  const code = lender?.code ?? '';
  const download = () => {
    const head = [t('import.rejCol.row'), t('import.rejCol.column'), t('import.rejCol.reason')];
    downloadCsv(`${fileName.replace(/\.[^.]+$/, '')}-${t('import.rejectedSuffix')}.csv`, rejectionsCsv(head, preview.rejections, (r) => rejectionReason(t, r)));
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      {preview.rejectedRows === 0 ? (
        <Alert severity="success" data-testid="import-no-problems">
          {t('import.noProblems')}
        </Alert>
      ) : blockedByPolicy(lender, preview) ? (
        <Alert severity="error" data-testid="import-policy">
          {t('import.policyBlock', { lender: code })}
        </Alert>
      ) : (
        <Alert severity="warning" data-testid="import-policy">
          {t('import.policySkip', { lender: code, count: preview.rejectedRows })}
        </Alert>
      )}
      <MismatchList preview={preview} lenderCode={code} />
      {preview.validRows === 0 ? (
        <Alert severity="error" data-testid="import-no-valid">
          {t('import.noValidRows')}
        </Alert>
      ) : null}
      {preview.rejections.length >= LISTED_MAX ? (
        <Alert severity="info" data-testid="import-list-capped">
          {t('import.listCapped', { shown: preview.rejections.length.toLocaleString(), total: preview.rejectedRows.toLocaleString() })}
        </Alert>
      ) : null}
      {preview.rejectedRows > 0 ? (
        <>
          <Box>
            <Button variant="outlined" startIcon={<DownloadIcon />} onClick={download} data-testid="import-download-rejections">
              {t('import.download')}
            </Button>
          </Box>
          <RejectionsGrid rows={preview.rejections} testId="import-rejections" />
        </>
      ) : null}
    </Box>
  );
}
