// Verify: upload a report package (.zip) and, optionally, a public key PEM (read as text here) → valid
// and who signed it, in green, or in red exactly which file or signature failed.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { grouped } from './FileTable.js';
import type { VerifyResult } from '../../../shared/contract/reports.js';

export function VerifyTab() {
  const { t } = useTranslation();
  const api = useApi();
  const pkgInput = useRef<HTMLInputElement>(null);
  const keyInput = useRef<HTMLInputElement>(null);
  const [pkg, setPkg] = useState<File | null>(null);
  const [key, setKey] = useState<{ name: string; pem: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<VerifyResult | null>(null);

  const run = async () => {
    if (!pkg) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const ref = await api.stageFile(pkg);
      setResult(await api.call('reports.verify', { package: ref, ...(key ? { publicKeyPem: key.pem } : {}) }));
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, maxWidth: 900 }}>
      <Typography sx={{ color: 'text.secondary' }}>{t('reports.verify.intro')}</Typography>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center' }}>
        <Button variant="outlined" onClick={() => pkgInput.current?.click()} disabled={busy} data-testid="verify-choose">
          {t('reports.verify.choose')}
        </Button>
        <input
          ref={pkgInput}
          type="file"
          accept=".zip"
          hidden
          data-testid="verify-file-input"
          onChange={(e) => {
            setPkg(e.target.files?.[0] ?? null);
            setResult(null);
            e.target.value = '';
          }}
        />
        {pkg ? <Typography sx={{ fontWeight: 500, wordBreak: 'break-all' }} data-testid="verify-file-name">{pkg.name}</Typography> : null}
      </Box>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center' }}>
        <Button variant="outlined" onClick={() => keyInput.current?.click()} disabled={busy} data-testid="verify-key-choose">
          {t('reports.verify.key')}
        </Button>
        <input
          ref={keyInput}
          type="file"
          accept=".pem,.txt"
          hidden
          data-testid="verify-key-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void f.text().then((pem) => setKey({ name: f.name, pem }));
          }}
        />
        {key ? (
          <>
            <Typography data-testid="verify-key-name">{key.name}</Typography>
            <Button size="small" onClick={() => setKey(null)}>{t('reports.verify.clearKey')}</Button>
          </>
        ) : (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>{t('reports.verify.keyHelp')}</Typography>
        )}
      </Box>
      <Box>
        <Button variant="contained" onClick={() => void run()} disabled={busy || !pkg} data-testid="verify-run">
          {busy ? t('reports.verify.running') : t('reports.verify.run')}
        </Button>
      </Box>
      {error ? <Alert severity="error" data-testid="verify-error">{error}</Alert> : null}
      {result?.valid ? (
        <Alert severity="success" data-testid="verify-valid">
          <Typography sx={{ fontWeight: 600 }}>
            {result.signer && result.signer.name
              ? t('reports.verify.valid', { name: result.signer.name, fingerprint: '' })
              : t('reports.verify.validUnknown', { fingerprint: '' })}
          </Typography>
          <Typography sx={{ fontFamily: 'monospace' }}>{grouped(result.signer?.fingerprint ?? '')}</Typography>
          <Typography variant="body2">{t('reports.verify.filesOk', { count: result.files.length })}</Typography>
        </Alert>
      ) : null}
      {result && !result.valid ? (
        <Alert severity="error" data-testid="verify-invalid">
          <Typography sx={{ fontWeight: 600 }}>{t('reports.verify.invalid', { count: result.failures.length })}</Typography>
          <List dense disablePadding>
            {result.failures.map((f, i) => (
              <ListItem key={i} disableGutters data-testid="verify-failure">
                <ListItemText primary={f.file} secondary={f.reason} slotProps={{ primary: { sx: { fontWeight: 600, fontFamily: 'monospace' } } }} />
              </ListItem>
            ))}
          </List>
        </Alert>
      ) : null}
    </Box>
  );
}
