// A warning in the app bar, on every page, while the web host runs on a test clock: times entered then
// are not real (contact-log times are evidence). It also sets the screens' clock to the host's. It sits in
// the app bar so it costs the pages no height; the log form repeats it (a dialog covers the app bar).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
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
  const text = { start: formatDateTime(startedAt, i18n.language), now: formatDateTime(appNow().toISOString(), i18n.language) };
  return (
    <Box
      role="status"
      title={t('casework.testClock', text)}
      sx={{ display: 'flex', alignItems: 'center', gap: 0.75, px: 1.5, py: 0.5, borderRadius: 1, bgcolor: 'warning.main', color: 'warning.contrastText', fontWeight: 700, fontSize: 14, whiteSpace: 'nowrap', border: 2, borderColor: 'warning.light', minWidth: 0, overflow: 'hidden' }}
      data-testid="test-clock-banner"
    >
      <WarningAmberIcon fontSize="small" />
      <Box component="span" sx={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
        {t('casework.testClockBar', text)}
      </Box>
    </Box>
  );
}
