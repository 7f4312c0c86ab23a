import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import AccountCircle from '@mui/icons-material/AccountCircle';
import KeyIcon from '@mui/icons-material/Key';
import LogoutIcon from '@mui/icons-material/Logout';
import { useSession } from '../context.js';
import { ChangePasswordDialog } from './ChangePasswordDialog.js';

export function UserMenu() {
  const { t } = useTranslation();
  const { session, logout } = useSession();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [changing, setChanging] = useState(false);
  const { user } = session;
  return (
    <>
      <Button
        color="inherit"
        startIcon={<AccountCircle />}
        aria-label={t('shell.userMenu')}
        aria-haspopup="menu"
        data-testid="user-menu-button"
        onClick={(e) => setAnchor(e.currentTarget)}
        sx={{ textTransform: 'none', ml: 1 }}
      >
        {/* A name may be 80 characters: cut to one line, so the app bar keeps its height and its other buttons. */}
        <Box component="span" sx={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-start', lineHeight: 1.2, minWidth: 0, maxWidth: 240 }}>
          <Typography component="span" variant="body2" noWrap sx={{ fontWeight: 600, maxWidth: '100%' }} title={user.displayName} data-testid="current-user-name">
            {user.displayName}
          </Typography>
          <Typography component="span" variant="caption" sx={{ opacity: 0.85 }} data-testid="current-user-role">
            {t(`roles.${user.role}`)}
          </Typography>
        </Box>
      </Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }} transformOrigin={{ vertical: 'top', horizontal: 'right' }}>
        <MenuItem disabled sx={{ opacity: '1 !important' }}>
          <ListItemText primary={user.displayName} secondary={`${user.username} · ${t(`roles.${user.role}`)}`} />
        </MenuItem>
        <Divider />
        <MenuItem
          data-testid="menu-change-password"
          onClick={() => {
            setAnchor(null);
            setChanging(true);
          }}
        >
          <ListItemIcon>
            <KeyIcon fontSize="small" />
          </ListItemIcon>
          <ListItemText>{t('shell.changePassword')}</ListItemText>
        </MenuItem>
        <MenuItem
          data-testid="menu-logout"
          onClick={() => {
            setAnchor(null);
            logout();
          }}
        >
          <ListItemIcon>
            <LogoutIcon fontSize="small" />
          </ListItemIcon>
          <ListItemText>{t('shell.logout')}</ListItemText>
        </MenuItem>
      </Menu>
      <ChangePasswordDialog open={changing} onClose={() => setChanging(false)} />
    </>
  );
}
