// A case's payments, oldest first: reversing entries shown as such (negative, "reversal of #n") and the
// reversed payments struck through; "Reverse" on a standing payment for those who post payments.
import { useTranslation } from 'react-i18next';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { channelName, yuan } from '../../money.js';
import { formatDateTime } from '../../format.js';
import type { Payment } from '../../../shared/contract/money.js';

export function PaymentsList({ payments, canPost, onReverse }: { payments: Payment[]; canPost: boolean; onReverse: (p: Payment) => void }) {
  const { t, i18n } = useTranslation();
  if (payments.length === 0) return <Typography sx={{ color: 'text.secondary' }}>{t('money.payments.empty')}</Typography>;
  return (
    <Table size="small" data-testid="payments-list" sx={{ '& td, & th': { px: 1 } }}>
      <TableHead>
        <TableRow>
          <TableCell>#</TableCell>
          <TableCell>{t('money.payments.col.date')}</TableCell>
          <TableCell align="right">{t('money.payments.col.amount')}</TableCell>
          <TableCell>{t('money.payments.col.channel')}</TableCell>
          <TableCell>{t('money.payments.col.payer')}</TableCell>
          <TableCell>{t('money.payments.col.entered')}</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {payments.map((p) => {
          const reversed = p.reversedById !== null;
          return (
            <TableRow key={p.id} data-testid={`payment-${p.id}`} sx={reversed ? { '& td.amount': { textDecoration: 'line-through', color: 'text.secondary' } } : undefined}>
              <TableCell>{p.id}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{p.paidOn}</TableCell>
              <TableCell align="right" className="amount" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums', color: p.amountFen < 0 ? 'error.main' : undefined }}>
                {yuan(p.amountFen)}
              </TableCell>
              <TableCell>{channelName(t, p.channel)}{p.source === 'lender_file' ? ` · ${t('money.payments.fromFile')}` : ''}</TableCell>
              <TableCell sx={{ overflowWrap: 'anywhere' }}>
                {[p.payer, p.reference].filter(Boolean).join(' · ') || '—'}
                {p.note ? (
                  <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
                    {p.note}
                  </Typography>
                ) : null}
              </TableCell>
              <TableCell>
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {p.enteredBy} · {formatDateTime(p.enteredAt, i18n.language)}
                </Typography>
              </TableCell>
              <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                {p.reversesId !== null ? <Chip size="small" color="error" variant="outlined" label={t('money.payments.reversalOf', { id: p.reversesId })} data-testid={`payment-${p.id}-reversal`} /> : null}
                {reversed ? <Chip size="small" variant="outlined" label={t('money.payments.reversedBy', { id: p.reversedById })} data-testid={`payment-${p.id}-reversed`} /> : null}
                {canPost && p.reversesId === null && !reversed ? (
                  <Button size="small" color="error" onClick={() => onReverse(p)} data-testid={`payment-${p.id}-reverse`}>
                    {t('money.payments.reverse')}
                  </Button>
                ) : null}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
