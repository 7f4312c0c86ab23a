import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import CheckCircleOutline from '@mui/icons-material/CheckCircleOutlined';
import { useSession } from '../context.js';
import { ManagerHome } from './home/ManagerHome.js';

export function HomePage() {
  const { t } = useTranslation();
  const { session, refreshStatus } = useSession();
  const { user, permissions } = session;
  useEffect(() => refreshStatus(), [refreshStatus]);
  // Managers, admins and auditors start from what waits for them; everyone else keeps the role card.
  if (permissions.includes('dashboard.read')) {
    return (
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 3 }}>
        <ManagerHome />
        <AboutCard sx={{ maxWidth: 520, flex: 'none' }} />
      </Box>
    );
  }

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 3, maxWidth: 900 }}>
      <Typography variant="h4" component="h1" data-testid="home-welcome">
        {t('home.welcome', { name: user.displayName })}
      </Typography>
      <Box sx={{ display: 'flex', gap: 3, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <Card variant="outlined" sx={{ flex: '1 1 360px' }}>
          <CardContent>
            <Typography variant="overline" component="h2" sx={{ color: 'text.secondary' }}>
              {t('home.yourRole')}
            </Typography>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
              <Chip color="primary" label={t(`roles.${user.role}`)} data-testid="home-role" />
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                {user.username}
                {user.teamName ? ` · ${user.teamName}` : ''}
              </Typography>
            </Box>
            <Typography sx={{ mb: 2 }}>{t(`roleDescriptions.${user.role}`)}</Typography>
            <Typography variant="overline" component="h2" sx={{ color: 'text.secondary' }}>
              {t('home.youCan')}
            </Typography>
            {permissions.length === 0 ? (
              <Typography data-testid="home-no-permissions">{t('home.noPermissions')}</Typography>
            ) : (
              <List dense disablePadding data-testid="home-permissions">
                {permissions.map((p) => (
                  <ListItem key={p} disableGutters>
                    <ListItemIcon sx={{ minWidth: 32 }}>
                      <CheckCircleOutline fontSize="small" color="success" />
                    </ListItemIcon>
                    <ListItemText primary={t(`permissions.${p.replaceAll('.', '_')}`, { defaultValue: p })} />
                  </ListItem>
                ))}
              </List>
            )}
          </CardContent>
        </Card>
        <AboutCard />
      </Box>
    </Box>
  );
}

/** The agency, app and schema versions (everyone's home shows them). */
function AboutCard({ sx }: { sx?: object }) {
  const { t } = useTranslation();
  const { status } = useSession();
  return (
    <Card variant="outlined" sx={{ flex: '1 1 280px', ...sx }}>
      <CardContent>
        <Typography variant="overline" component="h2" sx={{ color: 'text.secondary' }}>
          {t('home.about')}
        </Typography>
        <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 2, rowGap: 1, m: 0, '& dt': { color: 'text.secondary' }, '& dd': { m: 0 } }}>
          <dt>{t('home.agency')}</dt>
          <dd data-testid="home-agency-name">{status.agencyName ?? '—'}</dd>
          <dt>{t('home.appVersion')}</dt>
          <dd data-testid="home-app-version">{status.appVersion}</dd>
          <dt>{t('home.schemaVersion')}</dt>
          <dd data-testid="home-schema-version">{status.schemaVersion ?? '—'}</dd>
        </Box>
      </CardContent>
    </Card>
  );
}
