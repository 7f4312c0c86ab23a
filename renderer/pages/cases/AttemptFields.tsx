// The fields of one contact attempt (催记), three to a row so the whole form fits a laptop screen. The
// number dialled is never a field: it comes from the case for the party chosen.
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { CHANNELS, channelName } from '../../casework.js';
import { useOutcomes } from '../../outcomes.js';
import { staffLabel } from '../../assign.js';
import type { CaseDetail } from '../../../shared/contract/assignment.js';
import type { Channel } from '../../../shared/domain/casework/guardrails.js';

export interface AttemptValues {
  channel: Channel;
  /** '' = the borrower, else the contact's slot. */
  party: number | '';
  direction: 'outbound' | 'inbound';
  startedAt: string;
  /** The time was typed: without it the attempt is "now" to the second (the field shows minutes only). */
  timeEdited: boolean;
  duration: string;
  outcome: string;
  recordingRef: string;
  note: string;
  followUp: string;
  promiseAmount: string;
  promiseDate: string;
  /** '' once; '2'…'12': the same amount monthly, that many times. */
  promiseRepeat: string;
  /** Managers: why an attempt older than the agency's window is entered now (shown only then). */
  lateReason: string;
  companions: number[];
}

/** Someone who may go on a field visit (staff.colleagues). */
export interface Colleague {
  userId: number;
  username: string;
  displayName: string;
  role: string;
}

export type AttemptErrors = Partial<Record<keyof AttemptValues, string | null>>;

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function AttemptFields({
  v,
  set,
  errors,
  detail,
  outcomes,
  staff,
  disabled,
  late = false,
}: {
  /** The time typed is older than the agency's window: a manager gives a reason, a collector is told. */
  late?: boolean;
  v: AttemptValues;
  set: (patch: Partial<AttemptValues>) => void;
  errors: AttemptErrors;
  detail: CaseDetail;
  outcomes: string[];
  /** Colleagues for a field visit (the user not among them); null when they could not be listed. */
  staff: Colleague[] | null;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const outcomeNames = useOutcomes();
  const err = (k: keyof AttemptValues) => ({ error: Boolean(errors[k]), helperText: errors[k] || ' ' });
  const input = (testId: string, extra: object = {}) => ({ htmlInput: { 'data-testid': testId, ...extra }, inputLabel: { shrink: true } });
  const visit = v.channel === 'field_visit';
  const picked = (staff ?? []).filter((s) => v.companions.includes(s.userId));

  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', columnGap: 2, rowGap: 0.5, pt: 1 }}>
      <TextField select size="small" label={t('casework.form.channel')} value={v.channel} disabled={disabled} onChange={(e) => set({ channel: e.target.value as Channel })} helperText=" " slotProps={{ select: { SelectDisplayProps: displayProps('attempt-channel') } }}>
        {CHANNELS.map((c) => (
          <MenuItem key={c} value={c} data-testid={`attempt-channel-${c}`}>
            {channelName(t, c)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        label={t('casework.form.party')}
        value={v.party}
        disabled={disabled}
        onChange={(e) => set({ party: e.target.value === '' ? '' : Number(e.target.value) })}
        helperText=" "
        slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('attempt-party') }, inputLabel: { shrink: true } }}
      >
        <MenuItem value="" data-testid="attempt-party-borrower">
          {`${detail.borrowerName} · ${t('casework.borrowerSelf')} · ${detail.mobile}`}
        </MenuItem>
        {detail.contacts.map((c) => (
          <MenuItem key={c.slot} value={c.slot} data-testid={`attempt-party-${c.slot}`}>
            {`${c.slot}. ${c.name || '—'}${c.relation ? ` · ${c.relation}` : ''} · ${c.phone || '—'}`}
          </MenuItem>
        ))}
      </TextField>
      <TextField select size="small" label={t('casework.form.direction')} value={v.direction} disabled={disabled} onChange={(e) => set({ direction: e.target.value as AttemptValues['direction'] })} helperText=" " slotProps={{ select: { SelectDisplayProps: displayProps('attempt-direction') } }}>
        {(['outbound', 'inbound'] as const).map((d) => (
          <MenuItem key={d} value={d} data-testid={`attempt-direction-${d}`}>
            {t(`casework.directions.${d}`)}
          </MenuItem>
        ))}
      </TextField>

      <TextField size="small" type="datetime-local" label={t('casework.form.startedAt')} value={v.startedAt} disabled={disabled} onChange={(e) => set({ startedAt: e.target.value, timeEdited: true })} {...err('startedAt')} slotProps={input('attempt-started-at')} />
      {late ? (
        <TextField
          size="small"
          label={t('casework.form.lateReason')}
          value={v.lateReason}
          disabled={disabled}
          onChange={(e) => set({ lateReason: e.target.value })}
          {...err('lateReason')}
          sx={{ gridColumn: '1 / -1' }}
          slotProps={input('attempt-late-reason')}
        />
      ) : null}
      <TextField size="small" label={t('casework.form.duration')} value={v.duration} disabled={disabled} onChange={(e) => set({ duration: e.target.value })} {...err('duration')} slotProps={input('attempt-duration', { inputMode: 'numeric' })} />
      <TextField
        select
        size="small"
        label={t('casework.form.outcome')}
        value={v.outcome}
        disabled={disabled}
        onChange={(e) => set({ outcome: e.target.value })}
        {...err('outcome')}
        slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('attempt-outcome') }, inputLabel: { shrink: true } }}
      >
        <MenuItem value="" disabled>
          {t('casework.form.pickOutcome')}
        </MenuItem>
        {outcomes.map((o) => (
          <MenuItem key={o} value={o} data-testid={`attempt-outcome-${o}`}>
            {outcomeNames.name(o)}
          </MenuItem>
        ))}
      </TextField>

      <TextField size="small" label={t('casework.form.promiseAmount')} value={v.promiseAmount} disabled={disabled} onChange={(e) => set({ promiseAmount: e.target.value })} {...err('promiseAmount')} slotProps={input('attempt-promise-amount', { inputMode: 'decimal' })} />
      <TextField size="small" type="date" label={t('casework.form.promiseDate')} value={v.promiseDate} disabled={disabled} onChange={(e) => set({ promiseDate: e.target.value })} {...err('promiseDate')} slotProps={input('attempt-promise-date')} />
      <TextField select size="small" label={t('casework.form.promiseRepeat')} value={v.promiseRepeat} disabled={disabled || !v.promiseDate} onChange={(e) => set({ promiseRepeat: e.target.value })} helperText=" " slotProps={{ select: { displayEmpty: true, SelectDisplayProps: { 'data-testid': 'attempt-promise-repeat' } as HTMLAttributes<HTMLDivElement> }, inputLabel: { shrink: true } }}>
        <MenuItem value="">{t('casework.form.promiseOnce')}</MenuItem>
        {[2, 3, 4, 5, 6, 9, 12].map((n) => (
          <MenuItem key={n} value={String(n)} data-testid={`attempt-promise-repeat-${n}`}>
            {t('casework.form.promiseMonthly', { count: n })}
          </MenuItem>
        ))}
      </TextField>
      <TextField size="small" type="datetime-local" label={t('casework.form.followUp')} value={v.followUp} disabled={disabled} onChange={(e) => set({ followUp: e.target.value })} {...err('followUp')} slotProps={input('attempt-follow-up')} />

      <TextField size="small" label={t('casework.form.recordingRef')} value={v.recordingRef} disabled={disabled} onChange={(e) => set({ recordingRef: e.target.value })} helperText=" " slotProps={input('attempt-recording', { maxLength: 300 })} />
      {visit ? (
        <Autocomplete
          multiple
          size="small"
          sx={{ gridColumn: 'span 2' }}
          options={staff ?? []}
          value={picked}
          disabled={disabled || staff === null}
          getOptionLabel={staffLabel}
          isOptionEqualToValue={(a, b) => a.userId === b.userId}
          onChange={(_e, list) => set({ companions: list.map((s) => s.userId) })}
          renderInput={(params) => (
            <TextField {...params} label={t('casework.form.companions')} helperText={staff === null ? t('casework.form.companionsUnavailable') : t('casework.form.companionsHelp')} slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'attempt-companions' } }} />
          )}
        />
      ) : (
        <Box sx={{ gridColumn: 'span 2' }} />
      )}

      <TextField
        size="small"
        label={t('casework.form.note')}
        value={v.note}
        disabled={disabled}
        onChange={(e) => set({ note: e.target.value })}
        multiline
        minRows={2}
        helperText=" "
        sx={{ gridColumn: '1 / -1' }}
        slotProps={input('attempt-note', { maxLength: 2000 })}
      />
    </Box>
  );
}
