// One negotiated plan: kind, status, what was owed, waived and is to be paid, who proposed and decided
// it (with the lender's approval when one was needed), the reason and proof, and each installment's
// state and paid amount. `actions` adds the buttons the place showing it offers.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { formatDate } from '../../format.js';
import { installmentStateName, planKindName, planStatusName, stateColor, yuan } from '../../money.js';
import type { Plan } from '../../../shared/contract/money.js';

export function PlanCard({ plan, fileNames, actions }: { plan: Plan; fileNames?: Map<number, string>; actions?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const proofs = fileNames ? plan.proofFileIds.map((id) => fileNames.get(id) ?? `#${id}`) : [];
  const waived = (['interest', 'penalty', 'fees'] as const).filter((k) => plan.waiver[k] > 0);
  return (
    <Paper variant="outlined" sx={{ p: 1.5, mb: 1.5 }} data-testid={`plan-${plan.id}`}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Typography sx={{ fontWeight: 700 }}>#{plan.id}</Typography>
        <Chip size="small" color={stateColor(plan.status)} label={planStatusName(t, plan.status)} data-testid={`plan-${plan.id}-status`} />
        <Typography variant="body2" sx={{ flexGrow: 1 }}>
          {t('money.plans.summary', { kind: planKindName(t, plan.kind), owed: yuan(plan.owedFen), waiver: yuan(plan.waiverFen), total: yuan(plan.totalFen) })}
        </Typography>
        {actions}
      </Box>
      {waived.length ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {waived.map((k) => `${t(`money.components.${k}`)} ${yuan(plan.waiver[k])}`).join(' · ')}
        </Typography>
      ) : null}
      <Typography variant="body2" sx={{ mt: 0.5 }}>
        <Box component="span" sx={{ color: 'text.secondary' }}>{`${t('money.plans.reason')}${t('casework.colon')}`}</Box>
        {plan.reason}
      </Typography>
      {plan.proofFileIds.length ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', overflowWrap: 'anywhere' }}>
          {proofs.length ? t('money.plans.proofs', { names: proofs.join(', ') }) : t('money.plans.proofsCount', { count: plan.proofFileIds.length })}
        </Typography>
      ) : null}
      <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
        {t('money.plans.proposedBy', { who: plan.proposedBy, date: formatDate(plan.proposedAt, lang) })}
        {' · '}
        {plan.status === 'proposed' || plan.status === 'awaiting_lender' ? t(`money.plans.approver.${plan.approver}`) : null}
        {plan.decidedBy && plan.decidedAt ? t('money.plans.decidedBy', { who: plan.decidedBy, date: formatDate(plan.decidedAt, lang), status: t(plan.status === 'rejected' ? 'money.plans.decision.rejected' : 'money.plans.decision.approved') }) : null}
        {plan.decisionNote ? ` · ${plan.decisionNote}` : ''}
      </Typography>
      {plan.lenderApproval ? (
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
          {t('money.plans.lenderApproved', plan.lenderApproval)}
        </Typography>
      ) : null}
      <Table size="small" sx={{ mt: 1, '& td, & th': { px: 1, py: 0.5 }, '& td:nth-of-type(3), & td:nth-of-type(4), & th:nth-of-type(3), & th:nth-of-type(4)': { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }}>
        <TableHead>
          <TableRow>
            <TableCell>{t('money.plans.col.no')}</TableCell>
            <TableCell>{t('money.plans.col.due')}</TableCell>
            <TableCell>{t('money.plans.col.amount')}</TableCell>
            <TableCell>{t('money.plans.col.paid')}</TableCell>
            <TableCell>{t('money.plans.col.state')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {plan.installments.map((i) => (
            <TableRow key={i.no} data-testid={`plan-${plan.id}-installment-${i.no}`}>
              <TableCell>{i.no}</TableCell>
              <TableCell>{i.dueDate}</TableCell>
              <TableCell>{yuan(i.amountFen)}</TableCell>
              <TableCell>{yuan(i.paidFen)}</TableCell>
              <TableCell>
                <Chip size="small" variant="outlined" color={stateColor(i.state)} label={installmentStateName(t, i.state)} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.5 }}>
        {t('money.plans.paid', { paid: yuan(plan.paidFen), total: yuan(plan.totalFen) })} · {t('money.plans.grace', { days: plan.graceDays })}
        {plan.endedOn ? ` · ${t('money.plans.endedOn', { date: plan.endedOn })}` : ''}
      </Typography>
    </Paper>
  );
}
