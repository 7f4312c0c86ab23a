// What the backend refused (COMPLIANCE) and the way forward: a manager grants an override for the rule
// and the same attempt is retried with it; a collector asks a manager and retries with the override's
// number. A refusal or a pause is never overridden, and one override covers one rule.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { ruleName } from '../../casework.js';
import { ViolationList, type ViolationView } from './ViolationList.js';

export function RefusalPanel({
  violations,
  canOverride,
  busy,
  onGrant,
  onRetry,
}: {
  violations: ViolationView[];
  /** The user may grant overrides (managers). */
  canOverride: boolean;
  busy: boolean;
  onGrant: (rule: string) => void;
  onRetry: (overrideId: number) => void;
}) {
  const { t } = useTranslation();
  const [number, setNumber] = useState('');
  const overridable = violations.filter((v) => v.overridable);
  // An override lets one rule through: it helps only when every broken rule but one is passable.
  const fixable = overridable.length === 1 && violations.length === 1;
  const rules = violations.map((v) => ruleName(t, v.rule)).join(t('errors.listSeparator'));
  const id = Number(number);

  return (
    <Alert severity="error" data-testid="log-refusal">
      <AlertTitle>{t('casework.refusal.title', { rules })}</AlertTitle>
      <ViolationList violations={violations} testId="refusal-rules" />
      {fixable && canOverride ? (
        <Button sx={{ mt: 1 }} variant="outlined" color="error" size="small" disabled={busy} onClick={() => onGrant(overridable[0]!.rule)} data-testid="refusal-grant">
          {t('casework.refusal.grant')}
        </Button>
      ) : null}
      {fixable && !canOverride ? (
        <Box sx={{ mt: 1 }}>
          <Typography variant="body2" data-testid="refusal-ask">
            {t('casework.refusal.askManager', { rule: ruleName(t, overridable[0]!.rule) })}
          </Typography>
          <Box sx={{ display: 'flex', gap: 1, mt: 1, alignItems: 'center' }}>
            <TextField
              size="small"
              label={t('casework.refusal.overrideNo')}
              value={number}
              onChange={(e) => setNumber(e.target.value.replace(/\D/g, ''))}
              sx={{ width: 140, bgcolor: 'background.paper' }}
              slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 12, 'data-testid': 'refusal-override-no' } }}
            />
            <Button variant="outlined" color="error" size="small" disabled={busy || !(id > 0)} onClick={() => onRetry(id)} data-testid="refusal-retry">
              {t('casework.refusal.retry')}
            </Button>
          </Box>
        </Box>
      ) : null}
      {!fixable && overridable.length > 0 ? (
        <Typography variant="body2" sx={{ mt: 1 }}>
          {t('casework.refusal.oneRule')}
        </Typography>
      ) : null}
    </Alert>
  );
}
