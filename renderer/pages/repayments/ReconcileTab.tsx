// Reconciliation for a lender and period: the four groups with their counts and totals, each listed below.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { downloadCsv, formatFen } from '../../placement.js';
import { reconciliationCsv } from '../../repayments.js';
import { localDay } from '../../casework.js';
import { LenderPicker } from '../../components/LenderPicker.js';
import type { Lender } from '../../../shared/contract/placements.js';
import type { Reconciliation } from '../../../shared/contract/repayments.js';

const SHOWN = 500;
const yuan = (fen: number) => formatFen(fen, { symbol: '¥' });
type GroupId = 'matched' | 'lenderOnly' | 'agencyOnly' | 'mismatches';

function Group({ id, count, total, children }: { id: GroupId; count: number; total: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Accordion disableGutters defaultExpanded={id === 'mismatches' && count > 0} data-testid={`recon-${id}`}>
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'baseline', flexWrap: 'wrap', width: '100%' }}>
          <Typography sx={{ fontWeight: 600, width: 270, flexShrink: 0 }}>{t(`repayments.reconcile.groups.${id}`)}</Typography>
          <Typography sx={{ width: 110, flexShrink: 0 }} data-testid={`recon-${id}-count`}>
            {t('repayments.reconcile.count', { count })}
          </Typography>
          <Typography sx={{ fontVariantNumeric: 'tabular-nums', fontWeight: 500 }} data-testid={`recon-${id}-total`}>
            {total}
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', flexBasis: '100%' }}>
            {t(`repayments.reconcile.groupHelp.${id}`)}
          </Typography>
        </Box>
      </AccordionSummary>
      <AccordionDetails>{count === 0 ? <Typography sx={{ color: 'text.secondary' }}>{t('repayments.reconcile.none')}</Typography> : children}</AccordionDetails>
    </Accordion>
  );
}

export function ReconcileTab({ lenders }: { lenders: Lender[] }) {
  const { t } = useTranslation();
  const api = useApi();
  const [lenderId, setLenderId] = useState<number | ''>(lenders.length === 1 ? lenders[0]!.id : '');
  const [from, setFrom] = useState(() => `${localDay(0).slice(0, 7)}-01`);
  const [to, setTo] = useState(() => localDay(0));
  const [r, setR] = useState<Reconciliation | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = async () => {
    if (lenderId === '') return;
    setBusy(true);
    try {
      setR(await api.call('repayments.reconcile', { lenderId, from, to }));
      setError(null);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  const head = (cells: string[]) => (
    <TableHead>
      <TableRow>
        {cells.map((c, i) => (
          <TableCell key={i} align={i >= cells.length - 1 ? 'right' : undefined}>
            {c}
          </TableCell>
        ))}
      </TableRow>
    </TableHead>
  );
  const c = (k: string) => t(`repayments.col.${k}`);

  return (
    <Box>
      <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', mb: 2, pt: 0.75, flexWrap: 'wrap' }}>
        <LenderPicker lenders={lenders} value={lenderId} onChange={setLenderId} testId="recon-lender" label={t('repayments.lender')} placeholder={t('repayments.pickLender')} />
        <TextField size="small" type="date" label={t('repayments.reconcile.from')} value={from} onChange={(e) => setFrom(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'recon-from' }, inputLabel: { shrink: true } }} />
        <TextField size="small" type="date" label={t('repayments.reconcile.to')} value={to} onChange={(e) => setTo(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'recon-to' }, inputLabel: { shrink: true } }} />
        <Button variant="contained" onClick={() => void run()} disabled={busy || lenderId === '' || !from || !to} data-testid="recon-run">
          {t('repayments.reconcile.run')}
        </Button>
        <Button variant="outlined" onClick={() => r && downloadCsv(`reconciliation-${lenders.find((l) => l.id === r.lenderId)?.code ?? r.lenderId}-${r.from}_${r.to}.csv`, reconciliationCsv(r, t))} disabled={!r} data-testid="recon-csv">
          {t('repayments.reconcile.csv')}
        </Button>
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('repayments.reconcile.help')}
        </Typography>
      </Box>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      {r ? (
        <Box data-testid="recon-result">
          <Group id="matched" count={r.matched.count} total={yuan(r.matched.totalFen)}>
            <Table size="small">
              {head([c('caseNo'), c('paidOn'), t('repayments.reconcile.file'), c('row'), c('amount')])}
              <TableBody>
                {r.matched.items.slice(0, SHOWN).map((x) => (
                  <TableRow key={x.id}>
                    <TableCell>{x.caseNo}</TableCell>
                    <TableCell>{x.paidOn}</TableCell>
                    <TableCell>{x.fileName}</TableCell>
                    <TableCell>{x.row}</TableCell>
                    <TableCell align="right">{yuan(x.amountFen)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Group>
          <Group id="lenderOnly" count={r.lenderOnly.count} total={yuan(r.lenderOnly.totalFen)}>
            <Table size="small">
              {head([c('caseNo'), c('paidOn'), t('repayments.reconcile.file'), c('row'), c('amount')])}
              <TableBody>
                {r.lenderOnly.items.slice(0, SHOWN).map((x) => (
                  <TableRow key={x.id}>
                    <TableCell>{x.caseNo}</TableCell>
                    <TableCell>{x.paidOn}</TableCell>
                    <TableCell>{x.fileName}</TableCell>
                    <TableCell>{x.row}</TableCell>
                    <TableCell align="right" sx={x.reversed ? { textDecoration: 'line-through' } : undefined}>
                      {yuan(x.amountFen)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Group>
          <Group id="agencyOnly" count={r.agencyOnly.count} total={yuan(r.agencyOnly.totalFen)}>
            <Table size="small">
              {head([c('caseNo'), c('paidOn'), t('repayments.fields.reference'), c('amount')])}
              <TableBody>
                {r.agencyOnly.items.slice(0, SHOWN).map((x) => (
                  <TableRow key={x.id}>
                    <TableCell>{x.caseNo}</TableCell>
                    <TableCell>{x.paidOn}</TableCell>
                    <TableCell>{x.reference}</TableCell>
                    <TableCell align="right">{yuan(x.amountFen)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Group>
          <Group
            id="mismatches"
            count={r.mismatches.count}
            total={`${t('repayments.reconcile.lenderSide')} ${yuan(r.mismatches.lenderFen)} · ${t('repayments.reconcile.agencySide')} ${yuan(r.mismatches.agencyFen)}`}
          >
            <Table size="small">
              {head([c('caseNo'), `${t('repayments.reconcile.lenderSide')} · ${c('paidOn')}`, `${t('repayments.reconcile.agencySide')} · ${c('paidOn')}`, t('repayments.reconcile.lenderSide'), t('repayments.reconcile.agencySide'), t('repayments.reconcile.difference')])}
              <TableBody>
                {r.mismatches.items.slice(0, SHOWN).map((x) => (
                  <TableRow key={x.lender.id} data-testid={`recon-mismatch-${x.caseNo}`}>
                    <TableCell>{x.caseNo}</TableCell>
                    <TableCell>{x.lender.paidOn}</TableCell>
                    <TableCell>{x.agency.paidOn}</TableCell>
                    <TableCell align="right">{yuan(x.lender.amountFen)}</TableCell>
                    <TableCell align="right">{yuan(x.agency.amountFen)}</TableCell>
                    <TableCell align="right" sx={{ color: 'error.main' }}>
                      {yuan(x.differenceFen)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Group>
        </Box>
      ) : null}
    </Box>
  );
}
