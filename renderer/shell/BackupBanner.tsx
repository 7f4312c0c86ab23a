// For admins: a banner when the last good backup is older than two days (or there is none), or when the store
// sits on a network share or in a cloud-sync folder. Asked once when the shell opens.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import { useApi, useSession } from '../context.js';
import { useNav } from './navigation.js';
import type { MethodOutput } from '../../shared/contract/registry.js';

export function BackupBanner() {
  const { t } = useTranslation();
  const api = useApi();
  const nav = useNav();
  const { session } = useSession();
  const admin = session.permissions.includes('settings.manage');
  const [status, setStatus] = useState<MethodOutput<'backup.status'> | null>(null);
  useEffect(() => {
    if (!admin) return;
    let live = true;
    api.call('backup.status', {}).then(
      (s) => live && setStatus(s),
      () => undefined, // the banner is advice: a failed look-up shows nothing
    );
    return () => {
      live = false;
    };
  }, [api, admin, nav.section]);
  if (!status || nav.section === 'backup' || (!status.stale && status.storeWarnings.length === 0)) return null;
  return (
    <Alert
      severity="warning"
      sx={{ mb: 2 }}
      data-testid="backup-banner"
      action={
        <Button color="inherit" size="small" onClick={() => nav.navigate('backup')}>
          {t('backup.openPage')}
        </Button>
      }
    >
      {status.stale ? t('backup.stale') : null} {status.storeWarnings.length ? t('backup.storeWarning', { what: status.storeWarnings.join('; ') }) : null}
    </Alert>
  );
}
