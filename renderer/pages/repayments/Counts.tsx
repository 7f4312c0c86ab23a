// A row of labelled figures (rows, matched, posted, rejected, amount) as outlined boxes.
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';

export interface Figure {
  id: string;
  label: string;
  value: string | number;
  color?: 'success.main' | 'info.main' | 'error.main' | 'warning.main' | 'text.primary';
}

export function Counts({ figures, testId }: { figures: Figure[]; testId: string }) {
  return (
    <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap' }} data-testid={testId}>
      {figures.map((f) => (
        <Paper key={f.id} variant="outlined" sx={{ px: 2, py: 1, minWidth: 110 }} data-testid={`${testId}-${f.id}`}>
          <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
            {f.label}
          </Typography>
          <Typography variant="h6" component="div" sx={{ color: f.color ?? 'text.primary', fontVariantNumeric: 'tabular-nums' }}>
            {f.value}
          </Typography>
        </Paper>
      ))}
    </Box>
  );
}
