// Plans (协商方案): plans awaiting a decision (a manager's, or the lender's recorded by a manager), the
// active ones with each installment's state, and the broken promises to pay. Managers approve or reject
// here; collectors see their own cases' plans and promises (the backend restricts them).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import RefreshIcon from '@mui/icons-material/Refresh';
import { useApi, useSession } from '../../context.js';
import { useNav, useOpenCase } from '../../shell/navigation.js';
import { describeError } from '../../errors.js';
import { CaseDrawer } from '../cases/CaseDrawer.js';
import { PlanCard } from '../money/PlanCard.js';
import { DecideDialog } from './DecideDialog.js';
import { BrokenPromises } from './BrokenPromises.js';
import type { Plan, PromiseView } from '../../../shared/contract/money.js';

type TabId = 'awaiting' | 'active' | 'broken';

export function PlansPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const canApprove = session.permissions.includes('plans.approve');
  const nav = useNav();
  const [tab, setTab] = useState<TabId>(nav.params.tab === 'active' || nav.params.tab === 'broken' ? nav.params.tab : 'awaiting');
  const [awaiting, setAwaiting] = useState<Plan[] | null>(null);
  const [active, setActive] = useState<Plan[] | null>(null);
  const [broken, setBroken] = useState<PromiseView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [deciding, setDeciding] = useState<{ plan: Plan; approve: boolean } | null>(null);
  const [openCase, setOpenCase] = useOpenCase();

  const reload = useCallback(async () => {
    try {
      const [a, b, c] = await Promise.all([
        api.call('plans.list', { status: ['proposed', 'awaiting_lender'] }),
        api.call('plans.list', { status: ['active'] }),
        api.call('promises.list', { states: ['broken'] }),
      ]);
      setAwaiting(a.plans);
      setActive(b.plans);
      setBroken(c.promises);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const caseLine = (p: Plan) => (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 0.5 }}>
      <Typography sx={{ fontWeight: 600 }}>
        {p.borrowerName} · {p.caseNo}
      </Typography>
      <Button size="small" onClick={() => setOpenCase(p.caseId)} data-testid={`plan-${p.id}-open`}>
        {t('money.section.openCase')}
      </Button>
    </Box>
  );
  const list = (plans: Plan[] | null, empty: string, decide: boolean) =>
    plans === null ? null : plans.length === 0 ? (
      <Typography sx={{ color: 'text.secondary' }}>{empty}</Typography>
    ) : (
      plans.map((p) => (
        <Box key={p.id}>
          {caseLine(p)}
          <PlanCard
            plan={p}
            actions={
              decide && canApprove ? (
                <>
                  <Button size="small" variant="contained" color="success" onClick={() => setDeciding({ plan: p, approve: true })} data-testid={`plan-${p.id}-approve`}>
                    {t('money.decide.approve')}
                  </Button>
                  <Button size="small" variant="outlined" color="error" onClick={() => setDeciding({ plan: p, approve: false })} data-testid={`plan-${p.id}-reject`}>
                    {t('money.decide.reject')}
                  </Button>
                </>
              ) : null
            }
          />
        </Box>
      ))
    );

  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', mb: 1, gap: 2 }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          {t('money.section.title')}
        </Typography>
        <Tooltip title={t('common.refresh')}>
          <IconButton onClick={() => void reload()} aria-label={t('common.refresh')} data-testid="plans-refresh">
            <RefreshIcon />
          </IconButton>
        </Tooltip>
      </Box>
      {session.user.role === 'collector' ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          {t('money.section.collectorNote')}
        </Alert>
      ) : null}
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      <Tabs value={tab} onChange={(_e, v: TabId) => setTab(v)} sx={{ mb: 2, borderBottom: 1, borderColor: 'divider' }}>
        <Tab value="awaiting" label={`${t('money.section.awaiting')}${awaiting ? ` (${awaiting.length})` : ''}`} data-testid="plans-tab-awaiting" />
        <Tab value="active" label={`${t('money.section.active')}${active ? ` (${active.length})` : ''}`} data-testid="plans-tab-active" />
        <Tab value="broken" label={`${t('money.section.broken')}${broken ? ` (${broken.length})` : ''}`} data-testid="plans-tab-broken" />
      </Tabs>
      <Box sx={{ maxWidth: 1000 }} data-testid={`plans-panel-${tab}`}>
        {tab === 'awaiting' ? list(awaiting, t('money.section.emptyAwaiting'), true) : null}
        {tab === 'active' ? list(active, t('money.section.emptyActive'), false) : null}
        {tab === 'broken' && broken ? <BrokenPromises promises={broken} onOpen={setOpenCase} /> : null}
      </Box>
      {deciding ? <DecideDialog plan={deciding.plan} approve={deciding.approve} onClose={() => setDeciding(null)} onDecided={() => void reload()} /> : null}
      <CaseDrawer caseId={openCase} onClose={() => setOpenCase(null)} onChanged={() => void reload()} />
    </Box>
  );
}
