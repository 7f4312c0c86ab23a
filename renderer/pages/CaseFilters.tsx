// The case list's filter bar: search with the casework filters (stage, last outcome, follow-up and
// promise dates) on the first line; lender, batch (of that lender), bucket, amount range in yuan,
// collector (or the unassigned pool; only for roles that see the collectors) on the second.
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import ClearIcon from '@mui/icons-material/FilterAltOff';
import SearchIcon from '@mui/icons-material/Search';
import { useApi } from '../context.js';
import { yuanToFen } from '../placement.js';
import { staffLabel, type Staff } from '../assign.js';
import { WorkFilterFields, type WorkFilterValues } from './cases/WorkFilterFields.js';
import type { Batch, Lender } from '../../shared/contract/placements.js';

export const BUCKETS = ['C', 'M1', 'M2', 'M3', 'M3+'] as const;
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

/** What the user typed or picked; amounts stay text until they parse. */
export interface FilterValues extends WorkFilterValues {
  lenderId: number | '';
  batchId: number | '';
  bucket: string;
  min: string;
  max: string;
  q: string;
  /** A collector's id, or the cases nobody holds. */
  collector: number | '' | 'unassigned';
  /** 委案到期日: '' any, 'ended', or within that many days (a number as text). */
  termEnd: string;
}

/** The term-end choices; the home page may open the list with its own warning window (added when not here). */
const TERM_END_DAYS = ['7', '14', '30'];

export const EMPTY_FILTERS: FilterValues = { lenderId: '', batchId: '', bucket: '', min: '', max: '', q: '', collector: '', stage: '', outcome: '', followUpBy: '', promiseBy: '', flag: '', termEnd: '' };

export function CaseFilters({
  value,
  onChange,
  lenders,
  staff,
  byLender,
}: {
  value: FilterValues;
  onChange: (v: FilterValues) => void;
  lenders: Lender[];
  /** null: the role does not see collectors (no collector filter). */
  staff: Staff[] | null;
  /** The role reads lenders and batches (collectors do not: no lender or batch filter). */
  byLender: boolean;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [batches, setBatches] = useState<Batch[]>([]);
  const set = (patch: Partial<FilterValues>) => onChange({ ...value, ...patch });

  // The batch list follows the lender (all batches when no lender is chosen).
  useEffect(() => {
    if (!byLender) return;
    let live = true;
    api.call('batches.list', value.lenderId === '' ? {} : { lenderId: value.lenderId }).then(
      (r) => live && setBatches(r.batches),
      () => live && setBatches([]),
    );
    return () => {
      live = false;
    };
  }, [api, value.lenderId, byLender]);

  const minBad = yuanToFen(value.min) === undefined;
  const maxBad = yuanToFen(value.max) === undefined;
  const selectSlot = (testId: string) => ({ select: { displayEmpty: true, SelectDisplayProps: displayProps(testId) }, inputLabel: { shrink: true } });

  // Search on its own line (the field people use most), the lists and the amount range below it.
  return (
    <Box sx={{ mb: 2 }}>
      <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', mb: 1.5, pt: 0.75 }}>
        <TextField
          size="small"
          type="search"
          placeholder={t('cases.search')}
          value={value.q}
          onChange={(e) => set({ q: e.target.value })}
          sx={{ flex: '1 1 200px', maxWidth: 480 }}
          slotProps={{
            htmlInput: { maxLength: 60, 'aria-label': t('cases.search'), 'data-testid': 'cases-search' },
            input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> },
          }}
        />
        <WorkFilterFields value={value} set={set} />
        <Button startIcon={<ClearIcon />} onClick={() => onChange(EMPTY_FILTERS)} data-testid="cases-clear" sx={{ flexShrink: 0 }}>
          {t('cases.clear')}
        </Button>
      </Box>
      <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        {byLender ? (
          <>
            <TextField select size="small" label={t('cases.lender')} value={value.lenderId} sx={{ minWidth: 160 }} slotProps={selectSlot('cases-lender')} onChange={(e) => set({ lenderId: e.target.value === '' ? '' : Number(e.target.value), batchId: '' })}>
              <MenuItem value="">{t('cases.any')}</MenuItem>
              {lenders.map((l) => (
                <MenuItem key={l.id} value={l.id}>
                  {l.code} · {l.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField select size="small" label={t('cases.batch')} value={batches.some((b) => b.id === value.batchId) ? value.batchId : ''} sx={{ minWidth: 190 }} slotProps={selectSlot('cases-batch')} onChange={(e) => set({ batchId: e.target.value === '' ? '' : Number(e.target.value) })}>
              <MenuItem value="">{t('cases.any')}</MenuItem>
              {batches.map((b) => (
                <MenuItem key={b.id} value={b.id}>
                  {b.batchNo}
                </MenuItem>
              ))}
            </TextField>
          </>
        ) : null}
        <TextField select size="small" label={t('cases.bucket')} value={value.bucket} sx={{ minWidth: 100 }} slotProps={selectSlot('cases-bucket')} onChange={(e) => set({ bucket: e.target.value })}>
          <MenuItem value="">{t('cases.any')}</MenuItem>
          {BUCKETS.map((b) => (
            <MenuItem key={b} value={b}>
              {b}
            </MenuItem>
          ))}
        </TextField>
        <TextField select size="small" label={t('workday.termEnd.label')} value={value.termEnd} sx={{ minWidth: 130 }} slotProps={selectSlot('cases-term-end')} onChange={(e) => set({ termEnd: e.target.value })}>
          <MenuItem value="">{t('cases.any')}</MenuItem>
          {[...new Set([...TERM_END_DAYS, ...(/^\d+$/.test(value.termEnd) ? [value.termEnd] : [])])]
            .sort((a, b) => Number(a) - Number(b))
            .map((d) => (
              <MenuItem key={d} value={d} data-testid={`cases-term-end-${d}`}>
                {t('workday.termEnd.within', { days: d })}
              </MenuItem>
            ))}
          <MenuItem value="ended" data-testid="cases-term-end-ended">
            {t('workday.termEnd.ended')}
          </MenuItem>
        </TextField>
        <TextField
          size="small"
          label={t('cases.minAmount')}
          value={value.min}
          onChange={(e) => set({ min: e.target.value })}
          error={minBad}
          helperText={minBad ? t('cases.amountInvalid') : undefined}
          sx={{ width: 160 }}
          slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'cases-min' } }}
        />
        <TextField
          size="small"
          label={t('cases.maxAmount')}
          value={value.max}
          onChange={(e) => set({ max: e.target.value })}
          error={maxBad}
          helperText={maxBad ? t('cases.amountInvalid') : undefined}
          sx={{ width: 160 }}
          slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'cases-max' } }}
        />
        {staff ? (
          <TextField
            select
            size="small"
            label={t('cases.collector')}
            value={value.collector === 'unassigned' || staff.some((s) => s.userId === value.collector) ? value.collector : ''}
            sx={{ minWidth: 150 }}
            slotProps={selectSlot('cases-collector')}
            onChange={(e) => set({ collector: e.target.value === '' || e.target.value === 'unassigned' ? (e.target.value as '' | 'unassigned') : Number(e.target.value) })}
          >
            <MenuItem value="">{t('cases.any')}</MenuItem>
            <MenuItem value="unassigned" data-testid="cases-collector-unassigned">
              {t('cases.unassigned')}
            </MenuItem>
            {staff.map((s) => (
              <MenuItem key={s.userId} value={s.userId} data-testid={`cases-collector-${s.username}`}>
                {staffLabel(s)}
              </MenuItem>
            ))}
          </TextField>
        ) : null}
      </Box>
    </Box>
  );
}
