// A case's flags and complaints in the work view: the flag chips for the drawer's header, and a section
// with the complaints (record; managers answer and close) and the hand-set flags (失联, 高风险, 已故).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Typography from '@mui/material/Typography';
import { useApi, useSession } from '../../context.js';
import { formatDateTime } from '../../format.js';
import { AUTOMATIC_FLAGS, CASE_FLAGS, FLAG_COLOR, channelName, flagName, fromName, statusName } from '../../complaints.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';
import type { CaseFlag } from '../../../shared/domain/casework/complaints.js';
import type { Complaint } from '../../../shared/contract/complaints.js';
import { ComplaintStepDialog, RecordComplaintDialog, type Person } from './ComplaintDialogs.js';

export type CaseState = MethodOutput<'complaints.caseState'>;

export function useCaseComplaints(caseId: number | null) {
  const api = useApi();
  const [state, setState] = useState<CaseState | null>(null);
  const reload = useCallback(async () => {
    if (caseId === null) return setState(null);
    try {
      setState(await api.call('complaints.caseState', { caseId }));
    } catch {
      setState(null);
    }
  }, [api, caseId]);
  useEffect(() => void reload(), [reload]);
  return { state, reload };
}

export function CaseFlagChips({ flags }: { flags: readonly CaseFlag[] }) {
  const { t } = useTranslation();
  return (
    <>
      {flags.map((f) => (
        <Chip key={f} size="small" color={FLAG_COLOR[f]} variant={f === 'lost_contact' ? 'outlined' : 'filled'} label={flagName(t, f)} data-testid={`case-flag-${f}`} />
      ))}
    </>
  );
}

export function CaseComplaints({ caseId, caseNo, state, people, onChanged }: { caseId: number; caseNo: string; state: CaseState | null; people: Person[]; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const canWork = session.permissions.includes('cases.work');
  const canClear = session.permissions.includes('compliance.override');
  const [recording, setRecording] = useState(false);
  const [step, setStep] = useState<{ complaint: Complaint; mode: 'answer' | 'close' } | null>(null);
  const [menu, setMenu] = useState<HTMLElement | null>(null);
  if (!state) return null;
  const set = new Set(state.flags.map((f) => f.flag));
  const holding = state.complaints.some((k) => k.status !== 'closed');
  const toggle = async (flag: CaseFlag, on: boolean) => {
    setMenu(null);
    await api.call('cases.setFlag', { caseId, flag: flag as Exclude<CaseFlag, 'complaint'>, on });
    onChanged();
  };
  return (
    <Box data-testid="case-complaints">
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, alignItems: 'center', mb: 1 }}>
        {state.flags.map((f) => (
          <Chip
            key={f.flag}
            size="small"
            color={FLAG_COLOR[f.flag]}
            label={flagName(t, f.flag)}
            title={`${f.setBy} · ${formatDateTime(f.setAt, i18n.language)}${f.note ? ` · ${f.note}` : ''}`}
            {...(canWork && !AUTOMATIC_FLAGS.includes(f.flag) ? { onDelete: () => void toggle(f.flag, false) } : {})}
          />
        ))}
        {canWork ? (
          <Button size="small" onClick={(e) => setMenu(e.currentTarget)} data-testid="case-flag-add">
            {t('flags.set')}
          </Button>
        ) : null}
        <Menu anchorEl={menu} open={menu !== null} onClose={() => setMenu(null)}>
          {CASE_FLAGS.filter((f) => !AUTOMATIC_FLAGS.includes(f) && !set.has(f)).map((f) => (
            <MenuItem key={f} onClick={() => void toggle(f, true)} data-testid={`case-flag-set-${f}`}>
              {flagName(t, f)}
            </MenuItem>
          ))}
        </Menu>
      </Box>
      {holding ? (
        <Alert severity="error" sx={{ mb: 1, py: 0 }} data-testid="complaint-held">
          {t('complaints.held')}
        </Alert>
      ) : null}
      {state.complaints.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
          {t('complaints.none')}
        </Typography>
      ) : (
        state.complaints.map((k) => (
          <Box key={k.id} sx={{ borderLeft: 3, borderColor: k.overdue ? 'error.main' : k.status === 'closed' ? 'divider' : 'warning.main', pl: 1, mb: 1 }} data-testid={`case-complaint-${k.id}`}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              #{k.id} · {statusName(t, k.status)} · {channelName(t, k.channel)} · {fromName(t, k)}
            </Typography>
            <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
              {k.what}
            </Typography>
            <Typography variant="caption" component="div" sx={{ color: k.overdue ? 'error.main' : 'text.secondary' }}>
              {k.overdue ? `${t('complaints.overdue')} · ` : ''}
              {t('complaints.dueIn', { date: formatDateTime(k.dueAt, i18n.language).slice(0, -3) })}
              {k.against ? ` · ${t('complaints.col.against')} ${k.against}` : ''}
            </Typography>
            {k.answer ? (
              <Typography variant="caption" component="div">
                {k.answeredBy}: {k.answer}
              </Typography>
            ) : null}
            {canClear && k.status !== 'closed' ? (
              <Button size="small" onClick={() => setStep({ complaint: k, mode: k.status === 'open' ? 'answer' : 'close' })} data-testid={`case-complaint-${k.status === 'open' ? 'answer' : 'close'}-${k.id}`}>
                {t(k.status === 'open' ? 'complaints.answer' : 'complaints.close')}
              </Button>
            ) : null}
          </Box>
        ))
      )}
      {canWork ? (
        <Button size="small" variant="outlined" color="error" onClick={() => setRecording(true)} data-testid="complaint-record">
          {t('complaints.record')}
        </Button>
      ) : null}
      {recording ? <RecordComplaintDialog caseId={caseId} caseNo={caseNo} people={people} onClose={() => setRecording(false)} onDone={onChanged} /> : null}
      {step ? <ComplaintStepDialog complaint={step.complaint} mode={step.mode} onClose={() => setStep(null)} onDone={onChanged} /> : null}
    </Box>
  );
}
