// The rows or cases a recall skipped, with why (unknown case number, listed twice, already returned…).
import { useTranslation } from 'react-i18next';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { TFunction } from 'i18next';
import { stageName } from '../../casework.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

type Rejection = MethodOutput<'recalls.importFile'>['rejections'][number];

const KNOWN: Record<string, string> = { 'no such case': 'noCase', 'no such case from this lender': 'notLender', 'listed twice': 'twice', 'no case number': 'noCaseNo' };

/** The backend's reason in the user's language (an unknown one as it came). */
export function rejectionText(t: TFunction, reason: string): string {
  const already = /^already (\w+)$/.exec(reason);
  if (already) return t('recalls.already', { stage: stageName(t, already[1]!) });
  return KNOWN[reason] ? t(`recalls.reasons.${KNOWN[reason]}`) : reason;
}

export function Rejections({ rows, testId }: { rows: Rejection[]; testId: string }) {
  const { t } = useTranslation();
  if (rows.length === 0) return null;
  const byRow = rows.some((r) => r.row !== null); // a file's rows; picked cases have none
  return (
    <>
      <Typography sx={{ fontWeight: 600, mt: 1 }}>{t('recalls.skipped', { count: rows.length })}</Typography>
      <Table size="small" data-testid={testId} sx={{ maxWidth: 720 }}>
        <TableHead>
          <TableRow>
            {byRow ? <TableCell sx={{ width: 60 }}>{t('recalls.row')}</TableCell> : null}
            <TableCell>{t('recalls.caseNo')}</TableCell>
            <TableCell>{t('recalls.why')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r, i) => (
            <TableRow key={i} data-testid={`${testId}-row`}>
              {byRow ? <TableCell>{r.row ?? '—'}</TableCell> : null}
              <TableCell>{r.caseNo ?? '—'}</TableCell>
              <TableCell>{rejectionText(t, r.reason)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
