// Creates or edits an automatic rule: which of a lender's new cases (bucket) go by which rule to whom.
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { FormDialog, useSubmit } from '../userDialogs.js';
import { BUCKETS } from '../CaseFilters.js';
import { PoolFields, toPool, type PoolValues } from './PoolFields.js';
import type { RefData } from '../../assign.js';
import type { AssignRuleDef } from '../../../shared/contract/assignment.js';
import type { MethodInput } from '../../../shared/contract/registry.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;
const selectSlot = (testId: string) => ({ select: { displayEmpty: true, SelectDisplayProps: displayProps(testId) }, inputLabel: { shrink: true } });

export function RuleDialog({
  rule,
  refData,
  onClose,
  onSave,
}: {
  rule: AssignRuleDef | null;
  refData: RefData;
  onClose: () => void;
  onSave: (v: MethodInput<'assignRules.save'>) => Promise<string | null>;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(rule?.name ?? '');
  const [lenderId, setLenderId] = useState<number | ''>(rule?.lenderId ?? '');
  const [bucket, setBucket] = useState(rule?.bucket ?? '');
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [pool, setPool] = useState<PoolValues>({
    rule: rule?.rule ?? 'balanced',
    teamIds: rule?.pool.teamIds ?? [],
    collectorIds: rule?.pool.collectorIds ?? [],
    skill: rule?.pool.skill ?? '',
    keepBorrower: rule?.keepBorrower ?? true,
  });
  const [touched, setTouched] = useState(false);
  const nameError = name.trim() === '' ? t('validation.required') : undefined;
  const { busy, error, run } = useSubmit(
    () =>
      onSave({
        ...(rule ? { id: rule.id } : {}),
        name: name.trim(),
        lenderId: lenderId === '' ? null : lenderId,
        bucket: bucket === '' ? null : bucket,
        rule: pool.rule,
        pool: toPool(pool),
        keepBorrower: pool.keepBorrower,
        enabled,
      }),
    onClose,
  );

  return (
    <FormDialog
      open
      title={rule ? t('rules.editTitle', { name: rule.name }) : t('rules.addTitle')}
      testId="rule-dialog"
      submitLabel={rule ? t('common.save') : t('common.create')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!nameError) void run();
      }}
    >
      <TextField
        size="small"
        label={t('rules.name')}
        value={name}
        onChange={(e) => setName(e.target.value)}
        autoFocus
        disabled={busy}
        error={touched && Boolean(nameError)}
        helperText={(touched && nameError) || t('rules.nameHelp')}
        slotProps={{ htmlInput: { maxLength: 80, 'data-testid': 'rule-name' } }}
      />
      <Stack direction="row" spacing={2} sx={{ pb: 1.5 }}>
        <TextField select size="small" label={t('rules.lender')} value={lenderId} onChange={(e) => setLenderId(e.target.value === '' ? '' : Number(e.target.value))} sx={{ flex: 2 }} slotProps={selectSlot('rule-lender')}>
          <MenuItem value="">{t('rules.anyLender')}</MenuItem>
          {refData.lenders.map((l) => (
            <MenuItem key={l.id} value={l.id} data-testid={`rule-lender-${l.code}`}>
              {l.code} · {l.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField select size="small" label={t('rules.bucket')} value={bucket} onChange={(e) => setBucket(e.target.value)} sx={{ flex: 1 }} slotProps={selectSlot('rule-bucket')}>
          <MenuItem value="">{t('rules.anyBucket')}</MenuItem>
          {BUCKETS.map((b) => (
            <MenuItem key={b} value={b}>
              {b}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <PoolFields value={pool} onChange={setPool} teams={refData.teams} staff={refData.staff} dense testIdPrefix="rule-form" />
      <FormControlLabel
        sx={{ ml: 0 }}
        control={<Switch size="small" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} slotProps={{ input: { 'data-testid': 'rule-enabled' } as object }} />}
        label={t('rules.enabled')}
      />
    </FormDialog>
  );
}
