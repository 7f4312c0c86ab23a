// The rows or cases a recall skipped, with why (unknown case number, listed twice, already returned…).
import { useTranslation } from 'react-i18next';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { MethodOutput } from '../../../shared/contract/registry.js';

type Rejection = MethodOutput<'recalls.importFile'>['rejections'][number];

export function Rejections({ rows, testId }: { rows: Rejection[]; testId: string }) {
  const { t } = useTranslation();
  if (rows.length === 0) return null;
  return (
    <>
      <Typography sx={{ fontWeight: 600, mt: 1 }}>{t('recalls.skipped', { count: rows.length })}</Typography>
      <Table size="small" data-testid={testId} sx={{ maxWidth: 720 }}>
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: 60 }}>{t('recalls.row')}</TableCell>
            <TableCell>{t('recalls.caseNo')}</TableCell>
            <TableCell>{t('recalls.why')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r, i) => (
            <TableRow key={i} data-testid={`${testId}-row`}>
              <TableCell>{r.row ?? '—'}</TableCell>
              <TableCell>{r.caseNo ?? '—'}</TableCell>
              <TableCell>{r.reason}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
