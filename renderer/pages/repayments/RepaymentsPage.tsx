// 回款: import a lender's repayment file (managers), the files imported, reconciliation for a period and
// the monthly commission statement (managers and auditors).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useApi, useSession } from '../../context.js';
import { ImportTab } from './ImportTab.js';
import { FilesTab } from './FilesTab.js';
import { ReconcileTab } from './ReconcileTab.js';
import { CommissionTab } from './CommissionTab.js';
import type { Lender } from '../../../shared/contract/placements.js';

type TabId = 'import' | 'files' | 'reconcile' | 'commission';

export function RepaymentsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const canImport = session.permissions.includes('payments.post');
  const [tab, setTab] = useState<TabId>(canImport ? 'import' : 'files');
  const [lenders, setLenders] = useState<Lender[]>([]);
  const [imported, setImported] = useState(0);

  useEffect(() => {
    api.call('lenders.list', {}).then(
      (r) => setLenders(r.lenders),
      () => setLenders([]),
    );
  }, [api]);

  const tabs: TabId[] = canImport ? ['import', 'files', 'reconcile', 'commission'] : ['files', 'reconcile', 'commission'];
  return (
    <Box>
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        {t('repayments.title')}
      </Typography>
      <Tabs value={tab} onChange={(_e, v: TabId) => setTab(v)} sx={{ mb: 2, borderBottom: 1, borderColor: 'divider' }}>
        {tabs.map((id) => (
          <Tab key={id} value={id} label={t(`repayments.tabs.${id}`)} data-testid={`repay-tab-${id}`} />
        ))}
      </Tabs>
      {/* The import tab stays mounted, so a preview survives a look at another tab. */}
      {canImport ? (
        <Box sx={{ display: tab === 'import' ? 'block' : 'none' }}>
          <ImportTab lenders={lenders} onImported={() => setImported((n) => n + 1)} />
        </Box>
      ) : null}
      {tab === 'files' ? <FilesTab refresh={imported} /> : null}
      {tab === 'reconcile' ? <ReconcileTab lenders={lenders} /> : null}
      {tab === 'commission' ? <CommissionTab lenders={lenders} /> : null}
    </Box>
  );
}
