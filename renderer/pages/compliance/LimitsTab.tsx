// A lender's guardrail limits (its settings over the defaults): quiet hours in the borrower's zone, the
// daily call caps, and how many failed attempts open the contact persons. Managers change them; the
// change is audited with before and after.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { LenderPicker } from '../../components/LenderPicker.js';
import type { Lender } from '../../../shared/contract/placements.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

type Limits = MethodOutput<'compliance.limits'>;
type Form = Record<keyof Limits, string>;
const COUNTS = ['maxConnectedCallsPerDay', 'maxUnansweredPerNumberPerDay', 'failedAttemptsBeforeContacts'] as const;
const ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['Asia/Shanghai'];
  }
})();

const toForm = (l: Limits): Form => ({ ...l, maxConnectedCallsPerDay: String(l.maxConnectedCallsPerDay), maxUnansweredPerNumberPerDay: String(l.maxUnansweredPerNumberPerDay), failedAttemptsBeforeContacts: String(l.failedAttemptsBeforeContacts) });

export function LimitsTab({ lenders, canManage }: { lenders: Lender[]; canManage: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [lenderId, setLenderId] = useState<number | ''>('');
  const [form, setForm] = useState<Form | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const lender = lenders.find((l) => l.id === lenderId);

  useEffect(() => {
    if (lenderId === '' && lenders[0]) setLenderId(lenders[0].id);
  }, [lenders, lenderId]);
  useEffect(() => {
    if (lenderId === '') return;
    setForm(null);
    api.call('compliance.limits', { lenderId }).then(
      (l) => setForm(toForm(l)),
      (e: unknown) => setError(e),
    );
  }, [api, lenderId]);

  const bad = (k: (typeof COUNTS)[number]) => {
    const n = Number(form?.[k]);
    const min = k === 'failedAttemptsBeforeContacts' ? 1 : 0;
    return !(Number.isInteger(n) && n >= min && n <= 50 && form?.[k].trim() !== '');
  };
  const invalid = !form || COUNTS.some(bad) || !/^\d\d:\d\d$/.test(form.quietFrom) || !/^\d\d:\d\d$/.test(form.quietUntil) || !ZONES.includes(form.timeZone);

  const save = async () => {
    if (!form || invalid || lenderId === '') return;
    setBusy(true);
    try {
      const limits = { quietFrom: form.quietFrom, quietUntil: form.quietUntil, timeZone: form.timeZone, maxConnectedCallsPerDay: Number(form.maxConnectedCallsPerDay), maxUnansweredPerNumberPerDay: Number(form.maxUnansweredPerNumberPerDay), failedAttemptsBeforeContacts: Number(form.failedAttemptsBeforeContacts) };
      setForm(toForm(await api.call('compliance.setLimits', { lenderId, limits })));
      setError(null);
      notify(t('compliance.limits.saved', { code: lender?.code ?? '' }));
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  const set = (patch: Partial<Form>) => setForm((f) => (f ? { ...f, ...patch } : f));
  const ro = !canManage || busy;
  return (
    <Box sx={{ maxWidth: 760 }}>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mb: 2, pt: 0.75 }}>
        <LenderPicker lenders={lenders} value={lenderId} onChange={setLenderId} testId="limits-lender" />
        {!canManage ? <Typography sx={{ color: 'text.secondary' }}>{t('compliance.readOnly')}</Typography> : null}
      </Box>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      {form ? (
        <Box component="form" noValidate onSubmit={(e) => (e.preventDefault(), void save())} sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 2 }} data-testid="limits-form">
          <TextField type="time" label={t('compliance.limits.quietFrom')} value={form.quietFrom} disabled={ro} onChange={(e) => set({ quietFrom: e.target.value })} slotProps={{ htmlInput: { 'data-testid': 'limits-quiet-from' }, inputLabel: { shrink: true } }} />
          <TextField type="time" label={t('compliance.limits.quietUntil')} value={form.quietUntil} disabled={ro} onChange={(e) => set({ quietUntil: e.target.value })} slotProps={{ htmlInput: { 'data-testid': 'limits-quiet-until' }, inputLabel: { shrink: true } }} />
          <Autocomplete
            options={ZONES}
            value={form.timeZone}
            disabled={ro}
            disableClearable
            onChange={(_e, v) => set({ timeZone: v })}
            renderInput={(params) => <TextField {...params} label={t('compliance.limits.timeZone')} slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'limits-zone' } }} />}
          />
          {COUNTS.map((k) => (
            <TextField
              key={k}
              label={t(`compliance.limits.${k}`)}
              value={form[k]}
              disabled={ro}
              onChange={(e) => set({ [k]: e.target.value })}
              error={bad(k)}
              helperText={bad(k) ? t('compliance.limits.countInvalid', { min: k === 'failedAttemptsBeforeContacts' ? 1 : 0 }) : t(`compliance.limits.${k}Help`)}
              slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': `limits-${k}` } }}
            />
          ))}
          {canManage ? (
            <Box sx={{ gridColumn: '1 / -1' }}>
              <Button type="submit" variant="contained" disabled={busy || invalid} data-testid="limits-save">
                {t('common.save')}
              </Button>
            </Box>
          ) : null}
        </Box>
      ) : null}
      <Typography variant="body2" sx={{ color: 'text.secondary', mt: 2 }}>
        {t('compliance.limits.help')}
      </Typography>
    </Box>
  );
}
