// Dialogs of the users screen: add/edit a user, set a password (enable/reset), disable, team name.
import { useState, type FormEvent, type HTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { PasswordField } from '../components/PasswordField.js';
import { checkConfirm, checkDisplayName, checkName, checkPassword, checkUsername, hasErrors } from '../validation.js';
import { ROLES, type Role } from '../../shared/domain/roles.js';
import type { Team, User } from '../../shared/contract/models.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

/** A dialog whose paper is a form; `submit` returns an error message or null on success. */
export function FormDialog({
  open,
  title,
  testId,
  submitLabel,
  onClose,
  onSubmit,
  busy,
  error,
  children,
  danger = false,
}: {
  open: boolean;
  title: string;
  testId: string;
  submitLabel: string;
  onClose: () => void;
  onSubmit: (e: FormEvent) => void;
  busy: boolean;
  error: string | null;
  children: ReactNode;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onClose={() => !busy && onClose()}
      fullWidth
      maxWidth="sm"
      slotProps={{ paper: { component: 'form', onSubmit, noValidate: true, 'data-testid': testId } as object }}
    >
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={1} sx={{ pt: 1 }}>
          {children}
          {error ? (
            <Alert severity="error" data-testid={`${testId}-error`}>
              {error}
            </Alert>
          ) : null}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" variant="contained" color={danger ? 'error' : 'primary'} disabled={busy} data-testid={`${testId}-submit`}>
          {submitLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Runs `action`; on failure shows its message in the dialog, on success closes. */
export function useSubmit(action: () => Promise<string | null>, onClose: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    const err = await action();
    setBusy(false);
    if (err) setError(err);
    else onClose();
  };
  return { busy, error, run };
}

export interface UserFormValues {
  username: string;
  displayName: string;
  role: Role;
  teamId: number | null;
  password: string;
}

export function UserDialog({
  user,
  teams,
  onClose,
  onSave,
}: {
  /** null: add a new user. */
  user: User | null;
  teams: Team[];
  onClose: () => void;
  onSave: (v: UserFormValues) => Promise<string | null>;
}) {
  const { t } = useTranslation();
  const creating = user === null;
  const [username, setUsername] = useState(user?.username ?? '');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'collector');
  const [teamId, setTeamId] = useState<number | null>(user?.teamId ?? null);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit(() => onSave({ username, displayName, role, teamId, password }), onClose);

  const errors = {
    username: creating ? checkUsername(t, username) : undefined,
    displayName: checkDisplayName(t, displayName),
    password: creating ? checkPassword(t, password) : undefined,
    confirm: creating ? checkConfirm(t, password, confirm) : undefined,
  };
  const show = (k: keyof typeof errors) => (touched ? errors[k] : undefined);

  return (
    <FormDialog
      open
      title={creating ? t('users.addTitle') : t('users.editTitle', { username: user.username })}
      testId="user-dialog"
      submitLabel={creating ? t('common.create') : t('common.save')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!hasErrors(errors)) void run();
      }}
    >
      {creating ? (
        <TextField
          label={t('fields.username')}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoFocus
          autoComplete="off"
          error={Boolean(show('username'))}
          helperText={show('username') ?? ' '}
          disabled={busy}
          fullWidth
          slotProps={{ htmlInput: { 'data-testid': 'user-username', autoCapitalize: 'none' } }}
        />
      ) : null}
      <TextField
        label={t('fields.displayName')}
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        autoFocus={!creating}
        error={Boolean(show('displayName'))}
        helperText={show('displayName') ?? ' '}
        disabled={busy}
        fullWidth
        slotProps={{ htmlInput: { 'data-testid': 'user-display-name', maxLength: 80 } }}
      />
      <Stack direction="row" spacing={2}>
        <TextField
          select
          label={t('fields.role')}
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          disabled={busy}
          fullWidth
          helperText=" "
          slotProps={{ select: { SelectDisplayProps: displayProps('user-role') } }}
        >
          {ROLES.map((r) => (
            <MenuItem key={r} value={r} data-testid={`user-role-${r}`}>
              {t(`roles.${r}`)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label={t('fields.team')}
          value={teamId === null ? '' : String(teamId)}
          onChange={(e) => setTeamId(e.target.value === '' ? null : Number(e.target.value))}
          disabled={busy}
          fullWidth
          helperText=" "
          slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('user-team') }, inputLabel: { shrink: true } }}
        >
          <MenuItem value="" data-testid="user-team-none">
            <em>{t('users.noTeam')}</em>
          </MenuItem>
          {teams.map((tm) => (
            <MenuItem key={tm.id} value={String(tm.id)} data-testid={`user-team-${tm.id}`}>
              {tm.name}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      {creating ? (
        <>
          <PasswordField
            label={t('fields.password')}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={Boolean(show('password'))}
            helperText={show('password') ?? ' '}
            disabled={busy}
            slotProps={{ htmlInput: { 'data-testid': 'user-password' } }}
          />
          <PasswordField
            label={t('fields.confirmPassword')}
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            error={Boolean(show('confirm'))}
            helperText={show('confirm') ?? ' '}
            disabled={busy}
            slotProps={{ htmlInput: { 'data-testid': 'user-confirm' } }}
          />
        </>
      ) : null}
    </FormDialog>
  );
}

export function SetPasswordDialog({
  title,
  body,
  submitLabel,
  onClose,
  onSave,
}: {
  title: string;
  body: string;
  submitLabel: string;
  onClose: () => void;
  onSave: (password: string) => Promise<string | null>;
}) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit(() => onSave(password), onClose);
  const errors = { password: checkPassword(t, password), confirm: checkConfirm(t, password, confirm) };
  const show = (k: keyof typeof errors) => (touched ? errors[k] : undefined);
  return (
    <FormDialog
      open
      title={title}
      testId="password-dialog"
      submitLabel={submitLabel}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!hasErrors(errors)) void run();
      }}
    >
      <DialogContentText sx={{ mb: 1 }}>{body}</DialogContentText>
      <PasswordField
        label={t('fields.newPassword')}
        autoFocus
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={Boolean(show('password'))}
        helperText={show('password') ?? ' '}
        disabled={busy}
        slotProps={{ htmlInput: { 'data-testid': 'pw-password' } }}
      />
      <PasswordField
        label={t('fields.confirmPassword')}
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={Boolean(show('confirm'))}
        helperText={show('confirm') ?? ' '}
        disabled={busy}
        slotProps={{ htmlInput: { 'data-testid': 'pw-confirm' } }}
      />
    </FormDialog>
  );
}

export function ConfirmDialog({
  title,
  body,
  submitLabel,
  onClose,
  onConfirm,
}: {
  title: string;
  body: string;
  submitLabel: string;
  onClose: () => void;
  onConfirm: () => Promise<string | null>;
}) {
  const { busy, error, run } = useSubmit(onConfirm, onClose);
  return (
    <FormDialog
      open
      danger
      title={title}
      testId="confirm-dialog"
      submitLabel={submitLabel}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <DialogContentText>{body}</DialogContentText>
    </FormDialog>
  );
}

export function TeamDialog({ team, onClose, onSave }: { team: Team | null; onClose: () => void; onSave: (name: string) => Promise<string | null> }) {
  const { t } = useTranslation();
  const [name, setName] = useState(team?.name ?? '');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit(() => onSave(name.trim()), onClose);
  const nameError = touched ? checkName(t, name, 60) : undefined;
  return (
    <FormDialog
      open
      title={team ? t('teams.renameTitle', { name: team.name }) : t('teams.create')}
      testId="team-dialog"
      submitLabel={team ? t('common.save') : t('common.create')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!checkName(t, name, 60)) void run();
      }}
    >
      <TextField
        label={t('teams.name')}
        value={name}
        onChange={(e) => setName(e.target.value)}
        autoFocus
        error={Boolean(nameError)}
        helperText={nameError ?? ' '}
        disabled={busy}
        fullWidth
        slotProps={{ htmlInput: { 'data-testid': 'team-name', maxLength: 60 } }}
      />
    </FormDialog>
  );
}
