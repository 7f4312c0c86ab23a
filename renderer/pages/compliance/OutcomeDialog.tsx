// Add or change an outcome code: the code (new ones only), its label in both languages, the class the
// guardrails count it by (fixed for built-in codes), and whether collectors may pick it.
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { FormDialog, useSubmit } from '../userDialogs.js';
import { OUTCOME_CLASSES } from '../../../shared/domain/casework/outcomes.js';
import type { OutcomeView } from '../../outcomes.js';
import type { MethodInput } from '../../../shared/contract/registry.js';

type Input = MethodInput<'outcomes.save'>;
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;
const CODE = /^[a-z][a-z0-9_]*$/;

export function OutcomeDialog({ outcome, onClose, onSave }: { outcome: OutcomeView | null; onClose: () => void; onSave: (v: Input) => Promise<string | null> }) {
  const { t } = useTranslation();
  const [code, setCode] = useState(outcome?.code ?? '');
  const [zh, setZh] = useState(outcome?.labels['zh-CN'] ?? '');
  const [en, setEn] = useState(outcome?.labels.en ?? '');
  const [cls, setCls] = useState<Input['class']>(outcome?.class ?? 'connected');
  const [active, setActive] = useState(outcome?.active ?? true);
  const [touched, setTouched] = useState(false);
  const errors = {
    code: !code ? t('validation.required') : !CODE.test(code) || code.length > 40 ? t('compliance.outcomes.codeInvalid') : null,
    zh: zh.trim() ? null : t('validation.required'),
    en: en.trim() ? null : t('validation.required'),
  };
  const { busy, error, run } = useSubmit(() => onSave({ code, labels: { 'zh-CN': zh.trim(), en: en.trim() }, class: cls, active, create: outcome === null }), onClose);
  const err = (k: keyof typeof errors, help = ' ') => ({ error: touched && Boolean(errors[k]), helperText: (touched && errors[k]) || help });

  return (
    <FormDialog
      open
      title={outcome ? t('compliance.outcomes.editTitle', { code: outcome.code }) : t('compliance.outcomes.add')}
      testId="outcome-dialog"
      submitLabel={t('common.save')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!Object.values(errors).some(Boolean)) void run();
      }}
    >
      <TextField
        label={t('compliance.outcomes.code')}
        value={code}
        disabled={busy || outcome !== null}
        onChange={(e) => setCode(e.target.value.trim().toLowerCase())}
        {...err('code', t('compliance.outcomes.codeHelp'))}
        slotProps={{ htmlInput: { maxLength: 40, 'data-testid': 'outcome-code' } }}
      />
      <TextField label={t('compliance.outcomes.labelZh')} value={zh} disabled={busy} onChange={(e) => setZh(e.target.value)} {...err('zh')} slotProps={{ htmlInput: { maxLength: 40, 'data-testid': 'outcome-label-zh' } }} />
      <TextField label={t('compliance.outcomes.labelEn')} value={en} disabled={busy} onChange={(e) => setEn(e.target.value)} {...err('en')} slotProps={{ htmlInput: { maxLength: 40, 'data-testid': 'outcome-label-en' } }} />
      <TextField
        select
        label={t('compliance.outcomes.class')}
        value={cls}
        disabled={busy || Boolean(outcome?.builtIn)}
        onChange={(e) => setCls(e.target.value as Input['class'])}
        helperText={outcome?.builtIn ? t('compliance.outcomes.classFixed') : t(`compliance.outcomes.classHelp.${cls}`)}
        slotProps={{ select: { SelectDisplayProps: displayProps('outcome-class') } }}
      >
        {OUTCOME_CLASSES.map((c) => (
          <MenuItem key={c} value={c} data-testid={`outcome-class-${c}`}>
            {t(`compliance.outcomes.classes.${c}`)}
          </MenuItem>
        ))}
      </TextField>
      <FormControlLabel
        control={<Switch checked={active} disabled={busy} onChange={(e) => setActive(e.target.checked)} slotProps={{ input: { 'data-testid': 'outcome-active' } as object }} />}
        label={active ? t('compliance.outcomes.activeOn') : t('compliance.outcomes.activeOff')}
      />
    </FormDialog>
  );
}
