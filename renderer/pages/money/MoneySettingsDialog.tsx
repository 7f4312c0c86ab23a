// A lender's money settings (money.settings / money.setSettings): contract terms (penalty interest,
// late fee, caps, the order payments are applied in), waiver approval limits, and commission tiers.
// Users see and type percentages and yuan; the API takes parts per million and fen. A lender whose terms
// nobody entered says so ("terms not set": no charges accrue, or the pre-012 default for older lenders);
// its terms are sent only once someone edits or confirms them. Also where the lender wants borrowers to
// call and pay (template fields, over the agency's settings).
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import DeleteIcon from '@mui/icons-material/Delete';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { componentName, parseYuan, percentToPpm, ppmToPercent, yuanInput } from '../../money.js';
import type { Component } from '../../../shared/domain/money/allocation.js';
import type { MethodInput, MethodOutput } from '../../../shared/contract/registry.js';

type Settings = MethodOutput<'money.settings'>;
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

interface Form {
  penalty: string;
  penaltyOnInterest: boolean;
  lateFeeKind: 'none' | 'fixed' | 'percent';
  lateFee: string;
  lateFeeEvery: 'once' | 'days';
  lateFeeDays: string;
  aprCap: string;
  totalCap: string;
  order: Component[];
  maxFen: string;
  maxPct: string;
  graceDays: string;
  tiers: { fromDay: string; rate: string }[];
  termsSet: boolean;
  /** The terms shown are the contract's (ticked by editing any of them). */
  confirmTerms: boolean;
  /**
   * A term was edited here: what was typed is the contract's, whatever the switch says. Without it, ticking the
   * switch after typing (as the warning asks) turned it off again and the typed terms were silently dropped.
   */
  termsEdited: boolean;
  hotline: string;
  paymentAccount: string;
}
const TERM_KEYS: ReadonlySet<keyof Form> = new Set(['penalty', 'penaltyOnInterest', 'lateFeeKind', 'lateFee', 'lateFeeEvery', 'lateFeeDays', 'aprCap', 'totalCap', 'order'] as const);

function toForm(s: Settings): Form {
  const f = s.terms.lateFee;
  return {
    penalty: ppmToPercent(s.terms.penaltyPpmPerDay),
    penaltyOnInterest: s.terms.penaltyOnInterest,
    lateFeeKind: f === null ? 'none' : f.kind,
    lateFee: f === null ? '' : f.kind === 'fixed' ? yuanInput(f.fen) : ppmToPercent(f.ppm),
    lateFeeEvery: s.terms.lateFeeEveryDays === 'once' ? 'once' : 'days',
    lateFeeDays: s.terms.lateFeeEveryDays === 'once' ? '30' : String(s.terms.lateFeeEveryDays),
    aprCap: s.terms.aprCapPpm === null ? '' : ppmToPercent(s.terms.aprCapPpm),
    totalCap: s.terms.maxChargesFen === null ? '' : yuanInput(s.terms.maxChargesFen) || '0',
    order: [...s.terms.order],
    maxFen: yuanInput(s.approval.managerMaxWaiverFen) || '0',
    maxPct: ppmToPercent(s.approval.managerMaxWaiverPpm),
    graceDays: String(s.approval.graceDays),
    tiers: s.commission.map((x) => ({ fromDay: String(x.fromDay), rate: ppmToPercent(x.ratePpm) })),
    termsSet: s.termsSet,
    confirmTerms: false,
    termsEdited: false,
    hotline: s.contact.hotline,
    paymentAccount: s.contact.paymentAccount,
  };
}

const wholeIn = (v: string, min: number, max: number): number | null => (/^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max ? Number(v) : null);

export function MoneySettingsDialog({ lender, onClose }: { lender: { id: number; code: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [form, setForm] = useState<Form | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [touched, setTouched] = useState(false);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => (f ? { ...f, [k]: v, ...(TERM_KEYS.has(k) ? { confirmTerms: true, termsEdited: true } : {}) } : f));

  useEffect(() => {
    api.call('money.settings', { lenderId: lender.id }).then((s) => setForm(toForm(s)), (e: unknown) => setError(e));
  }, [api, lender.id]);

  if (!form) {
    return (
      <Dialog open onClose={onClose} fullWidth maxWidth="md">
        <DialogContent>{error ? <Alert severity="error">{describeError(t, error)}</Alert> : <CircularProgress size={28} sx={{ display: 'block', mx: 'auto' }} />}</DialogContent>
      </Dialog>
    );
  }

  const pct = (v: string, max: number) => {
    const p = percentToPpm(v);
    return p !== null && p <= max ? p : null;
  };
  const penalty = pct(form.penalty, 100_000);
  const lateFeeValue = form.lateFeeKind === 'fixed' ? parseYuan(form.lateFee) : form.lateFeeKind === 'percent' ? pct(form.lateFee, 10_000_000) : 0;
  const lateFeeDays = form.lateFeeEvery === 'once' ? 'once' : wholeIn(form.lateFeeDays, 1, 366);
  const aprCap = form.aprCap.trim() === '' ? 'none' : pct(form.aprCap, 10_000_000);
  const totalCap = form.totalCap.trim() === '' ? 'none' : parseYuan(form.totalCap);
  const maxFen = parseYuan(form.maxFen);
  const maxPct = pct(form.maxPct, 1_000_000);
  const grace = wholeIn(form.graceDays, 0, 60);
  const tiers = form.tiers.map((x) => ({ fromDay: wholeIn(x.fromDay, 0, 3650), ratePpm: pct(x.rate, 1_000_000) }));
  const tiersOrdered = tiers.every((x, i) => i === 0 || (x.fromDay !== null && tiers[i - 1]!.fromDay !== null && x.fromDay > tiers[i - 1]!.fromDay!));
  const bad = {
    penalty: penalty === null,
    lateFee: lateFeeValue === null,
    lateFeeDays: lateFeeDays === null,
    aprCap: aprCap === null,
    totalCap: totalCap === null,
    maxFen: maxFen === null,
    maxPct: maxPct === null,
    grace: grace === null,
    tiers: tiers.some((x) => x.fromDay === null || x.ratePpm === null) || !tiersOrdered,
  };
  const invalid = Object.values(bad).some(Boolean);
  const err = (k: keyof typeof bad, msg: string) => (touched && bad[k] ? msg : null);

  const save = async () => {
    setTouched(true);
    if (invalid) return;
    setBusy(true);
    setError(null);
    const terms: MethodInput<'money.setSettings'>['terms'] = {
        penaltyPpmPerDay: penalty!,
        penaltyOnInterest: form.penaltyOnInterest,
        lateFee: form.lateFeeKind === 'none' ? null : form.lateFeeKind === 'fixed' ? { kind: 'fixed', fen: lateFeeValue! } : { kind: 'percent', ppm: lateFeeValue! },
        lateFeeEveryDays: lateFeeDays!,
        aprCapPpm: aprCap === 'none' ? null : aprCap!,
        maxChargesFen: totalCap === 'none' ? null : totalCap!,
        order: form.order,
    };
    const input: MethodInput<'money.setSettings'> = {
      lenderId: lender.id,
      // Terms nobody entered stay "not set" unless they are edited or confirmed here.
      ...(form.termsSet || form.confirmTerms || form.termsEdited ? { terms } : {}),
      contact: { hotline: form.hotline.trim(), paymentAccount: form.paymentAccount.trim() },
      approval: { managerMaxWaiverFen: maxFen!, managerMaxWaiverPpm: maxPct!, graceDays: grace! },
      commission: tiers.map((x) => ({ fromDay: x.fromDay!, ratePpm: x.ratePpm! })),
    };
    try {
      setForm(toForm(await api.call('money.setSettings', input)));
      notify(t('money.settings.saved', { code: lender.code }));
      onClose();
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  const field = (k: 'penalty' | 'aprCap' | 'totalCap' | 'maxFen' | 'maxPct' | 'graceDays', label: string, errorKey: keyof typeof bad, msg: string, help = ' ') => (
    <TextField size="small" label={label} value={form[k]} onChange={(e) => set(k, e.target.value)} disabled={busy} error={Boolean(err(errorKey, msg))} helperText={err(errorKey, msg) ?? help} slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': `ms-${k}` } }} />
  );
  const heading = (text: string) => (
    <Typography variant="subtitle1" sx={{ fontWeight: 700, mt: 1 }}>
      {text}
    </Typography>
  );

  return (
    <Dialog open onClose={() => !busy && onClose()} fullWidth maxWidth="md" slotProps={{ paper: { 'data-testid': 'money-settings-dialog' } as object }}>
      <DialogTitle>{t('money.settings.title', { code: lender.code })}</DialogTitle>
      <DialogContent>
        {heading(t('money.settings.terms'))}
        {form.termsSet ? null : (
          <Alert severity="warning" sx={{ my: 1 }} data-testid="ms-terms-not-set">
            {t('money.terms.notSetHelp')}
            <FormControlLabel
              sx={{ display: 'flex', mt: 0.5 }}
              control={<Switch checked={form.confirmTerms || form.termsEdited} onChange={(e) => setForm({ ...form, confirmTerms: e.target.checked })} disabled={busy || form.termsEdited} slotProps={{ input: { 'data-testid': 'ms-confirmTerms' } as object }} />}
              label={t('money.terms.confirm')}
            />
          </Alert>
        )}
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 1.5, pt: 1 }}>
          {field('penalty', t('money.settings.penalty'), 'penalty', t('money.settings.invalidPercent'))}
          <FormControlLabel control={<Switch checked={form.penaltyOnInterest} onChange={(e) => set('penaltyOnInterest', e.target.checked)} disabled={busy} slotProps={{ input: { 'data-testid': 'ms-penaltyOnInterest' } as object }} />} label={t('money.settings.penaltyOnInterest')} sx={{ gridColumn: 'span 2' }} />
          <TextField select size="small" label={t('money.settings.lateFeeKind')} value={form.lateFeeKind} onChange={(e) => set('lateFeeKind', e.target.value as Form['lateFeeKind'])} disabled={busy} slotProps={{ select: { SelectDisplayProps: displayProps('ms-lateFeeKind') } }}>
            {(['none', 'fixed', 'percent'] as const).map((k) => (
              <MenuItem key={k} value={k} data-testid={`ms-lateFeeKind-${k}`}>
                {t(`money.settings.lateFeeKinds.${k}`)}
              </MenuItem>
            ))}
          </TextField>
          {form.lateFeeKind !== 'none' ? (
            <TextField size="small" label={t(form.lateFeeKind === 'fixed' ? 'money.settings.lateFeeFixed' : 'money.settings.lateFeePercent')} value={form.lateFee} onChange={(e) => set('lateFee', e.target.value)} disabled={busy} error={Boolean(err('lateFee', t(form.lateFeeKind === 'fixed' ? 'money.settings.invalidAmount' : 'money.settings.invalidPercent')))} helperText={err('lateFee', t(form.lateFeeKind === 'fixed' ? 'money.settings.invalidAmount' : 'money.settings.invalidPercent')) ?? ' '} slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'ms-lateFee' } }} />
          ) : (
            <Box />
          )}
          {form.lateFeeKind !== 'none' ? (
            <Box sx={{ display: 'flex', gap: 1 }}>
              <TextField select size="small" label={t('money.settings.lateFeeEvery')} value={form.lateFeeEvery} onChange={(e) => set('lateFeeEvery', e.target.value as Form['lateFeeEvery'])} disabled={busy} sx={{ flex: 1 }} slotProps={{ select: { SelectDisplayProps: displayProps('ms-lateFeeEvery') } }}>
                <MenuItem value="once">{t('money.settings.lateFeeOnce')}</MenuItem>
                <MenuItem value="days">{t('money.settings.lateFeeDays')}</MenuItem>
              </TextField>
              {form.lateFeeEvery === 'days' ? <TextField size="small" label={t('money.settings.lateFeeDaysLabel')} value={form.lateFeeDays} onChange={(e) => set('lateFeeDays', e.target.value)} disabled={busy} error={Boolean(err('lateFeeDays', '1–366'))} helperText={err('lateFeeDays', '1–366') ?? ' '} sx={{ width: 90 }} slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'ms-lateFeeDays' } }} /> : null}
            </Box>
          ) : (
            <Box />
          )}
          {field('aprCap', t('money.settings.aprCap'), 'aprCap', t('money.settings.invalidPercent'), t('money.settings.aprCapHelp'))}
          {field('totalCap', t('money.settings.totalCap'), 'totalCap', t('money.settings.invalidAmount'), t('money.settings.totalCapHelp'))}
        </Box>
        <Typography variant="body2" sx={{ mt: 1, mb: 0.5 }}>
          {t('money.settings.order')}
        </Typography>
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }} data-testid="ms-order">
          {form.order.map((c, i) => (
            <Box key={c} sx={{ display: 'flex', alignItems: 'center' }}>
              <Chip label={`${i + 1}. ${componentName(t, c)}`} data-testid={`ms-order-${i}`} />
              {i > 0 ? (
                <Tooltip title={t('money.settings.moveUp')}>
                  <IconButton size="small" aria-label={`${t('money.settings.moveUp')} ${componentName(t, c)}`} onClick={() => set('order', form.order.map((x, j) => (j === i - 1 ? c : j === i ? form.order[i - 1]! : x)))} disabled={busy} data-testid={`ms-order-up-${c}`}>
                    <ArrowUpwardIcon fontSize="small" sx={{ transform: 'rotate(-90deg)' }} />
                  </IconButton>
                </Tooltip>
              ) : null}
            </Box>
          ))}
        </Box>

        {heading(t('money.terms.contactTitle'))}
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 1.5, pt: 1 }}>
          <TextField size="small" label={t('money.terms.hotline')} value={form.hotline} onChange={(e) => set('hotline', e.target.value)} disabled={busy} helperText={t('money.terms.contactHelp', { agencyHotline: '{{agencyHotline}}', paymentAccount: '{{paymentAccount}}', interpolation: { escapeValue: false } })} slotProps={{ htmlInput: { maxLength: 60, 'data-testid': 'ms-hotline' } }} />
          <TextField size="small" label={t('money.terms.paymentAccount')} value={form.paymentAccount} onChange={(e) => set('paymentAccount', e.target.value)} disabled={busy} helperText=" " slotProps={{ htmlInput: { maxLength: 200, 'data-testid': 'ms-paymentAccount' } }} />
        </Box>

        {heading(t('money.settings.approval'))}
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 1.5, pt: 1 }}>
          {field('maxFen', t('money.settings.managerMaxFen'), 'maxFen', t('money.settings.invalidAmount'))}
          {field('maxPct', t('money.settings.managerMaxPct'), 'maxPct', t('money.settings.invalidPercent'))}
          {field('graceDays', t('money.settings.graceDays'), 'grace', '0–60')}
        </Box>

        {heading(t('money.settings.commission'))}
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
          {t('money.settings.commissionHelp')}
        </Typography>
        {form.tiers.map((x, i) => (
          <Box key={i} sx={{ display: 'flex', gap: 1.5, alignItems: 'flex-start', mb: 1 }} data-testid={`ms-tier-${i}`}>
            <TextField size="small" label={t('money.settings.fromDay')} value={x.fromDay} onChange={(e) => set('tiers', form.tiers.map((y, j) => (j === i ? { ...y, fromDay: e.target.value } : y)))} disabled={busy} error={touched && tiers[i]!.fromDay === null} sx={{ width: 140 }} slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': `ms-tier-${i}-day` } }} />
            <TextField size="small" label={t('money.settings.rate')} value={x.rate} onChange={(e) => set('tiers', form.tiers.map((y, j) => (j === i ? { ...y, rate: e.target.value } : y)))} disabled={busy} error={touched && tiers[i]!.ratePpm === null} sx={{ width: 140 }} slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': `ms-tier-${i}-rate` } }} />
            <Tooltip title={t('money.settings.removeTier')}>
              <IconButton aria-label={t('money.settings.removeTier')} onClick={() => set('tiers', form.tiers.filter((_y, j) => j !== i))} disabled={busy}>
                <DeleteIcon fontSize="small" />
              </IconButton>
            </Tooltip>
          </Box>
        ))}
        {touched && !tiersOrdered ? <Alert severity="error" sx={{ mb: 1 }}>{t('money.settings.tiersOrder')}</Alert> : null}
        <Button size="small" startIcon={<AddIcon />} onClick={() => set('tiers', [...form.tiers, { fromDay: '', rate: '' }])} disabled={busy || form.tiers.length >= 20} data-testid="ms-tier-add">
          {t('money.settings.addTier')}
        </Button>
        {error ? (
          <Alert severity="error" sx={{ mt: 1.5 }} data-testid="money-settings-error">
            {describeError(t, error)}
          </Alert>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy} data-testid="money-settings-cancel">
          {t('common.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void save()} disabled={busy} data-testid="money-settings-save">
          {t('common.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
