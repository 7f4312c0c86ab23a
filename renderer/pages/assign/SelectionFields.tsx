// Which cases to distribute: picked on the Cases page, or a filter (lender, batch of that lender,
// bucket, amount range, a collector's cases, unassigned only). Open cases only, decided by the backend.
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { useApi } from '../../context.js';
import { yuanToFen } from '../../placement.js';
import { BUCKETS } from '../CaseFilters.js';
import { staffLabel, type Staff } from '../../assign.js';
import type { Batch, Lender } from '../../../shared/contract/placements.js';
import type { MethodInput } from '../../../shared/contract/registry.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;
const selectSlot = (testId: string) => ({ select: { displayEmpty: true, SelectDisplayProps: displayProps(testId) }, inputLabel: { shrink: true } });

export interface SelectionValues {
  lenderId: number | '';
  batchId: number | '';
  bucket: string;
  min: string;
  max: string;
  collectorId: number | '';
  unassignedOnly: boolean;
}

export const EMPTY_SELECTION: SelectionValues = { lenderId: '', batchId: '', bucket: '', min: '', max: '', collectorId: '', unassignedOnly: false };

export function SelectionFields({
  value,
  onChange,
  pickedCount,
  onClearPicked,
  lenders,
  staff,
}: {
  value: SelectionValues;
  onChange: (v: SelectionValues) => void;
  /** Cases picked on the Cases page (null: select by filter). */
  pickedCount: number | null;
  onClearPicked: () => void;
  lenders: Lender[];
  staff: Staff[];
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [batches, setBatches] = useState<Batch[]>([]);
  const set = (patch: Partial<SelectionValues>) => onChange({ ...value, ...patch });

  useEffect(() => {
    let live = true;
    api.call('batches.list', value.lenderId === '' ? {} : { lenderId: value.lenderId }).then(
      (r) => live && setBatches(r.batches),
      () => live && setBatches([]),
    );
    return () => {
      live = false;
    };
  }, [api, value.lenderId]);

  if (pickedCount !== null) {
    return (
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
        <Chip color="primary" label={t('assign.picked', { count: pickedCount })} data-testid="assign-picked" />
        <Button size="small" onClick={onClearPicked} data-testid="assign-picked-clear">
          {t('assign.pickedClear')}
        </Button>
      </Box>
    );
  }

  const minBad = yuanToFen(value.min) === undefined;
  const maxBad = yuanToFen(value.max) === undefined;
  return (
    <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', alignItems: 'flex-start' }}>
      <TextField select size="small" label={t('cases.lender')} value={value.lenderId} sx={{ width: 160 }} slotProps={selectSlot('assign-lender')} onChange={(e) => set({ lenderId: e.target.value === '' ? '' : Number(e.target.value), batchId: '' })}>
        <MenuItem value="">{t('cases.any')}</MenuItem>
        {lenders.map((l) => (
          <MenuItem key={l.id} value={l.id} data-testid={`assign-lender-${l.code}`}>
            {l.code} · {l.name}
          </MenuItem>
        ))}
      </TextField>
      <TextField select size="small" label={t('cases.batch')} value={batches.some((b) => b.id === value.batchId) ? value.batchId : ''} sx={{ width: 180 }} slotProps={selectSlot('assign-batch')} onChange={(e) => set({ batchId: e.target.value === '' ? '' : Number(e.target.value) })}>
        <MenuItem value="">{t('cases.any')}</MenuItem>
        {batches.map((b) => (
          <MenuItem key={b.id} value={b.id} data-testid={`assign-batch-${b.batchNo}`}>
            {b.batchNo}
          </MenuItem>
        ))}
      </TextField>
      <TextField select size="small" label={t('cases.bucket')} value={value.bucket} sx={{ width: 90 }} slotProps={selectSlot('assign-bucket')} onChange={(e) => set({ bucket: e.target.value })}>
        <MenuItem value="">{t('cases.any')}</MenuItem>
        {BUCKETS.map((b) => (
          <MenuItem key={b} value={b}>
            {b}
          </MenuItem>
        ))}
      </TextField>
      <TextField size="small" label={t('cases.minAmount')} value={value.min} onChange={(e) => set({ min: e.target.value })} error={minBad} helperText={minBad ? t('cases.amountInvalid') : undefined} sx={{ width: 160 }} slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'assign-min' } }} />
      <TextField size="small" label={t('cases.maxAmount')} value={value.max} onChange={(e) => set({ max: e.target.value })} error={maxBad} helperText={maxBad ? t('cases.amountInvalid') : undefined} sx={{ width: 160 }} slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'assign-max' } }} />
      <TextField select size="small" label={t('assign.heldBy')} value={value.collectorId} sx={{ width: 170 }} slotProps={selectSlot('assign-collector')} onChange={(e) => set({ collectorId: e.target.value === '' ? '' : Number(e.target.value) })}>
        <MenuItem value="" data-testid="assign-collector-any">
          {t('cases.any')}
        </MenuItem>
        {staff.map((s) => (
          <MenuItem key={s.userId} value={s.userId} data-testid={`assign-collector-${s.username}`}>
            {staffLabel(s)}
            {s.absent ? ` · ${t('staff.absent')}` : ''}
          </MenuItem>
        ))}
      </TextField>
      <FormControlLabel
        sx={{ ml: 0, mt: 0.5 }}
        control={<Switch size="small" checked={value.unassignedOnly} onChange={(e) => set({ unassignedOnly: e.target.checked })} slotProps={{ input: { 'data-testid': 'assign-unassigned' } as object }} />}
        label={t('assign.unassignedOnly')}
      />
    </Box>
  );
}

/** The selection as the API takes it; null when it names no cases or an amount does not parse. */
export function toSelection(v: SelectionValues, caseIds: number[] | null): MethodInput<'assign.preview'>['selection'] | null {
  if (caseIds) return { caseIds, unassignedOnly: false };
  const min = yuanToFen(v.min);
  const max = yuanToFen(v.max);
  if (min === undefined || max === undefined) return null;
  if (v.lenderId === '' && v.batchId === '' && v.collectorId === '' && !v.unassignedOnly) return null;
  return {
    ...(v.lenderId !== '' ? { lenderId: v.lenderId } : {}),
    ...(v.batchId !== '' ? { batchId: v.batchId } : {}),
    ...(v.bucket ? { bucket: v.bucket } : {}),
    ...(typeof min === 'number' ? { minAmountFen: min } : {}),
    ...(typeof max === 'number' ? { maxAmountFen: max } : {}),
    ...(v.collectorId !== '' ? { collectorId: v.collectorId } : {}),
    unassignedOnly: v.unassignedOnly,
  };
}
