// Promises to pay that were broken (promises.list, state broken): the queue a manager follows up, and a
// collector's own (the backend keeps a collector to their own cases).
import { useTranslation } from 'react-i18next';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { yuan } from '../../money.js';
import type { PromiseView } from '../../../shared/contract/money.js';

export function BrokenPromises({ promises, onOpen }: { promises: PromiseView[]; onOpen: (caseId: number) => void }) {
  const { t } = useTranslation();
  if (promises.length === 0) return <Typography sx={{ color: 'text.secondary' }}>{t('money.section.emptyBroken')}</Typography>;
  const col = (k: string) => t(`money.section.col.${k}`);
  return (
    <Table size="small" data-testid="broken-promises">
      <TableHead>
        <TableRow>
          <TableCell>{col('caseNo')}</TableCell>
          <TableCell>{col('borrower')}</TableCell>
          <TableCell align="right">{col('promised')}</TableCell>
          <TableCell>{col('date')}</TableCell>
          <TableCell align="right">{col('paid')}</TableCell>
          <TableCell>{col('collector')}</TableCell>
          <TableCell>{col('made')}</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {promises.map((p) => (
          <TableRow key={p.attemptId} data-testid={`broken-${p.attemptId}`}>
            <TableCell>{p.caseNo}</TableCell>
            <TableCell>{p.borrowerName}</TableCell>
            <TableCell align="right">{yuan(p.amountFen)}</TableCell>
            <TableCell>{p.instance ? `${p.date} (${p.instance.no}/${p.instance.of})` : p.date}</TableCell>
            <TableCell align="right">{yuan(p.paidFen)}</TableCell>
            <TableCell>{p.collector}</TableCell>
            <TableCell>{p.madeOn}</TableCell>
            <TableCell align="right">
              <Button size="small" onClick={() => onOpen(p.caseId)}>
                {t('money.section.openCase')}
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
