// On the desktop app's login screen: which store this desk works on, and "Connect to an office server" —
// the address, then the server's certificate fingerprint shown for the user to compare with the admin's,
// then connect (the main process pins it and the app restarts on the server). Not shown in a browser.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { BRIDGE_KEY, type AgencyDeskBridge, type OfficeStatus } from '../../shared/contract/bridge.js';

function officeBridge(): AgencyDeskBridge['office'] {
  return (window as unknown as Record<string, AgencyDeskBridge | undefined>)[BRIDGE_KEY]?.office;
}

export function OfficeServerLink() {
  const { t } = useTranslation();
  const bridge = officeBridge();
  const [status, setStatus] = useState<OfficeStatus | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    bridge?.status().then((s) => s.ok && setStatus(s.value), () => {});
  }, [bridge]);
  if (!bridge || !status) return null;
  if (status.mode === 'office') {
    return (
      <Stack spacing={0.5} data-testid="office-status">
        <Typography variant="body2" sx={{ color: 'text.secondary', wordBreak: 'break-all' }}>
          {t('office.connectedTo', { url: status.url })}
        </Typography>
        <Link
          component="button"
          type="button"
          variant="body2"
          sx={{ alignSelf: 'flex-start' }}
          onClick={() => {
            if (window.confirm(t('office.localConfirm'))) void bridge.disconnect();
          }}
          data-testid="office-use-local"
        >
          {t('office.useLocal')}
        </Link>
      </Stack>
    );
  }
  return (
    <>
      <Link component="button" type="button" variant="body2" sx={{ alignSelf: 'flex-start' }} onClick={() => setOpen(true)} data-testid="office-connect">
        {t('office.connect')}
      </Link>
      {open && <ConnectDialog onClose={() => setOpen(false)} office={bridge} />}
    </>
  );
}

function ConnectDialog({ onClose, office }: { onClose: () => void; office: NonNullable<AgencyDeskBridge['office']> }) {
  const { t } = useTranslation();
  const [address, setAddress] = useState('');
  const [shown, setShown] = useState<{ url: string; fingerprint: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [restarting, setRestarting] = useState(false);

  async function check() {
    setBusy(true);
    setError(null);
    setShown(null);
    const r = await office.probe(address);
    setBusy(false);
    if (r.ok) setShown(r.value);
    else setError(r.error.message);
  }
  async function connect() {
    if (!shown) return;
    setBusy(true);
    const r = await office.connect(shown.url, shown.fingerprint);
    setBusy(false);
    if (r.ok) setRestarting(true);
    else setError(r.error.message);
  }

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="office-dialog">
      <DialogTitle>{t('office.title')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <Typography variant="body2">{t('office.help')}</Typography>
          <Stack direction="row" spacing={1}>
            <TextField
              label={t('office.address')}
              value={address}
              onChange={(e) => {
                setAddress(e.target.value);
                setShown(null);
              }}
              placeholder="https://192.168.1.20:8443"
              fullWidth
              slotProps={{ htmlInput: { 'data-testid': 'office-address', autoCapitalize: 'none', spellCheck: false } }}
            />
            <Button variant="outlined" onClick={() => void check()} disabled={busy || !address.trim()} data-testid="office-check" sx={{ whiteSpace: 'nowrap' }}>
              {t('office.check')}
            </Button>
          </Stack>
          {shown && (
            <Alert severity="warning" data-testid="office-fingerprint">
              <Typography variant="body2" sx={{ fontWeight: 600 }}>
                {t('office.fingerprint')}
              </Typography>
              <Typography variant="body2" sx={{ fontFamily: 'monospace', wordBreak: 'break-all', my: 1 }}>
                {shown.fingerprint}
              </Typography>
              {t('office.compare')}
            </Alert>
          )}
          {error && <Alert severity="error">{error}</Alert>}
          {restarting && <Alert severity="info">{t('office.restarting')}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('office.cancel')}</Button>
        <Button variant="contained" onClick={() => void connect()} disabled={!shown || busy || restarting} data-testid="office-confirm">
          {t('office.confirm')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
