// Verify: upload a report package (.zip — or, in the desktop app, pick its folder) and, optionally, a
// public key PEM (read as text here) → valid and who signed it, in green; valid but signed by a key
// nobody here holds, in amber; or in red exactly which file or signature failed.
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
import { onDesktop } from '../../download.js';

/** A folder picker: Chromium gives every file in it (webkitRelativePath "folder/name"). */
const folderPicker = { webkitdirectory: '' } as Record<string, string>;
import type { VerifyResult } from '../../../shared/contract/reports.js';

export function VerifyTab() {
  const { t } = useTranslation();
  const api = useApi();
  const pkgInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  /** A package folder (desktop): its manifest.json, whose local path names the folder. */
  const [folder, setFolder] = useState<{ name: string; manifest: File } | null>(null);
  const keyInput = useRef<HTMLInputElement>(null);
  const [pkg, setPkg] = useState<File | null>(null);
  const [key, setKey] = useState<{ name: string; pem: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<VerifyResult | null>(null);

  const run = async () => {
    if (!pkg && !folder) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      let ref = await api.stageFile(folder ? folder.manifest : pkg!);
      // The folder is where its manifest.json is.
      if (folder && 'path' in ref) ref = { path: ref.path.replace(/[\\/][^\\/]*$/, '') };
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
            setFolder(null);
            setResult(null);
            e.target.value = '';
          }}
        />
        {onDesktop() ? (
          <>
            <Button variant="outlined" onClick={() => folderInput.current?.click()} disabled={busy} data-testid="verify-choose-folder">
              {t('reports.verify.chooseFolder')}
            </Button>
            <input
              ref={folderInput}
              type="file"
              hidden
              {...folderPicker}
              data-testid="verify-folder-input"
              onChange={(e) => {
                const top = [...(e.target.files ?? [])].find((f) => /^[^/]+\/manifest\.json$/.test(f.webkitRelativePath));
                e.target.value = '';
                setResult(null);
                if (!top) return setError(t('reports.verify.noManifest'));
                setError(null);
                setPkg(null);
                setFolder({ name: top.webkitRelativePath.split('/')[0]!, manifest: top });
              }}
            />
          </>
        ) : null}
        {pkg || folder ? <Typography sx={{ fontWeight: 500, wordBreak: 'break-all' }} data-testid="verify-file-name">{pkg ? pkg.name : `${folder!.name}/`}</Typography> : null}
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
        <Button variant="contained" onClick={() => void run()} disabled={busy || (!pkg && !folder)} data-testid="verify-run">
          {busy ? t('reports.verify.running') : t('reports.verify.run')}
        </Button>
      </Box>
      {error ? <Alert severity="error" data-testid="verify-error">{error}</Alert> : null}
      {result?.valid ? (
        // Signed by a key nobody here holds (the package's own, unknown): intact, but not proof of who sent it.
        <Alert severity={result.signer?.name || key ? 'success' : 'warning'} data-testid="verify-valid">
          <Typography sx={{ fontWeight: 600 }} data-testid={result.signer?.name || key ? 'verify-trusted' : 'verify-untrusted'}>
            {result.signer && result.signer.name
              ? t('reports.verify.valid', { name: result.signer.name, fingerprint: '' })
              : key
                ? t('reports.verify.validUnknown', { fingerprint: '' })
                : t('reports.verify.validUntrusted')}
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
