import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import CheckCircle from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
import { useApi, useSession } from '../context.js';
import { SessionsPanel } from './SessionsPanel.js';
import { ServePanel } from './ServePanel.js';
import { AcceptAnchor } from './AcceptAnchor.js';
import { StoragePanel } from './StoragePanel.js';
import { KeysPanel } from './KeysPanel.js';
import { describeError } from '../errors.js';
import type { MethodOutput } from '../../shared/contract/registry.js';

function Row({ ok, label, value, testId }: { ok: boolean; label: string; value: string; testId: string }) {
  return (
    <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'flex-start', py: 1 }} data-testid={testId} data-ok={ok}>
      {ok ? <CheckCircle color="success" /> : <ErrorIcon color="error" />}
      <Box sx={{ minWidth: 0 }}>
        <Typography sx={{ fontWeight: 600 }}>{label}</Typography>
        <Typography sx={{ color: ok ? 'text.secondary' : 'error.main', overflowWrap: 'anywhere' }}>{value}</Typography>
      </Box>
    </Box>
  );
}

export function SystemCheckPage() {
  const { t } = useTranslation();
  const api = useApi();
  const [result, setResult] = useState<MethodOutput<'system.check'> | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ cause: unknown } | null>(null);
  const { session } = useSession();

  async function run() {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.call('system.check', {}));
    } catch (e) {
      setError({ cause: e });
    } finally {
      setBusy(false);
    }
  }

  const schemaOk = result ? result.schemaVersion === result.latestSchemaVersion : false;
  return (
    <Box sx={{ maxWidth: 760 }}>
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        {t('system.title')}
      </Typography>
      <Typography sx={{ color: 'text.secondary', mb: 2 }}>{t('system.intro')}</Typography>
      <Button variant="contained" onClick={() => void run()} disabled={busy} data-testid="system-check-run">
        {t('system.run')}
      </Button>
      {error ? (
        <Alert severity="error" sx={{ mt: 2 }}>
          {describeError(t, error.cause)}
        </Alert>
      ) : null}
      {result ? (
        <Card variant="outlined" sx={{ mt: 2 }} data-testid="system-check-result">
          <CardContent>
            <Row
              testId="system-check-integrity"
              ok={result.integrityOk}
              label={t('system.integrity')}
              value={result.integrityOk ? t('system.integrityOk') : `${t('system.integrityBad')}: ${result.integrity.join('; ')}`}
            />
            <Row
              testId="system-check-schema"
              ok={schemaOk}
              label={t('system.schema')}
              value={`${t('system.schemaValue', { current: result.schemaVersion, latest: result.latestSchemaVersion })} — ${schemaOk ? t('system.schemaOk') : t('system.schemaBehind')}`}
            />
            <Row
              testId="system-check-audit"
              ok={result.audit.ok}
              label={t('system.auditChain')}
              value={
                result.audit.ok || !result.audit.brokenAt
                  ? t('system.auditOk', { count: result.audit.checked })
                  : t('system.auditBroken', { seq: result.audit.brokenAt.seq, reason: result.audit.brokenAt.reason })
              }
            />
            <Row
              testId="system-check-anchor"
              ok={result.anchor.ok}
              label={t('system.anchor')}
              value={`${result.anchor.message}${result.anchor.verified ? '' : ` ${t('system.anchorUnverified')}`}`}
            />
            {!result.anchor.ok && session.permissions.includes('settings.manage') ? <AcceptAnchor onAccepted={() => void run()} /> : null}
            <Row
              testId="system-check-refs"
              ok={result.refs.ok}
              label={t('system.refs')}
              value={[
                result.refs.ok ? t('system.refsOk', { count: result.refs.checked }) : t('system.refsBad', { count: result.refs.problems.length }),
                ...result.refs.problems.slice(0, 10).map((p) => p.reason),
                ...(result.refs.olderUnmatched ? [t('system.refsOlder', { count: result.refs.olderUnmatched })] : []),
              ].join(' · ')}
            />
          </CardContent>
        </Card>
      ) : null}
      <StoragePanel />
      {session.permissions.includes('settings.manage') ? <KeysPanel /> : null}
      {session.permissions.includes('settings.manage') ? <ServePanel /> : null}
      {session.permissions.includes('users.manage') ? <SessionsPanel /> : null}
    </Box>
  );
}
