// What a manager does with the cases picked on the Cases page: distribute them by a rule (Assign page),
// give them to one collector, or recall them to the pool (recorded as manual moves in each case's
// history); or recall them to their lender (退案, RecallToLenderDialog).
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import AssignIcon from '@mui/icons-material/AssignmentInd';
import GiveIcon from '@mui/icons-material/PersonAddAlt';
import RecallIcon from '@mui/icons-material/Undo';
import ReturnIcon from '@mui/icons-material/AssignmentReturn';
import { useApi, useSession } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { useNav } from '../../shell/navigation.js';
import { ConfirmDialog, FormDialog, useSubmit } from '../userDialogs.js';
import { staffLabel, type Staff } from '../../assign.js';
import { RecallToLenderDialog } from './RecallToLenderDialog.js';
import { SplitDialog, type SplitCase } from './SplitDialog.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

function GiveDialog({ count, staff, onClose, onGive }: { count: number; staff: Staff[]; onClose: () => void; onGive: (collectorId: number) => Promise<string | null> }) {
  const { t } = useTranslation();
  const [to, setTo] = useState<number | ''>('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit(() => onGive(to as number), onClose);
  const present = staff.filter((s) => s.active);
  return (
    <FormDialog
      open
      title={t('caseActions.giveTitle', { count })}
      testId="give-dialog"
      submitLabel={t('caseActions.give')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (to !== '') void run();
      }}
    >
      <TextField
        select
        label={t('caseActions.collector')}
        value={to}
        onChange={(e) => setTo(Number(e.target.value))}
        disabled={busy}
        error={touched && to === ''}
        helperText={touched && to === '' ? t('validation.required') : t('caseActions.giveHelp')}
        slotProps={{ select: { SelectDisplayProps: displayProps('give-collector') } }}
      >
        {present.map((s) => (
          <MenuItem key={s.userId} value={s.userId} disabled={s.absent} data-testid={`give-collector-${s.username}`}>
            {staffLabel(s)}
            {s.teamName ? ` · ${s.teamName}` : ''} · {t('caseActions.load', { open: s.openCases, capacity: s.capacity })}
            {s.absent ? ` · ${t('staff.absent')}` : ''}
          </MenuItem>
        ))}
      </TextField>
    </FormDialog>
  );
}

export function CaseActions({ picked, staff, onChanged }: { picked: number[]; staff: Staff[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const nav = useNav();
  const notify = useNotify();
  const { session } = useSession();
  const toLender = session.permissions.includes('lenders.manage');
  const [dialog, setDialog] = useState<'give' | 'recall' | 'lender' | null>(null);
  // The backend asked first: these cases of the same borrowers would stay with someone else.
  const [split, setSplit] = useState<{ collectorId: number | null; splits: SplitCase[] } | null>(null);
  const none = picked.length === 0;
  const nameOf = (collectorId: number | null) => {
    const who = staff.find((s) => s.userId === collectorId);
    return collectorId === null ? t('workday.split.pool') : who ? staffLabel(who) : '';
  };

  /** Moves the picked cases (plus `extra`); without `confirm`, a split is answered with the question instead. */
  const move = async (collectorId: number | null, extra: number[] = [], confirm = false): Promise<string | null> => {
    try {
      const r = await api.call('assign.manual', { caseIds: [...picked, ...extra], collectorId, confirmSplit: confirm });
      if (r.splits.length > 0) {
        setSplit({ collectorId, splits: r.splits });
        return null;
      }
      notify(collectorId === null ? t('caseActions.recalled', { count: r.changed }) : t('caseActions.given', { count: r.changed, name: nameOf(collectorId) }));
    } catch (e) {
      return describeError(t, e);
    }
    onChanged();
    return null;
  };

  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 1 }} data-testid="case-actions">
      <Typography variant="body2" sx={{ color: 'text.secondary', minWidth: 90 }} data-testid="cases-picked">
        {t('caseActions.picked', { count: picked.length })}
      </Typography>
      <Button size="small" variant="outlined" startIcon={<AssignIcon />} disabled={none} onClick={() => nav.navigate('assign', { caseIds: picked })} data-testid="cases-assign-picked">
        {t('caseActions.assignPicked')}
      </Button>
      <Button size="small" variant="outlined" startIcon={<GiveIcon />} disabled={none} onClick={() => setDialog('give')} data-testid="cases-give">
        {t('caseActions.giveTo')}
      </Button>
      <Button size="small" variant="outlined" color="warning" startIcon={<RecallIcon />} disabled={none} onClick={() => setDialog('recall')} data-testid="cases-recall">
        {t('caseActions.recall')}
      </Button>
      {toLender ? (
        <Button size="small" variant="outlined" color="error" startIcon={<ReturnIcon />} disabled={none} onClick={() => setDialog('lender')} data-testid="cases-recall-lender">
          {t('recalls.toLender')}
        </Button>
      ) : null}
      {dialog === 'lender' ? <RecallToLenderDialog caseIds={picked} onClose={() => setDialog(null)} onDone={onChanged} /> : null}
      {split ? <SplitDialog splits={split.splits} toName={nameOf(split.collectorId)} onClose={() => setSplit(null)} onMove={(extra) => move(split.collectorId, extra, true)} /> : null}
      {dialog === 'give' ? <GiveDialog count={picked.length} staff={staff} onClose={() => setDialog(null)} onGive={(id) => move(id)} /> : null}
      {dialog === 'recall' ? (
        <ConfirmDialog
          title={t('caseActions.recallTitle', { count: picked.length })}
          body={t('caseActions.recallBody')}
          submitLabel={t('caseActions.recall')}
          onClose={() => setDialog(null)}
          onConfirm={() => move(null)}
        />
      ) : null}
    </Box>
  );
}
