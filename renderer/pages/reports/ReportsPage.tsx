// Reports (报表): export a signed package for a lender, verify a package, the agency's signing key, and
// each lender's report settings. Verify is for everyone logged in; the other tabs follow permissions.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useApi, useSession } from '../../context.js';
import { ExportTab } from './ExportTab.js';
import { VerifyTab } from './VerifyTab.js';
import { KeyTab } from './KeyTab.js';
import { SettingsTab } from './SettingsTab.js';
import { RecallsTab } from './RecallsTab.js';
import { SchedulesTab } from './SchedulesTab.js';
import type { Lender } from '../../../shared/contract/placements.js';

type TabId = 'export' | 'verify' | 'key' | 'settings' | 'recalls' | 'schedules';

export function ReportsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const can = (p: string) => session.permissions.includes(p as never);
  const tabs: TabId[] = [...(can('reports.export') ? (['export'] as const) : []), 'verify', ...(can('lenders.read') ? (['key'] as const) : []), ...(can('lenders.manage') ? (['settings'] as const) : []), ...(can('lenders.read') ? (['recalls'] as const) : []), ...(can('reports.export') ? (['schedules'] as const) : [])];
  const [tab, setTab] = useState<TabId>(tabs[0]!);
  const [lenders, setLenders] = useState<Lender[]>([]);
  useEffect(() => {
    if (can('lenders.read')) void api.call('lenders.list', {}).then((r) => setLenders(r.lenders)).catch(() => {});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api]);

  return (
    <Box>
      <Typography variant="h5" sx={{ mb: 1 }}>
        {t('nav.reports')}
      </Typography>
      <Tabs value={tab} onChange={(_e, v: TabId) => setTab(v)} sx={{ mb: 2, borderBottom: 1, borderColor: 'divider' }}>
        {tabs.map((id) => (
          <Tab key={id} value={id} label={id === 'recalls' || id === 'schedules' ? t(`${id}.tab`) : t(`reports.tabs.${id}`)} data-testid={`reports-tab-${id}`} />
        ))}
      </Tabs>
      {tab === 'export' ? <ExportTab lenders={lenders} /> : null}
      {tab === 'verify' ? <VerifyTab /> : null}
      {tab === 'key' ? <KeyTab canRotate={can('settings.manage')} /> : null}
      {tab === 'settings' ? <SettingsTab lenders={lenders} /> : null}
      {tab === 'recalls' ? <RecallsTab lenders={lenders} canRecall={can('lenders.manage')} /> : null}
      {tab === 'schedules' ? <SchedulesTab lenders={lenders} /> : null}
    </Box>
  );
}
