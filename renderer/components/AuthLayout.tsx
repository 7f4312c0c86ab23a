// The frame of the screens before login: a centered card, with the language and theme switches.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { LanguageMenu } from './LanguageMenu.js';
import { ThemeMenu } from './ThemeMenu.js';

export function AuthLayout({ title, subtitle, children, width = 440, testId }: { title: string; subtitle?: string | null | undefined; children: ReactNode; width?: number; testId: string }) {
  const { t } = useTranslation();
  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column', bgcolor: 'background.default' }}>
      <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', px: 2, py: 1 }}>
        <Typography variant="subtitle1" sx={{ fontWeight: 600, color: 'text.secondary' }}>
          {t('app.name')}
        </Typography>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <LanguageMenu color="primary" />
          <ThemeMenu color="default" />
        </Box>
      </Box>
      <Box sx={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', p: 2 }}>
        <Paper component="main" variant="outlined" data-testid={testId} sx={{ width: '100%', maxWidth: width, p: { xs: 3, sm: 4 } }}>
          {subtitle ? (
            <Typography variant="overline" component="p" sx={{ color: 'text.secondary' }} data-testid="auth-agency-name">
              {subtitle}
            </Typography>
          ) : null}
          <Typography variant="h5" component="h1" sx={{ mb: 2, fontWeight: 600 }}>
            {title}
          </Typography>
          {children}
        </Paper>
      </Box>
    </Box>
  );
}
