// 合规: what managers and auditors check and set — the report (refusals, overrides, days at the call
// limit per collector), each lender's guardrail limits and escalation schedule, and the message and
// letter templates, and the agency's outcome codes. Roles without lenders.manage see the settings read-only.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useApi, useSession } from '../../context.js';
import { ReportTab } from './ReportTab.js';
import { LimitsTab } from './LimitsTab.js';
import { EscalationTab } from './EscalationTab.js';
import { TemplatesTab } from './TemplatesTab.js';
import { OutcomesTab } from './OutcomesTab.js';
import type { Lender } from '../../../shared/contract/placements.js';

type TabId = 'report' | 'limits' | 'escalation' | 'templates' | 'outcomes';

export function CompliancePage() {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const canManage = session.permissions.includes('lenders.manage');
  const readsLenders = session.permissions.includes('lenders.read');
  const [tab, setTab] = useState<TabId>('report');
  const [lenders, setLenders] = useState<Lender[]>([]);

  useEffect(() => {
    if (!readsLenders) return;
    api.call('lenders.list', {}).then(
      (r) => setLenders(r.lenders),
      () => setLenders([]),
    );
  }, [api, readsLenders]);

  const tabs: TabId[] = readsLenders ? ['report', 'limits', 'escalation', 'templates', 'outcomes'] : ['report', 'templates', 'outcomes'];
  return (
    <Box>
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        {t('compliance.title')}
      </Typography>
      <Tabs value={tab} onChange={(_e, v: TabId) => setTab(v)} sx={{ mb: 2, borderBottom: 1, borderColor: 'divider' }}>
        {tabs.map((id) => (
          <Tab key={id} value={id} label={t(`compliance.tabs.${id}`)} data-testid={`compliance-tab-${id}`} />
        ))}
      </Tabs>
      {tab === 'report' ? <ReportTab /> : null}
      {tab === 'limits' ? <LimitsTab lenders={lenders} canManage={canManage} /> : null}
      {tab === 'escalation' ? <EscalationTab lenders={lenders} canManage={canManage} /> : null}
      {tab === 'templates' ? <TemplatesTab canManage={canManage} /> : null}
      {tab === 'outcomes' ? <OutcomesTab canManage={canManage} /> : null}
    </Box>
  );
}
