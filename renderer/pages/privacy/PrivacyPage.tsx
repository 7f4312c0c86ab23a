// 隐私保护: the access report (admins, managers, auditors) and retention & erasure (admins, managers).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useSession } from '../../context.js';
import { AccessTab } from './AccessTab.js';
import { ErasureTab } from './ErasureTab.js';

type TabId = 'access' | 'erasure';

export function PrivacyPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const tabs: TabId[] = session.permissions.includes('privacy.erase') ? ['access', 'erasure'] : ['access'];
  const [tab, setTab] = useState<TabId>('access');
  return (
    <Box>
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        {t('privacy.title')}
      </Typography>
      <Tabs value={tab} onChange={(_e, v: TabId) => setTab(v)} sx={{ mb: 2, borderBottom: 1, borderColor: 'divider' }}>
        {tabs.map((id) => (
          <Tab key={id} value={id} label={t(`privacy.tabs.${id}`)} data-testid={`privacy-tab-${id}`} />
        ))}
      </Tabs>
      {tab === 'access' ? <AccessTab /> : null}
      {tab === 'erasure' ? <ErasureTab canManage={session.permissions.includes('lenders.manage')} /> : null}
    </Box>
  );
}
