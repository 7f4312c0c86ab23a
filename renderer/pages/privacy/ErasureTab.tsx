// Retention and erasure: each lender's retention (days after return / settlement), the cases due for
// erasure with an "erase" per lender (confirmed), and the signed certificates of earlier runs.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { useNotify } from '../../components/Notifier.js';
import { formatDateTime } from '../../format.js';
import { stageName } from '../../casework.js';
import { saveBlob } from '../../download.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

type Retention = MethodOutput<'privacy.retention'>['lenders'][number];
type Due = MethodOutput<'privacy.due'>;
type Run = MethodOutput<'privacy.erasures'>['runs'][number];

function RetentionRow({ l, canManage, onSaved }: { l: Retention; canManage: boolean; onSaved: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [returned, setReturned] = useState(String(l.retention.afterReturnedDays));
  const [settled, setSettled] = useState(String(l.retention.afterSettledDays));
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    try {
      await api.call('privacy.setRetention', { lenderId: l.lenderId, retention: { afterReturnedDays: Number(returned), afterSettledDays: Number(settled) } });
      notify(t('privacy.erasure.saved'));
      setError(null);
      onSaved();
    } catch (e) {
      setError(e);
    }
  };
  const field = (v: string, set: (s: string) => void, testId: string) => (
    <TextField size="small" type="number" value={v} onChange={(e) => set(e.target.value)} disabled={!canManage} sx={{ width: 110 }} slotProps={{ htmlInput: { min: 0, max: 3650, 'data-testid': testId } }} />
  );
  return (
    <TableRow data-testid={`retention-${l.code}`}>
      <TableCell>{`${l.code} · ${l.name}`}</TableCell>
      <TableCell>{field(returned, setReturned, `retention-${l.code}-returned`)}</TableCell>
      <TableCell>{field(settled, setSettled, `retention-${l.code}-settled`)}</TableCell>
      <TableCell>
        {canManage ? (
          <Button size="small" onClick={() => void save()} data-testid={`retention-${l.code}-save`}>
            {t('privacy.erasure.save')}
          </Button>
        ) : null}
        {error ? <Typography variant="caption" sx={{ color: 'error.main', display: 'block' }}>{describeError(t, error)}</Typography> : null}
      </TableCell>
    </TableRow>
  );
}

export function ErasureTab({ canManage }: { canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [retention, setRetention] = useState<Retention[]>([]);
  const [due, setDue] = useState<Due | null>(null);
  const [runs, setRuns] = useState<Run[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [confirm, setConfirm] = useState<{ lenderId: number; code: string; count: number } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [r, d, e] = await Promise.all([api.call('privacy.retention', {}), api.call('privacy.due', { limit: 2000 }), api.call('privacy.erasures', {})]);
      setRetention(r.lenders);
      setDue(d);
      setRuns(e.runs);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  // Due cases per lender: one erase button each (a run is per lender: its certificate goes to that lender).
  const perLender = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of due?.rows ?? []) m.set(r.lenderCode, (m.get(r.lenderCode) ?? 0) + 1);
    return [...m].map(([code, count]) => ({ code, count, lenderId: retention.find((l) => l.code === code)?.lenderId ?? 0 }));
  }, [due, retention]);

  const erase = async () => {
    if (!confirm) return;
    setBusy(true);
    try {
      const r = await api.call('privacy.erase', { lenderId: confirm.lenderId });
      notify(t('privacy.erasure.done', { count: r.erased }));
      setConfirm(null);
      await load();
    } catch (e) {
      setError(e);
      setConfirm(null);
    }
    setBusy(false);
  };
  const download = async (runId: number) => {
    try {
      const z = await api.call('privacy.certificate', { runId });
      const bytes = Uint8Array.from(atob(z.zipBase64), (c) => c.charCodeAt(0));
      saveBlob(z.fileName, new Blob([bytes], { type: 'application/zip' }));
    } catch (e) {
      setError(e);
    }
  };
  const col = (k: string) => t(`privacy.erasure.col.${k}`);

  return (
    <Box>
      <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2, maxWidth: 900 }}>
        {t('privacy.erasure.help')}
      </Typography>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      <Typography variant="subtitle1" component="h2">
        {t('privacy.erasure.retention')}
      </Typography>
      <Table size="small" sx={{ mb: 3, maxWidth: 900 }}>
        <TableHead>
          <TableRow>
            <TableCell>{col('lender')}</TableCell>
            <TableCell>{t('privacy.erasure.afterReturned')}</TableCell>
            <TableCell>{t('privacy.erasure.afterSettled')}</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {retention.map((l) => (
            <RetentionRow key={`${l.lenderId}-${l.retention.afterReturnedDays}-${l.retention.afterSettledDays}`} l={l} canManage={canManage} onSaved={() => void load()} />
          ))}
        </TableBody>
      </Table>

      <Typography variant="subtitle1" component="h2">
        {t('privacy.erasure.due')}
      </Typography>
      {due && due.total === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 3 }} data-testid="erasure-none">
          {t('privacy.erasure.none')}
        </Typography>
      ) : null}
      {due && due.total > 0 ? (
        <Box sx={{ mb: 3 }}>
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', my: 1, alignItems: 'center' }}>
            <Typography variant="body2">{t('privacy.erasure.dueCount', { count: due.total })}</Typography>
            {perLender.map((p) => (
              <Button key={p.code} color="error" variant="outlined" size="small" onClick={() => setConfirm(p)} data-testid={`erase-${p.code}`}>
                {t('privacy.erasure.erase', { count: p.count, lender: p.code })}
              </Button>
            ))}
          </Box>
          <Table size="small" sx={{ maxWidth: 900 }} data-testid="erasure-due">
            <TableHead>
              <TableRow>
                {['caseNo', 'lender', 'status', 'endedOn', 'dueOn'].map((k) => (
                  <TableCell key={k}>{col(k)}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {due.rows.map((r) => (
                <TableRow key={r.id}>
                  <TableCell>{r.caseNo}</TableCell>
                  <TableCell>{r.lenderCode}</TableCell>
                  <TableCell>{stageName(t, r.status)}</TableCell>
                  <TableCell>{r.endedOn}</TableCell>
                  <TableCell>{r.dueOn}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      ) : null}

      <Typography variant="subtitle1" component="h2">
        {t('privacy.erasure.runs')}
      </Typography>
      <Table size="small" data-testid="erasure-runs">
        <TableHead>
          <TableRow>
            {['at', 'lender', 'by', 'cases', 'path', 'fingerprint'].map((k) => (
              <TableCell key={k}>{col(k)}</TableCell>
            ))}
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {runs.map((r) => (
            <TableRow key={r.id}>
              <TableCell>{formatDateTime(r.finishedAt ?? r.startedAt, i18n.language)}</TableCell>
              <TableCell>{r.lenderCode}</TableCell>
              <TableCell>{r.by}</TableCell>
              <TableCell>{r.cases}</TableCell>
              <TableCell sx={{ wordBreak: 'break-all', maxWidth: 320 }}>{r.path ?? '—'}</TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }}>{r.fingerprint ? r.fingerprint.slice(0, 16) : '—'}</TableCell>
              <TableCell>
                {r.path ? (
                  <Button size="small" onClick={() => void download(r.id)} data-testid={`certificate-${r.id}`}>
                    {t('privacy.erasure.download')}
                  </Button>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <Dialog open={confirm !== null} onClose={() => !busy && setConfirm(null)} maxWidth="xs" fullWidth>
        <DialogTitle>{t('privacy.erasure.confirmTitle')}</DialogTitle>
        <DialogContent>
          <Typography variant="body2">{confirm ? t('privacy.erasure.confirm', { count: confirm.count, lender: confirm.code }) : null}</Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirm(null)} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button color="error" variant="contained" onClick={() => void erase()} disabled={busy} data-testid="erase-confirm">
            {confirm ? t('privacy.erasure.erase', { count: confirm.count, lender: confirm.code }) : ''}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
