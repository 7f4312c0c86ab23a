// The System page's "where the store sits": its folder, a warning when it is on a network share or in a
// cloud-sync folder (OneDrive, Dropbox, iCloud, Google Drive, 坚果云, 百度网盘 …), and the free disk space.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import { useApi } from '../context.js';
import type { MethodOutput } from '../../shared/contract/registry.js';

export function StoragePanel() {
  const { t } = useTranslation();
  const api = useApi();
  const [s, setS] = useState<MethodOutput<'system.storage'> | null>(null);
  useEffect(() => {
    api.call('system.storage', {}).then(setS, () => setS(null));
  }, [api]);
  if (!s) return null;
  const mb = (b: number) => Math.floor(b / 2 ** 20).toLocaleString();
  return (
    <Card variant="outlined" sx={{ mt: 2 }} data-testid="storage-panel">
      <CardContent>
        <Typography sx={{ fontWeight: 600 }}>{t('backup.storageTitle')}</Typography>
        <Typography sx={{ color: 'text.secondary', overflowWrap: 'anywhere' }}>{t('backup.storeAt', { dir: s.storeDir })}</Typography>
        <Typography sx={{ color: 'text.secondary' }}>{s.freeBytes === null ? t('backup.storageFreeUnknown') : t('backup.storageFree', { free: mb(s.freeBytes), store: mb(s.storeBytes) })}</Typography>
        {s.warnings.length ? (
          <Alert severity="warning" sx={{ mt: 1 }} data-testid="storage-warning">
            {t('backup.storeWarning', { what: s.warnings.join('; ') })}
          </Alert>
        ) : (
          <Typography sx={{ color: 'text.secondary' }}>{t('backup.storageOk')}</Typography>
        )}
        {s.freeBytes !== null && s.freeBytes < s.storeBytes ? <Alert severity="warning" sx={{ mt: 1 }}>{t('backup.storageLow')}</Alert> : null}
      </CardContent>
    </Card>
  );
}
