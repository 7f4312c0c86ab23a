// Picking one lender (compliance limits and schedules, repayments, reports: all per lender).
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { Lender } from '../../shared/contract/placements.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function LenderPicker({ lenders, value, onChange, testId, label, placeholder }: { lenders: Lender[]; value: number | ''; onChange: (id: number) => void; testId: string; label?: string; placeholder?: string }) {
  const { t } = useTranslation();
  return (
    <TextField
      select
      size="small"
      label={label ?? t('compliance.lender')}
      value={lenders.some((l) => l.id === value) ? value : ''}
      onChange={(e) => onChange(Number(e.target.value))}
      sx={{ minWidth: 240 }}
      slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps(testId) }, inputLabel: { shrink: true } }}
    >
      <MenuItem value="" disabled>
        {placeholder ?? t('compliance.pickLender')}
      </MenuItem>
      {lenders.map((l) => (
        <MenuItem key={l.id} value={l.id} data-testid={`${testId}-${l.code}`}>
          {l.code} · {l.name}
        </MenuItem>
      ))}
    </TextField>
  );
}
