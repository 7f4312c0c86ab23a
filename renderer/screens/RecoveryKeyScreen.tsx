// Shown once after setup: the recovery key, which must be written down before continuing.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import CheckIcon from '@mui/icons-material/Check';
import { AuthLayout } from '../components/AuthLayout.js';

export function RecoveryKeyScreen({ recoveryKey, agencyName, onContinue }: { recoveryKey: string; agencyName: string; onContinue: () => void }) {
  const { t } = useTranslation();
  const [confirmed, setConfirmed] = useState(false);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copyKey() {
    try {
      await navigator.clipboard.writeText(recoveryKey);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  }

  return (
    <AuthLayout title={t('recoveryKey.title')} subtitle={agencyName} width={640} testId="recovery-key-screen">
      <Stack spacing={2}>
        <Alert severity="warning">{t('recoveryKey.once')}</Alert>
        <Box
          component="output"
          data-testid="recovery-key"
          aria-label={t('recoveryKey.title')}
          sx={{
            display: 'block',
            fontFamily: '"Noto Sans Mono", "DejaVu Sans Mono", "Cascadia Mono", Consolas, Menlo, monospace',
            fontSize: { xs: '1.1rem', sm: '1.45rem' },
            fontWeight: 600,
            letterSpacing: '0.06em',
            lineHeight: 1.7,
            wordSpacing: '0.2em',
            textAlign: 'center',
            p: 2,
            border: 2,
            borderColor: 'primary.main',
            borderRadius: 1,
            bgcolor: 'action.hover',
            userSelect: 'all',
            overflowWrap: 'anywhere',
          }}
        >
          {recoveryKey}
        </Box>
        <Box>
          <Button
            variant="outlined"
            startIcon={copy === 'copied' ? <CheckIcon /> : <ContentCopyIcon />}
            onClick={() => void copyKey()}
            data-testid="recovery-key-copy"
          >
            {copy === 'copied' ? t('recoveryKey.copied') : t('recoveryKey.copy')}
          </Button>
          {copy === 'failed' ? (
            <Typography variant="body2" color="error" sx={{ mt: 1 }}>
              {t('recoveryKey.copyFailed')}
            </Typography>
          ) : null}
        </Box>
        <Typography>{t('recoveryKey.explain1')}</Typography>
        <Typography>{t('recoveryKey.explain2')}</Typography>
        <FormControlLabel
          control={<Checkbox checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} slotProps={{ input: { 'data-testid': 'recovery-key-confirm' } as object }} />}
          label={t('recoveryKey.confirm')}
        />
        <Button variant="contained" size="large" disabled={!confirmed} onClick={onContinue} data-testid="recovery-key-continue">
          {t('common.continue')}
        </Button>
      </Stack>
    </AuthLayout>
  );
}
