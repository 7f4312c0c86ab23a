// Users & teams: everyone with users.read sees them; only users.manage (admin) changes anything.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import PersonAddIcon from '@mui/icons-material/PersonAdd';
import GroupAddIcon from '@mui/icons-material/GroupAdd';
import EditIcon from '@mui/icons-material/Edit';
import LockResetIcon from '@mui/icons-material/LockReset';
import BlockIcon from '@mui/icons-material/Block';
import HowToRegIcon from '@mui/icons-material/HowToReg';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../grid/AppGrid.js';
import { identCol } from '../grid/columns.js';
import { useApi, useSession } from '../context.js';
import { useNotify } from '../components/Notifier.js';
import { describeError } from '../errors.js';
import { formatDate } from '../format.js';
import { ConfirmDialog, SetPasswordDialog, TeamDialog, UserDialog, type UserFormValues } from './userDialogs.js';
import type { Team, User } from '../../shared/contract/models.js';

type DialogState =
  | { kind: 'addUser' }
  | { kind: 'editUser'; user: User }
  | { kind: 'disable'; user: User }
  | { kind: 'enable'; user: User }
  | { kind: 'reset'; user: User }
  | { kind: 'addTeam' }
  | { kind: 'renameTeam'; team: Team }
  | null;

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const { session, updateSession } = useSession();
  const canManage = session.permissions.includes('users.manage');
  const [users, setUsers] = useState<User[] | null>(null);
  const [teams, setTeams] = useState<Team[]>([]);
  const [error, setError] = useState<{ cause: unknown } | null>(null);
  const [dialog, setDialog] = useState<DialogState>(null);

  const reload = useCallback(async () => {
    try {
      const [u, tm] = await Promise.all([api.call('users.list', { includeDisabled: true }), api.call('teams.list', {})]);
      setUsers(u.users);
      setTeams(tm.teams);
      setError(null);
    } catch (e) {
      setError({ cause: e });
    }
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload]);

  /** Runs a change; returns the error text for the dialog, or null after success (then notifies and reloads). */
  const change = useCallback(
    async (work: () => Promise<unknown>, success: string): Promise<string | null> => {
      try {
        await work();
      } catch (e) {
        // Shown in the dialog that asked for the change.
        return describeError(t, e);
      }
      notify(success);
      await reload();
      return null;
    },
    [notify, reload, t],
  );

  const saveUser = (user: User | null) => (v: UserFormValues) =>
    user === null
      ? change(
          () => api.call('users.create', { username: v.username, displayName: v.displayName, role: v.role, teamId: v.teamId, password: v.password }),
          t('users.created', { username: v.username.trim().toLowerCase() }),
        )
      : change(async () => {
          const updated = await api.call('users.update', { id: user.id, displayName: v.displayName, role: v.role, teamId: v.teamId });
          if (updated.id === session.user.id) updateSession({ ...session, user: updated });
        }, t('users.updated', { username: user.username }));

  const lang = i18n.language;
  const columns: GridColDef<User>[] = useMemo(() => {
    const cols: GridColDef<User>[] = [
      identCol({ field: 'username', headerName: t('users.col.username'), flex: 1, minWidth: 110 }),
      { field: 'displayName', headerName: t('users.col.displayName'), flex: 1, minWidth: 100 },
      { field: 'role', headerName: t('users.col.role'), width: 120, valueFormatter: (v: User['role']) => t(`roles.${v}`) },
      { field: 'teamName', headerName: t('users.col.team'), flex: 1, minWidth: 90, valueFormatter: (v: string | null) => v ?? '—' },
      {
        field: 'status',
        headerName: t('users.col.status'),
        width: 90,
        valueFormatter: (v: User['status']) => t(`users.status.${v}`),
        renderCell: (p) => (
          <Chip size="small" variant={p.row.status === 'active' ? 'filled' : 'outlined'} color={p.row.status === 'active' ? 'success' : 'default'} label={t(`users.status.${p.row.status}`)} />
        ),
      },
      { field: 'createdAt', headerName: t('users.col.created'), width: 110, valueFormatter: (v: string) => formatDate(v, lang) },
    ];
    if (canManage) {
      cols.push({
        field: 'actions',
        headerName: t('users.col.actions'),
        width: 124,
        sortable: false,
        filterable: false,
        disableColumnMenu: true,
        renderCell: (p) => {
          const u = p.row;
          const action = (label: string, icon: ReactNode, kind: 'editUser' | 'reset' | 'disable' | 'enable', testId: string) => (
            <Tooltip title={label}>
              <IconButton size="small" aria-label={`${label} ${u.username}`} data-testid={`${testId}-${u.username}`} onClick={() => setDialog({ kind, user: u })}>
                {icon}
              </IconButton>
            </Tooltip>
          );
          return (
            <Box sx={{ display: 'flex', alignItems: 'center', height: '100%' }}>
              {action(t('users.edit'), <EditIcon fontSize="small" />, 'editUser', 'user-edit')}
              {u.status === 'active' ? (
                <>
                  {action(t('users.resetPassword'), <LockResetIcon fontSize="small" />, 'reset', 'user-reset')}
                  {u.id !== session.user.id ? action(t('users.disable'), <BlockIcon fontSize="small" />, 'disable', 'user-disable') : null}
                </>
              ) : (
                action(t('users.enable'), <HowToRegIcon fontSize="small" />, 'enable', 'user-enable')
              )}
            </Box>
          );
        },
      });
    }
    return cols;
  }, [t, lang, canManage, session.user.id]);

  return (
    <Box>
      <Box sx={{ display: 'flex', gap: 3, alignItems: 'flex-start', flexWrap: 'wrap' }}>
        <Box sx={{ flex: '1 1 640px', minWidth: 0 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', mb: 2, gap: 2 }}>
            <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
              {t('users.title')}
            </Typography>
            {canManage ? (
              <Button variant="contained" startIcon={<PersonAddIcon />} onClick={() => setDialog({ kind: 'addUser' })} data-testid="users-add">
                {t('users.add')}
              </Button>
            ) : null}
          </Box>
          {!canManage ? (
            <Alert severity="info" sx={{ mb: 2 }} data-testid="users-read-only">
              {t('users.readOnly')}
            </Alert>
          ) : null}
          {error ? (
            <Alert severity="error" sx={{ mb: 2 }}>
              {describeError(t, error.cause)}
            </Alert>
          ) : null}
          <Box sx={{ height: 'calc(100vh - 220px)', minHeight: 320 }} data-testid="users-grid">
            <AppGrid gridId="users"
              rows={users ?? []}
              columns={columns}
              loading={users === null}
              disableRowSelectionOnClick
              density="compact"
              pageSizeOptions={[25, 50, 100]}
              initialState={{ pagination: { paginationModel: { pageSize: 100 } }, sorting: { sortModel: [{ field: 'username', sort: 'asc' }] } }}
              aria-label={t('users.title')}
                />
          </Box>
        </Box>
        <Paper variant="outlined" sx={{ flex: '0 1 280px', p: 2 }} data-testid="teams-panel">
          <Box sx={{ display: 'flex', alignItems: 'center', mb: 1 }}>
            <Typography variant="h6" component="h2" sx={{ flexGrow: 1 }}>
              {t('teams.title')}
            </Typography>
            {canManage ? (
              <Button size="small" startIcon={<GroupAddIcon />} onClick={() => setDialog({ kind: 'addTeam' })} data-testid="teams-create">
                {t('teams.create')}
              </Button>
            ) : null}
          </Box>
          {teams.length === 0 ? (
            <Typography sx={{ color: 'text.secondary' }}>{t('teams.empty')}</Typography>
          ) : (
            <List dense disablePadding data-testid="teams-list">
              {teams.map((tm) => (
                <ListItem
                  key={tm.id}
                  disableGutters
                  data-testid={`team-${tm.id}`}
                  secondaryAction={
                    canManage ? (
                      <Tooltip title={t('teams.rename')}>
                        <IconButton edge="end" size="small" aria-label={`${t('teams.rename')} ${tm.name}`} onClick={() => setDialog({ kind: 'renameTeam', team: tm })}>
                          <EditIcon fontSize="small" />
                        </IconButton>
                      </Tooltip>
                    ) : null
                  }
                >
                  <ListItemText primary={tm.name} secondary={t('teams.members', { count: tm.memberCount })} />
                </ListItem>
              ))}
            </List>
          )}
        </Paper>
      </Box>

      {dialog?.kind === 'addUser' ? <UserDialog user={null} teams={teams} onClose={() => setDialog(null)} onSave={saveUser(null)} /> : null}
      {dialog?.kind === 'editUser' ? <UserDialog user={dialog.user} teams={teams} onClose={() => setDialog(null)} onSave={saveUser(dialog.user)} /> : null}
      {dialog?.kind === 'disable' ? (
        <ConfirmDialog
          title={t('users.disableTitle', { username: dialog.user.username })}
          body={t('users.disableBody')}
          submitLabel={t('users.disable')}
          onClose={() => setDialog(null)}
          onConfirm={() => change(() => api.call('users.disable', { id: dialog.user.id }), t('users.disabled', { username: dialog.user.username }))}
        />
      ) : null}
      {dialog?.kind === 'enable' ? (
        <SetPasswordDialog
          title={t('users.enableTitle', { username: dialog.user.username })}
          body={t('users.enableBody', { username: dialog.user.username })}
          submitLabel={t('users.enable')}
          onClose={() => setDialog(null)}
          onSave={(password) => change(() => api.call('users.enable', { id: dialog.user.id, password }), t('users.enabled', { username: dialog.user.username }))}
        />
      ) : null}
      {dialog?.kind === 'reset' ? (
        <SetPasswordDialog
          title={t('users.resetTitle', { username: dialog.user.username })}
          body={t('users.resetBody', { username: dialog.user.username })}
          submitLabel={t('users.resetPassword')}
          onClose={() => setDialog(null)}
          onSave={(password) => change(() => api.call('users.resetPassword', { id: dialog.user.id, password }), t('users.passwordReset', { username: dialog.user.username }))}
        />
      ) : null}
      {dialog?.kind === 'addTeam' ? (
        <TeamDialog team={null} onClose={() => setDialog(null)} onSave={(name) => change(() => api.call('teams.create', { name }), t('teams.created', { name }))} />
      ) : null}
      {dialog?.kind === 'renameTeam' ? (
        <TeamDialog
          team={dialog.team}
          onClose={() => setDialog(null)}
          onSave={(name) => change(() => api.call('teams.rename', { id: dialog.team.id, name }), t('teams.renamed', { name }))}
        />
      ) : null}
    </Box>
  );
}
