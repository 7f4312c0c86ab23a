// For admins: a banner on every page while the master key should be changed (a user was disabled, an admin reset a
// password, someone lost the right to sign): until then an old slot file or folder copy still opens the store.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import { useApi, useSession } from '../context.js';
import { useNav } from './navigation.js';
import { KEYS_CHANGED, rekeyReasons } from '../pages/KeysPanel.js';

export function RekeyBanner() {
  const { t } = useTranslation();
  const api = useApi();
  const nav = useNav();
  const { session } = useSession();
  const admin = session.permissions.includes('settings.manage');
  const [reasons, setReasons] = useState<Parameters<typeof rekeyReasons>[1] | null>(null);
  useEffect(() => {
    if (!admin) return;
    let live = true;
    const ask = () =>
      api.call('keys.status', {}).then(
        (s) => live && setReasons(s.rekeyDue ? s.rekeyDue.reasons : null),
        () => undefined,
      );
    void ask();
    window.addEventListener(KEYS_CHANGED, ask);
    return () => {
      live = false;
      window.removeEventListener(KEYS_CHANGED, ask);
    };
  }, [api, admin, nav.section]);
  if (!reasons) return null;
  return (
    <Alert
      severity="error"
      sx={{ mb: 2 }}
      data-testid="rekey-banner"
      action={
        nav.section === 'system' ? null : (
          <Button color="inherit" size="small" onClick={() => nav.navigate('system')}>
            {t('keys.openPanel')}
          </Button>
        )
      }
    >
      {t('keys.dueBanner', { reasons: rekeyReasons(t, reasons) })}
    </Alert>
  );
}
