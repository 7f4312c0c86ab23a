import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Typography from '@mui/material/Typography';
import { AuthLayout } from '../components/AuthLayout.js';

export function NoTokenScreen({ rejected = false }: { rejected?: boolean }) {
  const { t } = useTranslation();
  return (
    <AuthLayout title={t('noToken.title')} testId="no-token-screen">
      {rejected ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {t('noToken.rejected')}
        </Alert>
      ) : null}
      <Typography>{t('noToken.body')}</Typography>
    </AuthLayout>
  );
}
