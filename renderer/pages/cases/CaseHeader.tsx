// The facts a collector needs before dialling, in one band across the work view: who (masked as the
// backend returns them), whose debt and how much, where the case stands, and what the schedule wants next.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { formatFen } from '../../placement.js';
import { actionName, stageName } from '../../casework.js';
import type { CaseDetail } from '../../../shared/contract/assignment.js';
import { Unmaskable } from './Unmask.js';

export type NextStep = NonNullable<CaseDetail['nextStep']>;

const STAGE_COLOR: Record<string, 'default' | 'primary' | 'warning' | 'error' | 'success' | 'info'> = {
  new: 'primary',
  reminder: 'info',
  contact: 'info',
  negotiation: 'info',
  field_visit: 'warning',
  legal_referral: 'error',
  paused: 'warning',
  settled: 'success',
};

export function StageChip({ stage }: { stage: string }) {
  const { t } = useTranslation();
  return <Chip size="small" color={STAGE_COLOR[stage] ?? 'default'} label={stageName(t, stage)} data-testid="case-stage" />;
}

// An identifier (`ident`: the case number) wraps instead of being cut ("PAYD202511000…"), with its full value on hover.
function Fact({ label, children, testId, wide, sub, ident }: { label: string; children: ReactNode; testId?: string; wide?: boolean; sub?: string | null; ident?: string }) {
  return (
    <Box sx={{ minWidth: 0, gridColumn: wide ? 'span 2' : undefined }}>
      <Typography variant="caption" component="div" sx={{ color: 'text.secondary', lineHeight: 1.4 }}>
        {label}
      </Typography>
      <Typography variant="body2" component="div" noWrap={!ident} sx={{ fontVariantNumeric: 'tabular-nums', overflowWrap: ident ? 'anywhere' : undefined }} title={ident} data-testid={testId}>
        {children ?? '—'}
      </Typography>
      {sub ? (
        <Typography variant="caption" component="div" noWrap sx={{ color: 'text.secondary', lineHeight: 1.3 }} title={sub}>
          {sub}
        </Typography>
      ) : null}
    </Box>
  );
}

export function CaseHeader({ detail: d, step }: { detail: CaseDetail; step: NextStep | null }) {
  const { t } = useTranslation();
  const stepText = step
    ? step.behind
      ? t('today.behind', { action: actionName(t, step.action) })
      : t('today.inDays', { action: actionName(t, step.action), count: step.inDays })
    : null;
  const a = d.aging;
  // Today's figures, with what the file said at placement beneath (and the day a finished case stopped ageing).
  const atPlacement = t('caseFacts.atPlacement', { days: a.daysAtPlacement ?? '—', bucket: a.bucketAtPlacement ?? '—' });
  const ended = d.status !== 'open' && a.asOf !== null ? t('caseFacts.asOfEnded', { date: a.asOf }) : null;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(132px, 1fr))', columnGap: 2, rowGap: 1, px: 2, py: 1.5, bgcolor: 'action.hover' }} data-testid="case-header">
      <Fact label={t('cases.col.caseNo')} testId="case-no" ident={d.caseNo}>
        {d.caseNo}
      </Fact>
      <Fact label={t('cases.col.lender')} wide>
        {`${d.lenderCode} · ${d.lenderName}`}
      </Fact>
      {/* What is owed today (the one balance function), the placed amount beneath under its own name. */}
      <Fact label={t('money.figures.outstanding')} testId="case-amount" wide sub={`${t('money.figures.placed')} ${formatFen(d.placedFen)}${d.termsSet ? '' : ` · ${t('money.terms.notSet')}`}`}>
        <b title={t('money.figures.outstandingHelp')}>{formatFen(d.outstandingFen)}</b>
      </Fact>
      <Fact label={t('caseFacts.daysToday')} testId="case-days" sub={ended ?? atPlacement}>
        {d.daysOverdue}
      </Fact>
      <Fact label={t('caseFacts.bucketToday')} testId="case-bucket" sub={t('caseFacts.since', { days: a.daysSincePlacement })}>
        {d.bucket}
      </Fact>
      <Fact label={t('cases.col.stage')}>
        <StageChip stage={d.stage} />
      </Fact>
      <Fact label={t('cases.col.collector')} testId="case-collector">
        {d.collector ?? t('cases.unassigned')}
      </Fact>
      {/* Masked; the eye asks for a reason and shows the full value for a moment (cases.unmask, audited). */}
      <Fact label={t('cases.col.idNumber')} wide>
        <Unmaskable c={d} field="idNumber" value={d.idNumber} testId="case-id-number" />
      </Fact>
      <Fact label={t('cases.col.mobile')} wide>
        <Unmaskable c={d} field="mobile" value={d.mobile} testId="case-mobile" />
      </Fact>
      <Fact label={t('today.col.nextStep')} testId="case-next-step" wide sub={step ? t(`caseFacts.basis.${step.basis}`) : null}>
        {stepText ? (
          <Box component="span" sx={{ color: step?.behind ? 'warning.main' : undefined, fontWeight: step?.behind ? 600 : undefined }}>
            {stepText}
          </Box>
        ) : (
          t('casework.noStep')
        )}
      </Fact>
    </Box>
  );
}
