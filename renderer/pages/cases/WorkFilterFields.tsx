// The casework filters of the case list, for every role (collectors plan their day with them): stage,
// the last logged outcome, follow-ups and promises due by a date.
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { STAGES, stageName } from '../../casework.js';
import { useOutcomes } from '../../outcomes.js';
import { CASE_FLAGS, flagName } from '../../complaints.js';

export interface WorkFilterValues {
  stage: string;
  outcome: string;
  followUpBy: string;
  promiseBy: string;
  /** A case flag (失联, 投诉, 高风险, 已故), or '' for any. */
  flag: string;
}

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function WorkFilterFields({ value, set }: { value: WorkFilterValues; set: (patch: Partial<WorkFilterValues>) => void }) {
  const { t } = useTranslation();
  // The agency's codes, disabled ones too: the last entry of a case may still carry one.
  const outcomes = useOutcomes();
  const selectSlot = (testId: string) => ({ select: { displayEmpty: true, SelectDisplayProps: displayProps(testId) }, inputLabel: { shrink: true } });
  const dateSlot = (testId: string) => ({ htmlInput: { 'data-testid': testId }, inputLabel: { shrink: true } });
  return (
    <>
      <TextField select size="small" label={t('cases.stage')} value={value.stage} sx={{ width: 116 }} slotProps={selectSlot('cases-stage')} onChange={(e) => set({ stage: e.target.value })}>
        <MenuItem value="">{t('cases.any')}</MenuItem>
        {STAGES.map((s) => (
          <MenuItem key={s} value={s} data-testid={`cases-stage-${s}`}>
            {stageName(t, s)}
          </MenuItem>
        ))}
      </TextField>
      <TextField select size="small" label={t('cases.outcome')} value={value.outcome} sx={{ width: 136 }} slotProps={selectSlot('cases-outcome')} onChange={(e) => set({ outcome: e.target.value })}>
        <MenuItem value="">{t('cases.any')}</MenuItem>
        {outcomes.all.map((o) => (
          <MenuItem key={o.code} value={o.code} data-testid={`cases-outcome-${o.code}`} sx={{ color: o.active ? undefined : 'text.secondary' }}>
            {outcomes.name(o.code)}
          </MenuItem>
        ))}
      </TextField>
      <TextField size="small" type="date" label={t('cases.followUpBy')} value={value.followUpBy} sx={{ width: 156 }} slotProps={dateSlot('cases-follow-up-by')} onChange={(e) => set({ followUpBy: e.target.value })} />
      <TextField select size="small" label={t('flags.label')} value={value.flag} sx={{ width: 108 }} slotProps={selectSlot('cases-flag')} onChange={(e) => set({ flag: e.target.value })}>
        <MenuItem value="">{t('cases.any')}</MenuItem>
        {CASE_FLAGS.map((f) => (
          <MenuItem key={f} value={f} data-testid={`cases-flag-${f}`}>
            {flagName(t, f)}
          </MenuItem>
        ))}
      </TextField>
      <TextField size="small" type="date" label={t('cases.promiseBy')} value={value.promiseBy} sx={{ width: 156 }} slotProps={dateSlot('cases-promise-by')} onChange={(e) => set({ promiseBy: e.target.value })} />
    </>
  );
}
