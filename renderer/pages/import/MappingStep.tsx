// Step 2: what was detected, the column mapping (editable, re-checked by the backend), the counts and
// the first rows as they will be imported. A duplicate file or an unmapped required field stops here.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import RefreshIcon from '@mui/icons-material/Refresh';
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import { fieldLabel, FIELDS_REQUIRED_FIRST } from '../../placement.js';
import { MappingTable, headerName, type Columns } from './MappingTable.js';
import type { ImportPreview } from '../../../shared/contract/placements.js';
import { amountMapped } from '../../../shared/domain/placement/amounts.js';

type SampleRow = { id: number; row: number } & Record<string, string | number>;

/** Required fields without a column in the (possibly edited) mapping. The amount owed may come from a
 *  total, its components or 剩余本金: any of them gives "overdue amount". */
export function missingFields(columns: Columns): string[] {
  return FIELDS_REQUIRED_FIRST.filter((f) => f.required && (columns[f.key] ?? null) === null && !(f.key === 'overdueAmount' && amountMapped(columns))).map((f) => f.key);
}

/** A column the user's last pick took from another field (so that it is never lost silently). */
export interface MovedColumn {
  column: number;
  from: string;
  to: string;
}

function Count({ label, value, testId, color }: { label: string; value: number; testId: string; color?: string }) {
  return (
    <Paper variant="outlined" sx={{ px: 2, py: 1, minWidth: 120 }}>
      <Typography variant="caption" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography variant="h6" data-testid={testId} sx={{ color }}>
        {value.toLocaleString()}
      </Typography>
    </Paper>
  );
}

export function MappingStep({
  preview,
  columns,
  onColumn,
  dirty,
  busy,
  onRecheck,
  moved,
}: {
  preview: ImportPreview;
  columns: Columns;
  onColumn: (field: string, col: number | null) => void;
  moved: MovedColumn | null;
  dirty: boolean;
  busy: boolean;
  onRecheck: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const missing = missingFields(columns);
  const used = new Set(Object.values(columns).filter((c): c is number => c !== null));
  const extra = preview.headers.map((h, i) => (used.has(i) || h.trim() === '' ? null : headerName(preview.headers, i, t))).filter((h): h is string => h !== null);

  const sampleCols: GridColDef<SampleRow>[] = useMemo(() => {
    const label = (k: string) =>
      k === 'row' ? t('import.rejCol.row') : k === 'bucket' ? t('cases.col.bucket') : k === 'province' ? t('cases.col.province') : k === 'contacts' ? t('import.contacts') : fieldLabel(k, lang);
    // Widths fit a masked ID number, a masked mobile and a seven-figure amount without cutting them.
    const widths: [string, number][] = [
      ['row', 64], ['caseNo', 130], ['borrowerName', 90], ['idNumber', 175], ['mobile', 120], ['overdueAmount', 120],
      ['daysOverdue', 90], ['bucket', 70], ['province', 90], ['dueDate', 110], ['contacts', 80],
    ];
    const numeric = new Set(['row', 'overdueAmount', 'daysOverdue', 'contacts']);
    return widths.map(([k, width]) => ({ field: k, headerName: label(k), width, align: numeric.has(k) ? 'right' : 'left', headerAlign: numeric.has(k) ? 'right' : 'left', sortable: false }));
  }, [t, lang]);
  const sampleRows: SampleRow[] = useMemo(() => preview.sample.map((s) => ({ id: s.row, row: s.row, ...s.values })), [preview.sample]);

  const detected = [
    preview.encoding
      ? t('import.detected', { format: preview.format.toUpperCase(), encoding: preview.encoding.toUpperCase(), row: preview.headerRow })
      : t('import.detectedNoEncoding', { format: preview.format.toUpperCase(), row: preview.headerRow }),
    preview.sheet ? t('import.detectedSheet', { sheet: preview.sheet }) : null,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Box>
        <Typography data-testid="import-detected">{detected}</Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="import-template">
          {preview.templateUsed ? t('import.template', { name: preview.templateUsed }) : t('import.noTemplate')}
        </Typography>
      </Box>
      {preview.duplicateOf ? (
        <Alert severity="error" data-testid="import-duplicate">
          {t('import.duplicate', { batchNo: preview.duplicateOf.batchNo })}
        </Alert>
      ) : null}
      {missing.length ? (
        <Alert severity="error" data-testid="import-missing">
          {t('import.missing', { fields: missing.map((k) => fieldLabel(k, lang)).join(t('import.listSep')) })}
        </Alert>
      ) : null}
      {preview.amountBasis.length ? (
        <Typography data-testid="import-amount-basis">
          {t('import.amountBasisTitle')}{' '}
          {preview.amountBasis.map((b) => (preview.amountBasis.length > 1 ? t('import.amountBasis', { formula: b.formula, rows: b.rows.toLocaleString() }) : b.formula)).join(t('import.listSep'))}
        </Typography>
      ) : null}
      <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', alignItems: 'center' }} data-testid="import-counts">
        <Count label={t('import.counts.total')} value={preview.totalRows} testId="import-count-total" />
        <Count label={t('import.counts.valid')} value={preview.validRows} testId="import-count-valid" color="success.main" />
        <Count label={t('import.counts.rejected')} value={preview.rejectedRows} testId="import-count-rejected" color={preview.rejectedRows ? 'error.main' : undefined} />
        <Count label={t('import.counts.existing')} value={preview.existingCases} testId="import-count-existing" />
      </Box>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <Box sx={{ flex: '1 1 380px', minWidth: 320, maxWidth: 560 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', mb: 1, gap: 1 }}>
            <Typography variant="subtitle1" component="h2" sx={{ flexGrow: 1, fontWeight: 600 }}>
              {t('import.mappingTitle')}
            </Typography>
            <Button size="small" variant={dirty ? 'contained' : 'outlined'} startIcon={<RefreshIcon />} onClick={onRecheck} disabled={busy} data-testid="import-recheck">
              {busy ? t('import.rechecking') : t('import.recheck')}
            </Button>
          </Box>
          {moved ? (
            <Alert severity="warning" sx={{ mb: 1 }} data-testid="import-moved">
              {t('import.columnMoved', { column: headerName(preview.headers, moved.column, t), from: fieldLabel(moved.from, lang), to: fieldLabel(moved.to, lang) })}
            </Alert>
          ) : null}
          {dirty ? (
            <Alert severity="info" sx={{ mb: 1 }} data-testid="import-changed">
              {t('import.changed')}
            </Alert>
          ) : null}
          <MappingTable headers={preview.headers} columns={columns} onChange={onColumn} disabled={busy} />
          {extra.length ? (
            <Typography variant="body2" sx={{ color: 'text.secondary', mt: 1 }} data-testid="import-extra">
              {t('import.extraColumns', { columns: extra.join(t('import.listSep')) })}
            </Typography>
          ) : null}
        </Box>
        <Box sx={{ flex: '2 1 480px', minWidth: 0 }}>
          <Typography variant="subtitle1" component="h2" sx={{ mb: 1, fontWeight: 600, lineHeight: '30.75px' }}>
            {t('import.sampleTitle')}
          </Typography>
          <Box sx={{ height: 440 }} data-testid="import-sample">
            <DataGrid rows={sampleRows} columns={sampleCols} density="compact" hideFooter disableRowSelectionOnClick disableColumnMenu aria-label={t('import.sampleTitle')} />
          </Box>
        </Box>
      </Box>
    </Box>
  );
}
