// The from/to/run bar of a report over a period (compliance report, access report): one layout, one set of
// test ids per report (`<testId>-from`, `-to`, `-run`), extra buttons after Run.
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';

export interface PeriodBarProps {
  from: string;
  to: string;
  onFrom: (v: string) => void;
  onTo: (v: string) => void;
  onRun: () => void;
  loading: boolean;
  labels: { from: string; to: string; run: string; help: string };
  testId: string;
  children?: ReactNode;
}

export function PeriodBar({ from, to, onFrom, onTo, onRun, loading, labels, testId, children }: PeriodBarProps) {
  return (
    <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', mb: 2, pt: 0.75, flexWrap: 'wrap' }}>
      <TextField size="small" type="date" label={labels.from} value={from} onChange={(e) => onFrom(e.target.value)} slotProps={{ htmlInput: { 'data-testid': `${testId}-from` }, inputLabel: { shrink: true } }} />
      <TextField size="small" type="date" label={labels.to} value={to} onChange={(e) => onTo(e.target.value)} slotProps={{ htmlInput: { 'data-testid': `${testId}-to` }, inputLabel: { shrink: true } }} />
      <Button variant="contained" onClick={onRun} disabled={loading || !from || !to} data-testid={`${testId}-run`}>
        {labels.run}
      </Button>
      {children}
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {labels.help}
      </Typography>
    </Box>
  );
}
