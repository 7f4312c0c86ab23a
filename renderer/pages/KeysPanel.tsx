// The master key on the System page (admins): its generation, whether a change is due, the key slots, changing it
// (keys.rekey starts a background job whose progress is shown here; a new recovery key is shown once) and revealing it to IT (password asked again, shown once).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '../context.js';
import { describeError } from '../errors.js';
import type { MethodOutput } from '../../shared/contract/registry.js';

export const KEYS_CHANGED = 'agencydesk:keys-changed';

type RekeyReason = NonNullable<MethodOutput<'keys.status'>['rekeyDue']>['reasons'][number];
/** Why the key should change, in the reader's language: "已停用用户 zhang；管理员重置了 li 的密码". */
export function rekeyReasons(t: (k: string, o?: Record<string, unknown>) => string, reasons: RekeyReason[]): string {
  const role = (r: string | undefined) => (r ? t(`roles.${r}`) : '');
  return reasons.map((r) => t(`keys.reason.${r.why}`, { user: r.username, from: role(r.from), to: role(r.to) })).join(t('keys.reasonSeparator'));
}

type Status = MethodOutput<'keys.status'>;
type RekeyJob = MethodOutput<'keys.rekeyStatus'>;
type RekeyResult = NonNullable<RekeyJob['result']>;

export function KeysPanel() {
  const { t } = useTranslation();
  const api = useApi();
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirm, setConfirm] = useState(false);
  const [newRecovery, setNewRecovery] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<RekeyResult | null>(null);
  // A running change: started here, or found running by keys.status (after a reload, or by another admin).
  const [job, setJob] = useState<RekeyJob | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [revealOpen, setRevealOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [pragma, setPragma] = useState<string | null>(null);

  const load = useCallback(() => {
    api.call('keys.status', {}).then((s) => {
      setStatus(s);
      if (s.rekeyJob) setJobId(s.rekeyJob.jobId);
    }, setError);
  }, [api]);
  useEffect(load, [load]);

  // The change runs in the background (core/rekey-job.ts): its progress is polled until it ends.
  useEffect(() => {
    if (!jobId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () =>
      api.call('keys.rekeyStatus', { jobId }).then(
        (j) => {
          if (!live) return;
          setJob(j);
          if (j.state === 'running') {
            timer = setTimeout(() => void poll(), 500);
            return;
          }
          setJobId(null);
          setJob(null);
          if (j.state === 'done') setDone(j.result);
          else setError(j.error);
          load();
          // The banner (shell/RekeyBanner.tsx) asks again.
          window.dispatchEvent(new Event(KEYS_CHANGED));
        },
        (e: unknown) => {
          if (!live) return;
          setError(e);
          setJobId(null);
        },
      );
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, jobId, load]);

  async function rekey() {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setJobId((await api.call('keys.rekey', { newRecoveryKey: newRecovery })).jobId);
      setConfirm(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function reveal() {
    setBusy(true);
    setError(null);
    try {
      setPragma((await api.call('keys.revealMasterKey', { password })).pragma);
    } catch (e) {
      setError(e);
    } finally {
      setPassword('');
      setBusy(false);
    }
  }

  function closeReveal() {
    // Shown once: closing forgets it.
    setPragma(null);
    setPassword('');
    setRevealOpen(false);
  }

  return (
    <Card variant="outlined" sx={{ mt: 3 }} data-testid="keys-panel" id="keys-panel">
      <CardContent>
        <Typography variant="h6" component="h2">
          {t('keys.title')}
        </Typography>
        <Typography sx={{ color: 'text.secondary', mb: 1 }}>{t('keys.intro')}</Typography>
        {status ? (
          <>
            <Typography data-testid="keys-generation">
              {t('keys.generation', { generation: status.generation })} — {status.lastRekeyAt ? t('keys.lastRekey', { at: status.lastRekeyAt.slice(0, 16).replace('T', ' ') }) : t('keys.neverChanged')}
            </Typography>
            {status.rekeyDue ? (
              <Alert severity="error" sx={{ my: 1 }} data-testid="keys-due">
                {t('keys.due', { reasons: rekeyReasons(t, status.rekeyDue.reasons) })}
              </Alert>
            ) : null}
            <Typography sx={{ fontWeight: 600, mt: 1 }}>{t('keys.slots')}</Typography>
            <Box component="ul" sx={{ mt: 0 }}>
              {status.slots.map((s, i) => (
                <li key={i}>
                  {s.kind === 'recovery' ? t('keys.slotRecovery') : s.username}
                  {s.signing ? ` — ${t('keys.slotSigning')}` : ''}
                  {s.format < 2 ? ` — ${t('keys.slotOld')}` : ''}
                </li>
              ))}
            </Box>
            <Typography sx={{ color: 'text.secondary' }}>{status.signingLockHeld ? t('keys.lockHeld') : t('keys.lockNotHeld')}</Typography>
          </>
        ) : null}
        {job ? (
          <Alert severity="info" sx={{ my: 1 }} data-testid="keys-progress">
            {t(`keys.phase.${job.phase}`, { percent: Math.floor(job.percent), copied: Math.round(job.copiedBytes / 2 ** 20), total: Math.round(job.totalBytes / 2 ** 20) })}
            <LinearProgress variant="determinate" value={Math.min(100, job.percent)} sx={{ mt: 1 }} />
            <Typography variant="body2" sx={{ mt: 0.5, color: 'text.secondary' }}>
              {t('keys.progressHelp')}
            </Typography>
          </Alert>
        ) : null}
        {done ? (
          <Alert severity="success" sx={{ my: 1 }} data-testid="keys-done">
            {t('keys.rekeyDone', { generation: done.generation, seconds: done.seconds.toFixed(1) })}
            {done.dropped.map((d) => (
              <div key={d.username}>{t('keys.dropped', d)}</div>
            ))}
            {done.recoveryKey ? (
              <Box sx={{ mt: 1 }}>
                {t('keys.newRecoveryKey')}
                <Typography sx={{ fontFamily: 'monospace', fontSize: 18, mt: 0.5 }} data-testid="keys-new-recovery">
                  {done.recoveryKey}
                </Typography>
              </Box>
            ) : null}
          </Alert>
        ) : null}
        {error ? (
          <Alert severity="error" sx={{ my: 1 }}>
            {describeError(t, error)}
          </Alert>
        ) : null}
        <Box sx={{ display: 'flex', gap: 1, mt: 2, flexWrap: 'wrap' }}>
          <Button variant="contained" color={status?.rekeyDue ? 'error' : 'primary'} onClick={() => setConfirm(true)} disabled={jobId !== null} data-testid="keys-rekey">
            {t('keys.rekey')}
          </Button>
          <Button variant="outlined" onClick={() => setRevealOpen(true)} data-testid="keys-reveal">
            {t('keys.reveal')}
          </Button>
        </Box>
      </CardContent>
      <Dialog open={confirm} onClose={() => !busy && setConfirm(false)}>
        <DialogTitle>{t('keys.rekeyConfirmTitle')}</DialogTitle>
        <DialogContent>
          <Typography>{t('keys.rekeyConfirm')}</Typography>
          <FormControlLabel control={<Checkbox checked={newRecovery} onChange={(e) => setNewRecovery(e.target.checked)} />} label={t('keys.newRecovery')} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirm(false)} disabled={busy}>
            {t('keys.cancel')}
          </Button>
          <Button variant="contained" onClick={() => void rekey()} disabled={busy} data-testid="keys-rekey-run">
            {t('keys.rekeyRun')}
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog open={revealOpen} onClose={closeReveal} maxWidth="md">
        <DialogTitle>{t('keys.revealTitle')}</DialogTitle>
        <DialogContent>
          <Alert severity="warning" sx={{ mb: 2 }}>
            {t('keys.revealWarning')}
          </Alert>
          {pragma ? (
            <>
              <Typography>{t('keys.revealHelp')}</Typography>
              <Typography sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere', my: 1 }} data-testid="keys-pragma">
                {pragma}
              </Typography>
              <Button size="small" onClick={() => void navigator.clipboard?.writeText(pragma)}>
                {t('keys.copy')}
              </Button>
            </>
          ) : (
            <TextField type="password" label={t('keys.password')} value={password} onChange={(e) => setPassword(e.target.value)} fullWidth autoComplete="current-password" slotProps={{ htmlInput: { 'data-testid': 'keys-reveal-password' } }} />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={closeReveal}>{pragma ? t('keys.close') : t('keys.cancel')}</Button>
          {pragma ? null : (
            <Button variant="contained" onClick={() => void reveal()} disabled={busy || !password} data-testid="keys-reveal-run">
              {t('keys.revealRun')}
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </Card>
  );
}
