// How to distribute and to whom: the rule (with what it does), the pool (teams, collectors, a skill)
// and whether a borrower's cases stay together. Shared by the Assign tab and the automatic-rule dialog.
import { type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import FormControlLabel from '@mui/material/FormControlLabel';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { ASSIGN_RULES, staffLabel, type Staff } from '../../assign.js';
import type { AssignRule } from '../../../shared/domain/assignment/plan.js';
import type { Team } from '../../../shared/contract/models.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export interface PoolValues {
  rule: AssignRule;
  teamIds: number[];
  collectorIds: number[];
  skill: string;
  keepBorrower: boolean;
}

export const DEFAULT_POOL: PoolValues = { rule: 'balanced', teamIds: [], collectorIds: [], skill: '', keepBorrower: true };

/** The rule and pool as the API takes them. */
export function toPool(v: PoolValues) {
  return { teamIds: v.teamIds, collectorIds: v.collectorIds, ...(v.skill.trim() ? { skill: v.skill.trim() } : {}) };
}

export function PoolFields({
  value,
  onChange,
  teams,
  staff,
  dense = false,
  testIdPrefix = 'assign',
}: {
  value: PoolValues;
  onChange: (v: PoolValues) => void;
  teams: Team[];
  staff: Staff[];
  /** One column (in a dialog). */
  dense?: boolean;
  /** The Assign tab stays mounted under the rule dialog: their fields need different test ids. */
  testIdPrefix?: string;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<PoolValues>) => onChange({ ...value, ...patch });
  const active = staff.filter((s) => s.active);
  const skills = [...new Set(staff.flatMap((s) => s.skills))].sort();
  const width = dense ? '100%' : 260;

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      <TextField
        select
        size="small"
        label={t('assign.rule')}
        value={value.rule}
        onChange={(e) => set({ rule: e.target.value as AssignRule })}
        helperText={t(`assign.rules.${value.rule}.help`)}
        sx={{ maxWidth: dense ? undefined : 560 }}
        slotProps={{ select: { SelectDisplayProps: displayProps(`${testIdPrefix}-rule`), renderValue: (v) => t(`assign.rules.${v as AssignRule}.name`) } }}
      >
        {ASSIGN_RULES.map((r) => (
          <MenuItem key={r} value={r} data-testid={`${testIdPrefix}-rule-${r}`} sx={{ whiteSpace: 'normal', maxWidth: 560 }}>
            <ListItemText primary={t(`assign.rules.${r}.name`)} secondary={t(`assign.rules.${r}.help`)} />
          </MenuItem>
        ))}
      </TextField>
      <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', flexDirection: dense ? 'column' : 'row' }}>
        <Autocomplete
          multiple
          size="small"
          options={teams}
          getOptionLabel={(o) => o.name}
          isOptionEqualToValue={(a, b) => a.id === b.id}
          value={teams.filter((tm) => value.teamIds.includes(tm.id))}
          onChange={(_e, v) => set({ teamIds: v.map((tm) => tm.id) })}
          sx={{ width }}
          renderInput={(params) => (
            <TextField {...params} label={t('assign.poolTeams')} slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': `${testIdPrefix}-pool-teams` } }} />
          )}
        />
        <Autocomplete
          multiple
          size="small"
          options={active}
          getOptionLabel={(o) => staffLabel(o) + (o.absent ? ` · ${t('staff.absent')}` : '')}
          isOptionEqualToValue={(a, b) => a.userId === b.userId}
          value={active.filter((s) => value.collectorIds.includes(s.userId))}
          onChange={(_e, v) => set({ collectorIds: v.map((s) => s.userId) })}
          sx={{ width }}
          renderInput={(params) => (
            <TextField {...params} label={t('assign.poolCollectors')} slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': `${testIdPrefix}-pool-collectors` } }} />
          )}
        />
        <Autocomplete
          freeSolo
          size="small"
          options={skills}
          value={value.skill}
          onInputChange={(_e, v) => set({ skill: v.slice(0, 40) })}
          sx={{ width: dense ? '100%' : 170 }}
          renderInput={(params) => (
            <TextField {...params} label={t('assign.poolSkill')} slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': `${testIdPrefix}-pool-skill` } }} />
          )}
        />
      </Box>
      <Box sx={{ color: 'text.secondary', typography: 'body2', mt: -0.5 }}>{t('assign.poolHelp')}</Box>
      <FormControlLabel
        sx={{ ml: 0 }}
        control={<Switch size="small" checked={value.keepBorrower} onChange={(e) => set({ keepBorrower: e.target.checked })} slotProps={{ input: { 'data-testid': `${testIdPrefix}-keep-borrower` } as object }} />}
        label={t('assign.keepBorrower')}
      />
    </Box>
  );
}
