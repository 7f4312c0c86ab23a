// A case's balance on a date: per component what was placed, what accrued since (penalty, fees), what
// was waived and paid, and what is outstanding; markers when an approved plan freezes charges and when
// the case has its own contract terms.
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import AcUnitIcon from '@mui/icons-material/AcUnit';
import { yuan, componentName } from '../../money.js';
import type { BalanceView } from '../../../shared/contract/money.js';

const ROWS = ['principal', 'interest', 'penalty', 'fees'] as const;

export function BalanceCard({ balance, asOf, onAsOf }: { balance: BalanceView; asOf: string; onAsOf: (d: string) => void }) {
  const { t } = useTranslation();
  const accrued = (c: (typeof ROWS)[number]) => (c === 'penalty' ? balance.accrued.penalty : c === 'fees' ? balance.accrued.fees : 0);
  const sum = (f: (c: (typeof ROWS)[number]) => number) => ROWS.reduce((s, c) => s + f(c), 0);
  const cols: [string, (c: (typeof ROWS)[number]) => number][] = [
    ['placed', (c) => balance.opening[c]],
    ['accrued', accrued],
    ['waived', (c) => balance.waived[c]],
    ['paid', (c) => balance.paid[c]],
    ['outstanding', (c) => balance.owed[c]],
  ];
  return (
    <Box data-testid="money-balance">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap', mb: 1 }}>
        <Typography variant="h6" component="p" sx={{ fontWeight: 700 }} data-testid="money-outstanding">
          {t('money.balance.outstanding', { amount: yuan(balance.outstanding) })}
        </Typography>
        {balance.frozen ? (
          <Tooltip title={t('money.balance.frozenHelp')}>
            <Chip size="small" color="info" icon={<AcUnitIcon />} label={t('money.balance.frozen')} data-testid="money-frozen" />
          </Tooltip>
        ) : null}
        {balance.termsSet ? null : (
          <Tooltip title={t('money.terms.notSetHelp')}>
            <Chip size="small" color="warning" label={t('money.terms.notSet')} data-testid="money-terms-not-set" />
          </Tooltip>
        )}
        {balance.caseTerms ? (
          <Tooltip title={t('money.balance.ownTermsHelp')}>
            <Chip size="small" color="warning" variant="outlined" label={t('money.balance.ownTerms')} data-testid="money-own-terms" />
          </Tooltip>
        ) : null}
        <Typography variant="body2" sx={{ color: 'text.secondary', flexGrow: 1 }}>
          {t('money.balance.placedOn', { date: balance.placedOn })}
        </Typography>
        <TextField
          size="small"
          type="date"
          label={t('money.balance.asOf')}
          value={asOf}
          onChange={(e) => e.target.value && onAsOf(e.target.value)}
          sx={{ width: 170 }}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: balance.placedOn, 'data-testid': 'money-as-of' } }}
        />
      </Box>
      {balance.overpaid > 0 ? (
        <Typography variant="body2" sx={{ color: 'warning.main', mb: 1 }} data-testid="money-overpaid">
          {t('money.balance.overpaid', { amount: yuan(balance.overpaid) })}
        </Typography>
      ) : null}
      <Table size="small" sx={{ '& td, & th': { px: 1, whiteSpace: 'nowrap' }, '& td:not(:first-of-type), & th:not(:first-of-type)': { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }}>
        <TableHead>
          <TableRow>
            <TableCell />
            {cols.map(([k]) => (
              <TableCell key={k}>{t(`money.balance.col.${k}`)}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {ROWS.map((c) => (
            <TableRow key={c} data-testid={`money-row-${c}`}>
              <TableCell>{componentName(t, c)}</TableCell>
              {cols.map(([k, f]) => (
                <TableCell key={k}>{yuan(f(c))}</TableCell>
              ))}
            </TableRow>
          ))}
          <TableRow data-testid="money-row-total" sx={{ '& td': { fontWeight: 700 } }}>
            <TableCell>{t('money.components.total')}</TableCell>
            {cols.map(([k, f]) => (
              <TableCell key={k} data-testid={`money-total-${k}`}>
                {yuan(sum(f))}
              </TableCell>
            ))}
          </TableRow>
        </TableBody>
      </Table>
    </Box>
  );
}
