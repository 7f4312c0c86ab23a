// The lender a repayments tab reports on.
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { Lender } from '../../../shared/contract/placements.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function LenderPicker({ lenders, value, onChange, testId }: { lenders: Lender[]; value: number | ''; onChange: (id: number) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <TextField
      select
      size="small"
      label={t('repayments.lender')}
      value={lenders.some((l) => l.id === value) ? value : ''}
      onChange={(e) => onChange(Number(e.target.value))}
      sx={{ minWidth: 220 }}
      slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps(testId) }, inputLabel: { shrink: true } }}
    >
      <MenuItem value="" disabled>
        {t('repayments.pickLender')}
      </MenuItem>
      {lenders.map((l) => (
        <MenuItem key={l.id} value={l.id} data-testid={`${testId}-${l.code}`}>
          {l.code} · {l.name}
        </MenuItem>
      ))}
    </TextField>
  );
}
