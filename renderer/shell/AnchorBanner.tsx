// For admins and auditors: a banner while the audit anchor disagrees with the store (rolled back, rewritten,
// anchor file missing or edited). Asked when the shell opens and on each page change; the System check page
// shows the details and lets an admin accept the store as it is.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import { useApi, useSession } from '../context.js';
import { useNav } from './navigation.js';
import type { MethodOutput } from '../../shared/contract/registry.js';

export function AnchorBanner() {
  const { t } = useTranslation();
  const api = useApi();
  const nav = useNav();
  const { session } = useSession();
  const reader = session.permissions.includes('audit.read');
  const [anchor, setAnchor] = useState<MethodOutput<'audit.anchor'> | null>(null);
  useEffect(() => {
    if (!reader) return;
    let live = true;
    api.call('audit.anchor', {}).then(
      (a) => live && setAnchor(a),
      () => undefined, // advice only: a failed look-up shows nothing
    );
    return () => {
      live = false;
    };
  }, [api, reader, nav.section]);
  // "Not anchored yet" (no session so far could derive the anchor key) is not an alarm; everything else is.
  if (!anchor || anchor.ok || anchor.status === 'none' || anchor.status === 'unverified') return null;
  return (
    <Alert
      severity="error"
      sx={{ mb: 2 }}
      data-testid="anchor-banner"
      action={
        nav.section === 'system' ? null : (
          <Button color="inherit" size="small" onClick={() => nav.navigate('system')}>
            {t('system.openCheck')}
          </Button>
        )
      }
    >
      {t('system.anchorBanner', { message: anchor.message })}
    </Alert>
  );
}
