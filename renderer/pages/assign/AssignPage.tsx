// 分案: distribute cases by a rule (Assign), the automatic rules run on new batches, and the log.
// The Assign tab stays mounted while another tab is shown, so its inputs and preview survive a look at the log.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { describeError } from '../../errors.js';
import { useRefData } from '../../assign.js';
import { AssignTab } from './AssignTab.js';
import { RulesTab } from './RulesTab.js';
import { LogTab } from './LogTab.js';

type TabId = 'assign' | 'rules' | 'log';

export function AssignPage() {
  const { t } = useTranslation();
  const refData = useRefData({ lenders: true });
  const [tab, setTab] = useState<TabId>('assign');

  return (
    <Box>
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        {t('assign.title')}
      </Typography>
      <Tabs value={tab} onChange={(_e, v: TabId) => setTab(v)} sx={{ mb: 2, borderBottom: 1, borderColor: 'divider' }}>
        {(['assign', 'rules', 'log'] as const).map((id) => (
          <Tab key={id} value={id} label={t(`assign.tabs.${id}`)} data-testid={`assign-tab-${id}`} />
        ))}
      </Tabs>
      {refData.error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, refData.error)}
        </Alert>
      ) : null}
      <Box hidden={tab !== 'assign'}>
        <AssignTab refData={refData} />
      </Box>
      {tab === 'rules' ? <RulesTab refData={refData} /> : null}
      {tab === 'log' ? <LogTab /> : null}
    </Box>
  );
}
