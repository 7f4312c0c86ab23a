// Field → file column, one row per placement field (required first). A column can feed one field only:
// picking a column another field holds takes it from that field (and the mapping step says so).
import { memo, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Select from '@mui/material/Select';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { FIELDS_REQUIRED_FIRST, fieldLabel } from '../../placement.js';
import { amountMapped } from '../../../shared/domain/placement/amounts.js';

/** field key → column index (null = not mapped). */
export type Columns = Record<string, number | null>;

const NONE = '';
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function headerName(headers: readonly string[], col: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  return headers[col]?.trim() || t('import.blankColumn', { n: col + 1 });
}

export const MappingTable = memo(function MappingTable({
  headers,
  columns,
  onChange,
  disabled,
}: {
  headers: string[];
  columns: Columns;
  onChange: (field: string, col: number | null) => void;
  disabled: boolean;
}) {
  const { t, i18n } = useTranslation();
  const owner = new Map<number, string>();
  for (const [k, c] of Object.entries(columns)) if (c !== null) owner.set(c, k);

  return (
    <TableContainer component={Paper} variant="outlined" sx={{ maxHeight: 440 }} data-testid="import-mapping">
      <Table size="small" stickyHeader aria-label={t('import.mappingTitle')}>
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: '45%' }}>{t('import.field')}</TableCell>
            <TableCell>{t('import.column')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {FIELDS_REQUIRED_FIRST.map((f) => {
            const col = columns[f.key] ?? null;
            // The amount owed may come from its components or 剩余本金 instead of a total column.
            const missing = f.required && col === null && !(f.key === 'overdueAmount' && amountMapped(columns));
            return (
              <TableRow key={f.key} data-testid={`import-map-row-${f.key}`} sx={missing ? { bgcolor: (th) => th.alpha((th.vars ?? th).palette.error.main, 0.1) } : undefined}>
                <TableCell sx={{ fontWeight: f.required ? 600 : undefined }}>
                  {fieldLabel(f.key, i18n.language)}
                  {f.required ? (
                    <Box component="span" sx={{ color: 'error.main', ml: 0.5 }} title={t('import.requiredMark')}>
                      *
                    </Box>
                  ) : null}
                </TableCell>
                <TableCell sx={{ py: 0.25 }}>
                  <Select
                    size="small"
                    fullWidth
                    variant="standard"
                    disableUnderline
                    displayEmpty
                    disabled={disabled}
                    value={col === null ? NONE : String(col)}
                    onChange={(e) => onChange(f.key, e.target.value === NONE ? null : Number(e.target.value))}
                    SelectDisplayProps={displayProps(`import-map-${f.key}`)}
                    inputProps={{ 'aria-label': fieldLabel(f.key, i18n.language) }}
                    renderValue={(v) =>
                      v === NONE ? (
                        <Box component="span" sx={{ color: missing ? 'error.main' : 'text.disabled' }}>
                          {t('import.notMapped')}
                        </Box>
                      ) : (
                        headerName(headers, Number(v), t)
                      )
                    }
                  >
                    <MenuItem value={NONE} data-testid={`import-map-${f.key}-option-none`}>
                      {t('import.notMapped')}
                    </MenuItem>
                    {headers.map((h, i) =>
                      // A blank header cannot be named in a mapping (the API maps by header text).
                      h.trim() === '' ? null : (
                        <MenuItem key={i} value={String(i)} data-testid={`import-map-${f.key}-option-${i}`}>
                          {h}
                          {owner.has(i) && owner.get(i) !== f.key ? (
                            <Box component="span" sx={{ color: 'text.secondary', ml: 1, fontSize: '0.85em' }}>
                              ({fieldLabel(owner.get(i)!, i18n.language)})
                            </Box>
                          ) : null}
                        </MenuItem>
                      ),
                    )}
                  </Select>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
});
