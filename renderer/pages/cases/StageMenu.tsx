// Moving the case through its stages: only the moves the state machine allows this role from here
// (nextStages), a reason where the move needs one (kept in the history), a pause reason for a pause.
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Button from '@mui/material/Button';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import ArrowDropDownIcon from '@mui/icons-material/ArrowDropDown';
import { useApi, useSession } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { FormDialog, useSubmit } from '../userDialogs.js';
import { checkTransition, nextStages, PAUSE_REASONS, stageName } from '../../casework.js';
import type { Stage, PauseReason } from '../../../shared/domain/casework/stages.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

function MoveDialog({ caseId, from, to, onClose, onMoved }: { caseId: number; from: string; to: Stage; onClose: () => void; onMoved: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const { session } = useSession();
  const [reason, setReason] = useState('');
  const [pauseReason, setPauseReason] = useState<PauseReason | ''>('');
  const [touched, setTouched] = useState(false);
  // Asking the state machine without a reason tells whether this move needs one.
  const check = checkTransition(from, to, session.user.role, undefined);
  const needsReason = !check.ok && check.code === 'REASON_REQUIRED';
  const errors = { reason: needsReason && !reason.trim() ? t('casework.stage.reasonRequired') : null, pause: to === 'paused' && pauseReason === '' ? t('validation.required') : null };
  const { busy, error, run } = useSubmit(async () => {
    try {
      await api.call('cases.move', { caseId, to, ...(reason.trim() ? { reason: reason.trim() } : {}), ...(pauseReason ? { pauseReason } : {}) });
    } catch (e) {
      return describeError(t, e);
    }
    notify(t('casework.stage.moved', { to: stageName(t, to) }));
    onMoved();
    return null;
  }, onClose);

  return (
    <FormDialog
      open
      title={t('casework.stage.title', { to: stageName(t, to) })}
      testId="move-dialog"
      submitLabel={t('casework.stage.submit')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!errors.reason && !errors.pause) void run();
      }}
    >
      <Typography variant="body2" sx={{ mb: 1 }}>
        {t('casework.stage.fromTo', { from: stageName(t, from), to: stageName(t, to) })}
      </Typography>
      {to === 'paused' ? (
        <TextField
          select
          label={t('casework.stage.pauseReason')}
          value={pauseReason}
          onChange={(e) => setPauseReason(e.target.value as PauseReason)}
          disabled={busy}
          error={touched && Boolean(errors.pause)}
          helperText={(touched && errors.pause) || t('casework.stage.pauseHelp')}
          slotProps={{ select: { SelectDisplayProps: displayProps('move-pause-reason') } }}
        >
          {PAUSE_REASONS.map((p) => (
            <MenuItem key={p} value={p} data-testid={`move-pause-${p}`}>
              {t(`casework.stage.pauseReasons.${p}`)}
            </MenuItem>
          ))}
        </TextField>
      ) : null}
      <TextField
        label={needsReason ? t('casework.stage.reason') : t('casework.stage.reasonOptional')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        autoFocus
        multiline
        minRows={2}
        disabled={busy}
        error={touched && Boolean(errors.reason)}
        helperText={(touched && errors.reason) || ' '}
        slotProps={{ htmlInput: { maxLength: 500, 'data-testid': 'move-reason' } }}
      />
    </FormDialog>
  );
}

export function StageMenu({ caseId, stage, onMoved }: { caseId: number; stage: string; onMoved: () => void }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [to, setTo] = useState<Stage | null>(null);
  const choices = nextStages(stage, session.user.role);
  return (
    <>
      <Button variant="outlined" size="small" endIcon={<ArrowDropDownIcon />} disabled={choices.length === 0} onClick={(e) => setAnchor(e.currentTarget)} data-testid="stage-menu">
        {t('casework.stage.move')}
      </Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {choices.map((s) => (
          <MenuItem
            key={s}
            onClick={() => {
              setAnchor(null);
              setTo(s);
            }}
            data-testid={`stage-to-${s}`}
          >
            {stageName(t, s)}
          </MenuItem>
        ))}
      </Menu>
      {to ? <MoveDialog caseId={caseId} from={stage} to={to} onClose={() => setTo(null)} onMoved={onMoved} /> : null}
    </>
  );
}
