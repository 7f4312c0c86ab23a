// A manager's recorded exception (compliance.override): one rule, one case, one attempt, with a reason
// and an expiry. Opened from a refusal (the rule is known) or from the work view's toolbar.
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { FormDialog, useSubmit } from '../userDialogs.js';
import { OVERRIDABLE, ruleName } from '../../casework.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

export type Granted = MethodOutput<'compliance.override'>;
type Rule = (typeof OVERRIDABLE)[number];
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function OverrideDialog({ caseId, rule: fixedRule, onClose, onGranted }: { caseId: number; rule?: string; onClose: () => void; onGranted: (g: Granted) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [rule, setRule] = useState<Rule | ''>((OVERRIDABLE as readonly string[]).includes(fixedRule ?? '') ? (fixedRule as Rule) : '');
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [touched, setTouched] = useState(false);
  const mins = Number(minutes);
  const errors = {
    rule: rule === '' ? t('validation.required') : null,
    reason: reason.trim().length < 4 ? t('casework.override.reasonHelp') : null,
    minutes: Number.isInteger(mins) && mins >= 5 && mins <= 1440 ? null : t('casework.override.minutesHelp'),
  };
  const { busy, error, run } = useSubmit(async () => {
    try {
      onGranted(await api.call('compliance.override', { caseId, rule: rule as Rule, reason: reason.trim(), validMinutes: mins }));
      return null;
    } catch (e) {
      return describeError(t, e);
    }
  }, onClose);

  return (
    <FormDialog
      open
      title={t('casework.override.title')}
      testId="override-dialog"
      submitLabel={t('casework.override.submit')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!errors.rule && !errors.reason && !errors.minutes) void run();
      }}
    >
      <TextField
        select
        label={t('casework.override.rule')}
        value={rule}
        onChange={(e) => setRule(e.target.value as Rule)}
        disabled={busy || fixedRule !== undefined}
        error={touched && Boolean(errors.rule)}
        helperText={(touched && errors.rule) || t('casework.override.ruleHelp')}
        slotProps={{ select: { SelectDisplayProps: displayProps('override-rule') } }}
      >
        {OVERRIDABLE.map((r) => (
          <MenuItem key={r} value={r} data-testid={`override-rule-${r}`}>
            {ruleName(t, r)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        label={t('casework.override.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        autoFocus
        multiline
        minRows={2}
        disabled={busy}
        error={touched && Boolean(errors.reason)}
        helperText={(touched && errors.reason) || ' '}
        slotProps={{ htmlInput: { maxLength: 500, 'data-testid': 'override-reason' } }}
      />
      <TextField
        label={t('casework.override.minutes')}
        value={minutes}
        onChange={(e) => setMinutes(e.target.value)}
        disabled={busy}
        error={touched && Boolean(errors.minutes)}
        helperText={(touched && errors.minutes) || t('casework.override.minutesHelp')}
        sx={{ width: 240 }}
        slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'override-minutes' } }}
      />
    </FormDialog>
  );
}
