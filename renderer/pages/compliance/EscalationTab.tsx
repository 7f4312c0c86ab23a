// A lender's escalation schedule (催收节奏): from which day overdue each step is due and the stage a
// case should have reached by then. The work queue and the case view read it; an empty list restores
// the default (day 1 SMS, 7 phone, 30 visit and notice, 60 legal review).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { actionName, stageName } from '../../casework.js';
import { LenderPicker } from '../../components/LenderPicker.js';
import { ESCALATION_ACTIONS, ESCALATION_BASES, ESCALATION_STAGES, type EscalationBasis, type EscalationStep } from '../../../shared/domain/casework/escalation.js';
import type { Lender } from '../../../shared/contract/placements.js';

type Row = { fromDay: string; action: EscalationStep['action']; stage: EscalationStep['stage'] };

export function EscalationTab({ lenders, canManage }: { lenders: Lender[]; canManage: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [lenderId, setLenderId] = useState<number | ''>('');
  const [rows, setRows] = useState<Row[] | null>(null);
  const [isDefault, setIsDefault] = useState(true);
  const [basis, setBasis] = useState<EscalationBasis>('days_overdue');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const show = (r: { steps: EscalationStep[]; isDefault: boolean; basis: EscalationBasis }) => {
    setRows(r.steps.map((s) => ({ ...s, fromDay: String(s.fromDay) })));
    setIsDefault(r.isDefault);
    setBasis(r.basis);
  };
  useEffect(() => {
    if (lenderId === '' && lenders[0]) setLenderId(lenders[0].id);
  }, [lenders, lenderId]);
  useEffect(() => {
    if (lenderId === '') return;
    setRows(null);
    api.call('escalation.get', { lenderId }).then(show, (e: unknown) => setError(e));
  }, [api, lenderId]);

  const days = (rows ?? []).map((r) => Number(r.fromDay));
  const dayBad = (i: number) => !(Number.isInteger(days[i]) && days[i]! >= 0 && days[i]! <= 3650 && rows![i]!.fromDay.trim() !== '') || (i > 0 && days[i]! <= days[i - 1]!);
  const invalid = !rows || rows.some((_r, i) => dayBad(i));

  const save = async (steps: EscalationStep[], message: string) => {
    if (lenderId === '') return;
    setBusy(true);
    try {
      show(await api.call('escalation.set', { lenderId, steps, basis }));
      setError(null);
      notify(message);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };
  const set = (i: number, patch: Partial<Row>) => setRows((rs) => rs && rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const ro = !canManage || busy;
  const code = lenders.find((l) => l.id === lenderId)?.code ?? '';

  return (
    <Box sx={{ maxWidth: 820 }}>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mb: 2, pt: 0.75 }}>
        <LenderPicker lenders={lenders} value={lenderId} onChange={setLenderId} testId="escalation-lender" />
        {rows ? <Chip size="small" label={isDefault ? t('compliance.escalation.isDefault') : t('compliance.escalation.custom')} color={isDefault ? 'default' : 'primary'} data-testid="escalation-kind" /> : null}
        {!canManage ? <Typography sx={{ color: 'text.secondary' }}>{t('compliance.readOnly')}</Typography> : null}
      </Box>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      {rows ? (
        <TextField select size="small" label={t('compliance.escalation.basis')} value={basis} disabled={ro} onChange={(e) => setBasis(e.target.value as EscalationBasis)} helperText={t('compliance.escalation.basisHelp')} sx={{ mb: 2.5, maxWidth: 640 }} fullWidth slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'escalation-basis' } as object } }}>
          {ESCALATION_BASES.map((b) => (
            <MenuItem key={b} value={b} data-testid={`escalation-basis-${b}`}>
              {t(`compliance.escalation.bases.${b}`)}
            </MenuItem>
          ))}
        </TextField>
      ) : null}
      {rows ? (
        <Box data-testid="escalation-steps">
          {rows.map((r, i) => (
            <Box key={i} sx={{ display: 'grid', gridTemplateColumns: '120px 1fr 1fr 48px', gap: 1.5, mb: 1.5, alignItems: 'flex-start' }} data-testid={`escalation-step-${i}`}>
              <TextField size="small" label={t('compliance.escalation.fromDay')} value={r.fromDay} disabled={ro} error={dayBad(i)} helperText={dayBad(i) ? t('compliance.escalation.orderHelp') : ' '} onChange={(e) => set(i, { fromDay: e.target.value })} slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': `escalation-day-${i}` } }} />
              <TextField select size="small" label={t('compliance.escalation.action')} value={r.action} disabled={ro} helperText=" " onChange={(e) => set(i, { action: e.target.value as Row['action'] })}>
                {ESCALATION_ACTIONS.map((a) => (
                  <MenuItem key={a} value={a}>
                    {actionName(t, a)}
                  </MenuItem>
                ))}
              </TextField>
              <TextField select size="small" label={t('compliance.escalation.stage')} value={r.stage} disabled={ro} helperText=" " onChange={(e) => set(i, { stage: e.target.value as Row['stage'] })}>
                {ESCALATION_STAGES.map((s) => (
                  <MenuItem key={s} value={s}>
                    {stageName(t, s)}
                  </MenuItem>
                ))}
              </TextField>
              {canManage ? (
                <IconButton aria-label={t('compliance.escalation.remove')} disabled={ro} onClick={() => setRows(rows.filter((_x, j) => j !== i))} data-testid={`escalation-remove-${i}`}>
                  <DeleteIcon />
                </IconButton>
              ) : null}
            </Box>
          ))}
          {canManage ? (
            <Box sx={{ display: 'flex', gap: 1.5 }}>
              <Button startIcon={<AddIcon />} disabled={ro || rows.length >= 20} onClick={() => setRows([...rows, { fromDay: String((days.at(-1) ?? 0) + 30), action: 'phone_call', stage: 'contact' }])} data-testid="escalation-add">
                {t('compliance.escalation.add')}
              </Button>
              <Box sx={{ flexGrow: 1 }} />
              <Button color="warning" disabled={ro || isDefault} onClick={() => void save([], t('compliance.escalation.restored', { code }))} data-testid="escalation-restore">
                {t('compliance.escalation.restore')}
              </Button>
              <Button variant="contained" disabled={ro || invalid || rows.length === 0} onClick={() => void save(rows.map((r) => ({ ...r, fromDay: Number(r.fromDay) })), t('compliance.escalation.saved', { code }))} data-testid="escalation-save">
                {t('common.save')}
              </Button>
            </Box>
          ) : null}
        </Box>
      ) : null}
      <Typography variant="body2" sx={{ color: 'text.secondary', mt: 2 }}>
        {t('compliance.escalation.help')}
      </Typography>
    </Box>
  );
}
