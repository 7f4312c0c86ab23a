// Field → file column for a repayment file: the three required fields first. Changing one sends the whole
// mapping (as header texts) back for a new preview.
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Select from '@mui/material/Select';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { REPAYMENT_FIELDS } from '../../../shared/domain/repayments/fields.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function RepaymentMapping({ headers, columns, onChange, disabled }: { headers: string[]; columns: Record<string, number | null>; onChange: (field: string, col: number) => void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper variant="outlined" sx={{ maxWidth: 560 }}>
      <Table size="small" aria-label={t('repayments.mappingTitle')} data-testid="repay-mapping">
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: '45%' }}>{t('repayments.mappingTitle')}</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {REPAYMENT_FIELDS.map((f) => {
            const col = columns[f.key] ?? null;
            const missing = f.required && col === null;
            return (
              <TableRow key={f.key} sx={missing ? { bgcolor: (th) => th.alpha((th.vars ?? th).palette.error.main, 0.1) } : undefined}>
                <TableCell sx={{ fontWeight: f.required ? 600 : undefined }}>
                  {t(`repayments.fields.${f.key}`)}
                  {f.required ? ` (${t('repayments.required')})` : ''}
                </TableCell>
                <TableCell>
                  <Select
                    size="small"
                    fullWidth
                    displayEmpty
                    value={col === null ? '' : col}
                    disabled={disabled}
                    onChange={(e) => onChange(f.key, Number(e.target.value))}
                    SelectDisplayProps={displayProps(`repay-map-${f.key}`)}
                  >
                    <MenuItem value="" disabled>
                      {t('repayments.notMapped')}
                    </MenuItem>
                    {headers.map((h, i) =>
                      // A blank header cannot be named in a mapping (the API maps by header text).
                      h.trim() === '' ? null : (
                        <MenuItem key={i} value={i} data-testid={`repay-map-${f.key}-${i}`}>
                          {h}
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
    </Paper>
  );
}
