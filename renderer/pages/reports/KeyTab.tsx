// The agency's signing key: the fingerprint in groups of four (to read aloud to a lender), the public key
// PEM to copy or download as agency-public.pem, the retired keys; admins rotate it with a reason.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { formatDateTime } from '../../format.js';
import { grouped } from './FileTable.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';
import { saveBlob } from '../../download.js';

type Keys = MethodOutput<'signing.keys'>;

function download(pem: string) {
  saveBlob('agency-public.pem', new Blob([pem], { type: 'application/x-pem-file' }));
}

export function KeyTab({ canRotate }: { canRotate: boolean }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [keys, setKeys] = useState<Keys | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rotating, setRotating] = useState(false);
  const [reason, setReason] = useState('');

  const load = useCallback(async () => {
    try {
      setKeys(await api.call('signing.keys', {}));
    } catch (e) {
      setError(describeError(t, e));
    }
  }, [api, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const rotate = async () => {
    try {
      setKeys(await api.call('signing.rotate', { reason }));
      setRotating(false);
      setReason('');
      notify(t('reports.key.rotated'));
    } catch (e) {
      setError(describeError(t, e));
    }
  };

  if (error) return <Alert severity="error">{error}</Alert>;
  if (!keys) return null;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, maxWidth: 900 }}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="h6">{t('reports.key.current')}</Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
          {t('reports.key.created', { date: formatDateTime(keys.current.createdAt, i18n.language) })}
        </Typography>
        <Typography variant="subtitle2">{t('reports.key.fingerprint')}</Typography>
        <Typography sx={{ fontFamily: 'monospace', fontSize: 18, letterSpacing: 0.5, mb: 1 }} data-testid="key-fingerprint">
          {grouped(keys.current.fingerprint)}
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>{t('reports.key.forLenders')}</Typography>
        <Box component="pre" sx={{ fontFamily: 'monospace', fontSize: 13, bgcolor: 'action.hover', p: 1.5, borderRadius: 1, overflowX: 'auto', m: 0 }} data-testid="key-pem">
          {keys.current.publicPem}
        </Box>
        <Box sx={{ display: 'flex', gap: 1, mt: 1, flexWrap: 'wrap' }}>
          <Button variant="outlined" onClick={() => void navigator.clipboard.writeText(keys.current.publicPem).then(() => notify(t('reports.key.copied')), (e: unknown) => setError(String(e)))} data-testid="key-copy">
            {t('reports.key.copy')}
          </Button>
          <Button variant="outlined" onClick={() => download(keys.current.publicPem)} data-testid="key-download">
            {t('reports.key.download')}
          </Button>
          {canRotate ? (
            <Button color="warning" variant="contained" onClick={() => setRotating(true)} data-testid="key-rotate">
              {t('reports.key.rotate')}
            </Button>
          ) : null}
        </Box>
      </Paper>
      <Typography variant="h6">{t('reports.key.retired')}</Typography>
      {keys.retired.length === 0 ? <Typography sx={{ color: 'text.secondary' }}>{t('reports.key.noRetired')}</Typography> : null}
      {keys.retired.map((k) => (
        <Paper key={k.fingerprint} variant="outlined" sx={{ p: 1.5 }} data-testid="key-retired">
          <Typography sx={{ fontFamily: 'monospace' }}>{grouped(k.fingerprint)}</Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {t('reports.key.retiredOn', { created: formatDateTime(k.createdAt, i18n.language), retired: k.retiredAt ? formatDateTime(k.retiredAt, i18n.language) : '' })}
          </Typography>
        </Paper>
      ))}
      <Dialog open={rotating} onClose={() => setRotating(false)} maxWidth="sm" fullWidth>
        <DialogTitle>{t('reports.key.rotateTitle')}</DialogTitle>
        <DialogContent>
          <Typography sx={{ mb: 2 }}>{t('reports.key.rotateHelp')}</Typography>
          <TextField fullWidth multiline minRows={2} label={t('reports.key.reason')} value={reason} onChange={(e) => setReason(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'key-rotate-reason' } }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRotating(false)}>{t('reports.key.cancel')}</Button>
          <Button variant="contained" color="warning" disabled={reason.trim().length < 2} onClick={() => void rotate()} data-testid="key-rotate-confirm">
            {t('reports.key.rotate')}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
