// Building blocks of the dashboard: a titled card, a KPI tile, a percentage, and a plain table of numbers
// (the figures beneath every chart).
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';

export const pctText = (v: number | null): string => (v === null ? '—' : `${v.toFixed(2)}%`);

export function Card({ title, help, children, testId }: { title: string; help?: string; children: ReactNode; testId: string }) {
  return (
    <Paper variant="outlined" sx={{ p: 2, minWidth: 0 }} data-testid={testId}>
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
        {title}
      </Typography>
      {help ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
          {help}
        </Typography>
      ) : null}
      {children}
    </Paper>
  );
}

export function Kpi({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId: string }) {
  return (
    <Paper variant="outlined" sx={{ p: 1.5, minWidth: 0 }}>
      <Typography variant="caption" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography variant="h6" data-testid={testId} noWrap>
        {value}
      </Typography>
      {sub ? (
        <Typography variant="caption" sx={{ color: 'text.secondary' }} noWrap component="div">
          {sub}
        </Typography>
      ) : null}
    </Paper>
  );
}

export interface Column<R> {
  label: string;
  value: (r: R) => ReactNode;
  numeric?: boolean;
}

export function NumberTable<R>({ rows, columns, rowKey, testId, empty }: { rows: R[]; columns: Column<R>[]; rowKey: (r: R) => string; testId: string; empty: string }) {
  if (rows.length === 0) {
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary', py: 1 }} data-testid={testId}>
        {empty}
      </Typography>
    );
  }
  return (
    <Box sx={{ maxHeight: 320, overflow: 'auto' }}>
      <Table size="small" stickyHeader data-testid={testId}>
        <TableHead>
          <TableRow>
            {columns.map((c) => (
              <TableCell key={c.label} align={c.numeric ? 'right' : 'left'} sx={{ whiteSpace: 'nowrap' }}>
                {c.label}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={rowKey(r)} data-testid={`${testId}-row`}>
              {columns.map((c) => (
                <TableCell key={c.label} align={c.numeric ? 'right' : 'left'} sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  {c.value(r)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
