// A warning bar across every page while the web host runs on a test clock: times entered then are not
// real (contact-log times are evidence). It also sets the screens' clock to the host's.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import { useApi } from '../context.js';
import { appNow, setHostClock } from '../clock.js';
import { formatDateTime } from '../format.js';

export function TestClockBar() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [startedAt, setStartedAt] = useState<string | null>(null);
  const [, tick] = useState(0);

  useEffect(() => {
    let live = true;
    api.call('system.status', {}).then(
      (s) => {
        if (!live) return;
        setHostClock(s.testClock);
        setStartedAt(s.testClock?.startedAt ?? null);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api]);
  useEffect(() => {
    if (!startedAt) return;
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, [startedAt]);

  if (!startedAt) return null;
  return (
    <Alert severity="warning" variant="filled" sx={{ mb: 2, fontWeight: 500 }} data-testid="test-clock-banner">
      {t('casework.testClock', { start: formatDateTime(startedAt, i18n.language), now: formatDateTime(appNow().toISOString(), i18n.language) })}
    </Alert>
  );
}
