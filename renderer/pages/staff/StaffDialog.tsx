// Edits a collector's profile for assignment: capacity, level, skills and the regions they cover.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { TagsInput } from '../../components/TagsInput.js';
import { FormDialog, useSubmit } from '../userDialogs.js';
import { REGION_OPTIONS, staffLabel, type Staff } from '../../assign.js';

export interface StaffFormValues {
  capacity: number;
  level: string;
  skills: string[];
  regions: string[];
}

export function StaffDialog({
  staff,
  skillOptions,
  onClose,
  onSave,
}: {
  staff: Staff;
  skillOptions: string[];
  onClose: () => void;
  onSave: (v: StaffFormValues) => Promise<string | null>;
}) {
  const { t } = useTranslation();
  const [capacity, setCapacity] = useState(String(staff.capacity));
  const [level, setLevel] = useState(staff.level);
  const [skills, setSkills] = useState(staff.skills);
  const [regions, setRegions] = useState(staff.regions);
  const [touched, setTouched] = useState(false);
  const capacityBad = !/^\d{1,7}$/.test(capacity.trim()) || Number(capacity) > 1_000_000;
  const { busy, error, run } = useSubmit(() => onSave({ capacity: Number(capacity), level: level.trim(), skills, regions }), onClose);

  return (
    <FormDialog
      open
      title={t('staff.editTitle', { name: staffLabel(staff) })}
      testId="staff-dialog"
      submitLabel={t('common.save')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!capacityBad) void run();
      }}
    >
      <Stack direction="row" spacing={2}>
        <TextField
          label={t('staff.capacity')}
          value={capacity}
          onChange={(e) => setCapacity(e.target.value)}
          autoFocus
          disabled={busy}
          error={touched && capacityBad}
          helperText={touched && capacityBad ? t('staff.capacityInvalid') : t('staff.capacityHelp', { open: staff.openCases })}
          sx={{ flex: 1 }}
          slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'staff-capacity' } }}
        />
        <TextField
          label={t('staff.level')}
          value={level}
          onChange={(e) => setLevel(e.target.value)}
          disabled={busy}
          helperText={t('staff.levelHelp')}
          sx={{ flex: 1 }}
          slotProps={{ htmlInput: { maxLength: 40, 'data-testid': 'staff-level' } }}
        />
      </Stack>
      <TagsInput label={t('staff.skills')} value={skills} onChange={setSkills} options={skillOptions} testId="staff-skills" helperText={t('staff.skillsHelp')} disabled={busy} max={20} />
      <TagsInput label={t('staff.regions')} value={regions} onChange={setRegions} options={REGION_OPTIONS} testId="staff-regions" helperText={t('staff.regionsHelp')} disabled={busy} />
    </FormDialog>
  );
}
