// Proposing a negotiated plan (plans.propose): the kind, the borrower's reason, proof chosen from the
// case's files, a waiver of interest / penalty / fees capped at what is owed today, and the dates — with
// a live preview of the schedule (the same installmentSchedule the backend uses), the total after the
// waiver, and who must approve (from the lender's limits, for those who may read them; otherwise the
// backend's answer is shown once proposed).
import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import MenuItem from '@mui/material/MenuItem';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi, useSession } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { localDay } from '../../casework.js';
import { parseYuan, ppmToPercent, yuan } from '../../money.js';
import { installmentSchedule, type Installment } from '../../../shared/domain/money/installments.js';
import { approverFor, PLAN_KINDS, type ApprovalLimits, type PlanKind } from '../../../shared/domain/money/plans.js';
import type { BalanceView, Plan } from '../../../shared/contract/money.js';
import type { CaseFile } from './useCaseMoney.js';

const WAIVABLE = ['interest', 'penalty', 'fees'] as const;
type Waivable = (typeof WAIVABLE)[number];
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function ProposePlanDialog({ caseId, lenderId, files, onClose, onProposed }: { caseId: number; lenderId: number; files: CaseFile[]; onClose: () => void; onProposed: (p: Plan) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const { session } = useSession();
  const today = localDay();
  const [balance, setBalance] = useState<BalanceView | null>(null);
  const [limits, setLimits] = useState<ApprovalLimits | null>(null);
  const [kind, setKind] = useState<PlanKind>('installments');
  const [reason, setReason] = useState('');
  const [proofs, setProofs] = useState<number[]>([]);
  const [waiver, setWaiver] = useState<Record<Waivable, string>>({ interest: '', penalty: '', fees: '' });
  const [dueDate, setDueDate] = useState(localDay(30));
  const [count, setCount] = useState('3');
  const [firstDate, setFirstDate] = useState(localDay(7));
  const [every, setEvery] = useState('1');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.call('money.balance', { caseId }).then(setBalance, (e: unknown) => setError(describeError(t, e)));
    // Collectors may not read the lender's settings: they learn the approver from the proposal.
    if (session.permissions.includes('lenders.read')) api.call('money.settings', { lenderId }).then((s) => setLimits(s.approval), () => setLimits(null));
  }, [api, caseId, lenderId, session.permissions, t]);

  const waiverFen = Object.fromEntries(WAIVABLE.map((k) => [k, waiver[k].trim() === '' ? 0 : parseYuan(waiver[k])])) as Record<Waivable, number | null>;
  const waiverErrors = Object.fromEntries(
    WAIVABLE.map((k) => {
      const v = waiverFen[k];
      if (v === null) return [k, t('money.propose.waiverInvalid')];
      if (balance && v > balance.owed[k]) return [k, t('money.propose.waiverTooMuch', { owed: yuan(balance.owed[k]) })];
      return [k, null];
    }),
  ) as Record<Waivable, string | null>;
  const waived = WAIVABLE.reduce((s, k) => s + (waiverFen[k] ?? 0), 0);
  const total = balance ? balance.outstanding - waived : 0;
  const n = Number(count);
  const months = Number(every);
  const errors = {
    reason: reason.trim().length < 2 ? t('money.propose.reasonHelp') : null,
    count: kind === 'installments' && !(Number.isInteger(n) && n >= 2 && n <= 60) ? t('money.propose.countInvalid') : null,
    every: kind === 'installments' && !(Number.isInteger(months) && months >= 1 && months <= 12) ? t('money.propose.everyInvalid') : null,
    date: (kind === 'installments' ? firstDate : dueDate) < today || !(kind === 'installments' ? firstDate : dueDate) ? t('money.propose.dateInvalid') : null,
    total: balance && total < 1 ? t('money.propose.nothingLeft') : null,
    waiver: kind === 'waiver' && waived === 0 ? t('money.propose.waiverRequired') : null,
  };
  const invalid = Object.values(errors).some(Boolean) || WAIVABLE.some((k) => waiverErrors[k]);

  const schedule: Installment[] | null = useMemo(() => {
    if (!balance || total < 1) return null;
    try {
      if (kind !== 'installments') return dueDate ? [{ no: 1, dueDate, amountFen: total }] : null;
      return Number.isInteger(n) && n >= 2 && n <= 60 && Number.isInteger(months) && months >= 1 && months <= 12 && firstDate ? installmentSchedule(total, n, firstDate, months) : null;
    } catch {
      return null;
    }
  }, [balance, total, kind, dueDate, n, firstDate, months]);
  const approver = balance && limits ? approverFor(waived, balance.outstanding, limits) : null;

  const submit = async () => {
    setTouched(true);
    if (invalid || !balance) return;
    setBusy(true);
    setError(null);
    try {
      const w = Object.fromEntries(WAIVABLE.filter((k) => (waiverFen[k] ?? 0) > 0).map((k) => [k, waiverFen[k]!]));
      const plan = await api.call('plans.propose', {
        caseId,
        kind,
        reason: reason.trim(),
        proofFileIds: proofs,
        waiver: w,
        ...(kind === 'installments' ? { installments: { count: n, firstDate, everyMonths: months } } : { dueDate }),
      });
      notify(t('money.propose.proposed', { id: plan.id, approver: t(`money.plans.approver.${plan.approver}`) }));
      onProposed(plan);
      onClose();
    } catch (e) {
      setError(describeError(t, e));
    }
    setBusy(false);
  };

  return (
    <Dialog open onClose={() => !busy && onClose()} fullWidth maxWidth="md" slotProps={{ paper: { 'data-testid': 'propose-dialog' } as object }}>
      <DialogTitle>{t('money.propose.title')}</DialogTitle>
      <DialogContent>
        <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1.2fr) minmax(0, 1fr)', gap: 3, pt: 1 }}>
          <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
            <TextField select label={t('money.propose.kind')} value={kind} onChange={(e) => setKind(e.target.value as PlanKind)} disabled={busy} helperText={t(`money.propose.kindHelp.${kind}`)} slotProps={{ select: { SelectDisplayProps: displayProps('propose-kind') } }}>
              {PLAN_KINDS.map((k) => (
                <MenuItem key={k} value={k} data-testid={`propose-kind-${k}`}>
                  {t(`money.plans.kinds.${k}`)}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label={t('money.propose.reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              multiline
              minRows={2}
              disabled={busy}
              error={touched && Boolean(errors.reason)}
              helperText={t('money.propose.reasonHelp')}
              slotProps={{ htmlInput: { maxLength: 1000, 'data-testid': 'propose-reason' } }}
            />
            <Box>
              <Typography variant="subtitle2">{t('money.propose.proofs')}</Typography>
              {files.length === 0 ? (
                <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                  {t('money.propose.proofsNone')}
                </Typography>
              ) : (
                <FormGroup data-testid="propose-proofs">
                  {files.map((f) => (
                    <FormControlLabel
                      key={f.id}
                      control={<Checkbox size="small" checked={proofs.includes(f.id)} onChange={(e) => setProofs((p) => (e.target.checked ? [...p, f.id] : p.filter((x) => x !== f.id)))} slotProps={{ input: { 'data-testid': `propose-proof-${f.id}` } as object }} />}
                      label={<Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>{f.note ? `${f.name} · ${f.note}` : f.name}</Typography>}
                      disabled={busy}
                    />
                  ))}
                </FormGroup>
              )}
            </Box>
            <Typography variant="subtitle2">{t('money.propose.waiverTitle')}</Typography>
            <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 1 }}>
              {WAIVABLE.map((k) => (
                <TextField
                  key={k}
                  size="small"
                  label={t(`money.componentsShort.${k}`)}
                  value={waiver[k]}
                  onChange={(e) => setWaiver((w) => ({ ...w, [k]: e.target.value }))}
                  disabled={busy || (balance !== null && balance.owed[k] === 0)}
                  error={Boolean(waiverErrors[k])}
                  helperText={waiverErrors[k] ?? (balance ? t('money.propose.waiverOf', { owed: yuan(balance.owed[k]) }) : ' ')}
                  slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': `propose-waiver-${k}` } }}
                />
              ))}
            </Box>
            {kind === 'installments' ? (
              <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1.4fr 1fr', gap: 1 }}>
                <TextField size="small" label={t('money.propose.count')} value={count} onChange={(e) => setCount(e.target.value)} disabled={busy} error={Boolean(errors.count)} helperText={errors.count ?? ' '} slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'propose-count' } }} />
                <TextField size="small" type="date" label={t('money.propose.firstDate')} value={firstDate} onChange={(e) => setFirstDate(e.target.value)} disabled={busy} error={Boolean(errors.date)} helperText={errors.date ?? ' '} slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: today, 'data-testid': 'propose-first-date' } }} />
                <TextField size="small" label={t('money.propose.everyMonths')} value={every} onChange={(e) => setEvery(e.target.value)} disabled={busy} error={Boolean(errors.every)} helperText={errors.every ?? ' '} slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'propose-every' } }} />
              </Box>
            ) : (
              <TextField size="small" type="date" label={t('money.propose.dueDate')} value={dueDate} onChange={(e) => setDueDate(e.target.value)} disabled={busy} error={Boolean(errors.date)} helperText={errors.date ?? ' '} sx={{ width: 200 }} slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: today, 'data-testid': 'propose-due-date' } }} />
            )}
          </Box>
          <Box data-testid="propose-preview">
            {balance ? (
              <>
                <Typography variant="body2">{t('money.propose.owedToday', { amount: yuan(balance.outstanding) })}</Typography>
                <Typography variant="h6" component="p" sx={{ fontWeight: 700, mb: 1 }} data-testid="propose-total">
                  {t('money.propose.afterWaiver', { amount: yuan(Math.max(total, 0)) })}
                </Typography>
              </>
            ) : null}
            <Typography variant="subtitle2">{t('money.propose.schedule')}</Typography>
            {schedule ? (
              <Table size="small" sx={{ '& td': { px: 1, py: 0.5 }, '& td:last-of-type': { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }} data-testid="propose-schedule">
                <TableBody>
                  {schedule.map((i) => (
                    <TableRow key={i.no}>
                      <TableCell>{i.no}</TableCell>
                      <TableCell>{i.dueDate}</TableCell>
                      <TableCell>{yuan(i.amountFen)}</TableCell>
                    </TableRow>
                  ))}
                  <TableRow sx={{ '& td': { fontWeight: 700, borderBottom: 0 } }}>
                    <TableCell colSpan={3} data-testid="propose-schedule-sum">
                      {t('money.propose.scheduleSum', { amount: yuan(schedule.reduce((s, i) => s + i.amountFen, 0)) })}
                    </TableCell>
                  </TableRow>
                </TableBody>
              </Table>
            ) : (
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                —
              </Typography>
            )}
            <Alert severity={approver === 'lender' ? 'warning' : 'info'} sx={{ mt: 1.5 }} data-testid="propose-approver">
              {limits && approver
                ? t(approver === 'lender' ? 'money.propose.approverLender' : 'money.propose.approverManager', { fen: yuan(limits.managerMaxWaiverFen), pct: ppmToPercent(limits.managerMaxWaiverPpm) })
                : t('money.propose.approverUnknown')}
            </Alert>
          </Box>
        </Box>
        {touched && (errors.total || errors.waiver) ? (
          <Alert severity="error" sx={{ mt: 1 }}>
            {errors.total ?? errors.waiver}
          </Alert>
        ) : null}
        {error ? (
          <Alert severity="error" sx={{ mt: 1 }} data-testid="propose-dialog-error">
            {error}
          </Alert>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy || !balance} data-testid="propose-dialog-submit">
          {t('money.propose.submit')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
