// The Money panel of the case work view: the balance on a date, the case's plans (propose one; the
// confirmation letter of an approved one), its payments (post and reverse, for those who hold
// payments.post) and its promises to pay with whether each was kept.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import DescriptionIcon from '@mui/icons-material/Description';
import HandshakeIcon from '@mui/icons-material/Handshake';
import { useSession } from '../../context.js';
import { describeError } from '../../errors.js';
import { localDay } from '../../casework.js';
import { promiseStateName, stateColor, yuan } from '../../money.js';
import { isFinal } from '../../../shared/domain/casework/stages.js';
import type { CaseDetail } from '../../../shared/contract/assignment.js';
import type { Payment, Plan } from '../../../shared/contract/money.js';
import { useCaseMoney } from './useCaseMoney.js';
import { BalanceCard } from './BalanceCard.js';
import { PaymentsList } from './PaymentsList.js';
import { PostPaymentDialog, ReverseDialog } from './PaymentDialogs.js';
import { PlanCard } from './PlanCard.js';
import { ProposePlanDialog } from './ProposePlanDialog.js';
import { PlanLetterDialog } from './PlanLetterDialog.js';

const OPEN = ['proposed', 'awaiting_lender', 'active'];

function Heading({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 3, mb: 1 }}>
      <Typography variant="overline" component="h3" sx={{ color: 'text.secondary', lineHeight: 2, flexGrow: 1 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

export function MoneyPanel({ detail, onChanged }: { detail: CaseDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const canWork = session.permissions.includes('cases.work');
  const canPost = session.permissions.includes('payments.post');
  const [asOf, setAsOf] = useState(() => localDay());
  const m = useCaseMoney(detail.id, asOf);
  const [posting, setPosting] = useState(false);
  const [reversing, setReversing] = useState<Payment | null>(null);
  const [proposing, setProposing] = useState(false);
  const [letterOf, setLetterOf] = useState<Plan | null>(null);
  const fileNames = new Map(m.files.map((f) => [f.id, f.name]));
  const canPropose = canWork && !isFinal(detail.stage) && !m.plans.some((p) => OPEN.includes(p.status));

  const changed = () => {
    void m.reload();
    onChanged();
  };

  return (
    <Box data-testid="money-panel">
      {m.error ? (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="money-error">
          {describeError(t, m.error)}
        </Alert>
      ) : null}
      {m.balance ? <BalanceCard balance={m.balance} asOf={asOf} onAsOf={setAsOf} /> : null}

      <Heading title={t('money.plans.title')}>
        {canPropose ? (
          <Button size="small" variant="contained" startIcon={<HandshakeIcon />} onClick={() => setProposing(true)} data-testid="plan-propose">
            {t('money.plans.propose')}
          </Button>
        ) : null}
      </Heading>
      {m.plans.length === 0 ? <Typography sx={{ color: 'text.secondary' }}>{t('money.plans.empty')}</Typography> : null}
      {m.plans.map((p) => (
        <PlanCard
          key={p.id}
          plan={p}
          fileNames={fileNames}
          actions={
            canWork && (p.status === 'active' || p.status === 'completed') ? (
              <Button size="small" variant="outlined" startIcon={<DescriptionIcon />} onClick={() => setLetterOf(p)} data-testid={`plan-${p.id}-letter`}>
                {p.letterFileId !== null ? t('money.plans.letterFiled') : t('money.plans.letter')}
              </Button>
            ) : null
          }
        />
      ))}

      <Heading title={t('money.payments.title')}>
        {canPost && (!isFinal(detail.stage) || detail.stage === 'settled') ? (
          <Button size="small" variant="contained" startIcon={<AddIcon />} onClick={() => setPosting(true)} data-testid="payment-post">
            {t('money.payments.post')}
          </Button>
        ) : null}
      </Heading>
      <PaymentsList payments={m.payments} canPost={canPost} onReverse={setReversing} />

      <Heading title={t('money.promises.title')} />
      {m.promises.length === 0 ? <Typography sx={{ color: 'text.secondary' }}>{t('money.promises.empty')}</Typography> : null}
      <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }} data-testid="money-promises">
        {m.promises.map((p) => (
          <Box component="li" key={p.attemptId} sx={{ display: 'flex', alignItems: 'center', gap: 1, py: 0.5, borderBottom: 1, borderColor: 'divider' }} data-testid={`promise-${p.attemptId}`}>
            <Chip size="small" color={stateColor(p.state)} label={promiseStateName(t, p.state)} sx={{ minWidth: 72 }} />
            <Typography variant="body2">{t('money.promises.line', { amount: yuan(p.amountFen), date: p.instance ? `${p.date} (${p.instance.no}/${p.instance.of})` : p.date, paid: yuan(p.paidFen), made: p.madeOn, who: p.collector })}</Typography>
          </Box>
        ))}
      </Box>

      {posting && m.balance ? <PostPaymentDialog caseId={detail.id} placedOn={m.balance.placedOn} onClose={() => setPosting(false)} onPosted={changed} /> : null}
      {reversing ? <ReverseDialog payment={reversing} onClose={() => setReversing(null)} onReversed={changed} /> : null}
      {proposing ? <ProposePlanDialog caseId={detail.id} lenderId={detail.lenderId} files={m.files} onClose={() => setProposing(false)} onProposed={changed} /> : null}
      {letterOf ? <PlanLetterDialog plan={letterOf} onClose={() => setLetterOf(null)} onFiled={changed} /> : null}
    </Box>
  );
}
