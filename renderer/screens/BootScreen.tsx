import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { AuthLayout } from '../components/AuthLayout.js';

export function BootScreen({ error, onRetry }: { error: string | null; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <AuthLayout title={t('app.name')} testId="boot-screen">
      {error ? (
        <>
          <Alert severity="error" sx={{ mb: 2 }} data-testid="boot-error">
            {t('boot.failed')} {error}
          </Alert>
          <Button variant="contained" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </>
      ) : (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
          <CircularProgress size={24} />
          <Typography>{t('boot.loading')}</Typography>
        </Box>
      )}
    </AuthLayout>
  );
}
