// The guardrails an attempt breaks, each as a plain reason in the UI language with the backend's own
// sentence (which carries the numbers: "3 connected calls today; the limit is 3") as the detail.
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { ruleName, ruleReason } from '../../casework.js';

export interface ViolationView {
  rule: string;
  message: string;
  overridable: boolean;
}

export function ViolationList({ violations, testId }: { violations: ViolationView[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <Box component="ul" sx={{ m: 0, pl: 2.5 }} data-testid={testId}>
      {violations.map((v) => (
        <li key={v.rule} data-testid={`${testId}-${v.rule}`}>
          <Typography variant="body2" component="span" sx={{ fontWeight: 600 }}>
            {ruleName(t, v.rule)}
          </Typography>
          <Typography variant="body2" component="span">
            {t('casework.colon')}
            {ruleReason(t, v.rule)}
          </Typography>
          <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
            {v.message}
            {v.overridable ? '' : ` · ${t('casework.refusal.notOverridable')}`}
          </Typography>
        </li>
      ))}
    </Box>
  );
}
