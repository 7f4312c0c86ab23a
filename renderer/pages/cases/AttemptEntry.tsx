// One contact attempt in the timeline: when, who, channel, party and the (masked) number, outcome and
// duration, the note, a promise and the next follow-up, the override it used, and how it relates to
// corrections ("corrected by #n" keeps the original readable, only greyed).
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { formatDateTime } from '../../format.js';
import { formatFen } from '../../placement.js';
import { channelName, formatDuration, formatShortTime, ruleName } from '../../casework.js';
import { useOutcomes } from '../../outcomes.js';
import type { Attempt } from '../../../shared/contract/casework.js';

const sep = ' · ';

export function AttemptEntry({ a, canCorrect, onCorrect }: { a: Attempt; canCorrect: boolean; onCorrect: (a: Attempt) => void }) {
  const { t, i18n } = useTranslation();
  const outcomes = useOutcomes();
  const lang = i18n.language;
  const party = a.party === 'borrower' ? t('casework.borrowerSelf') : `${t('casework.contactN', { slot: a.contactSlot })}${a.relation ? ` (${a.relation})` : ''}`;
  const superseded = a.correctedById !== null;
  const extras = [
    a.durationSec > 0 ? `${t('casework.timeline.duration')} ${formatDuration(a.durationSec)}` : null,
    a.direction === 'inbound' ? t('casework.directions.inbound') : null,
    a.recordingRef ? `${t('casework.timeline.recording')} ${a.recordingRef}` : null,
    a.companions.length ? `${t('casework.timeline.companions')} ${a.companions.join('、')}` : null,
  ].filter(Boolean);

  return (
    <Box sx={{ opacity: superseded ? 0.6 : 1 }} data-testid={`attempt-${a.id}`}>
      <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1 }}>
        <Typography variant="caption" sx={{ color: 'text.secondary', flexGrow: 1 }}>
          #{a.id}
          {sep}
          {formatDateTime(a.startedAt, lang)}
          {sep}
          {a.collector}
        </Typography>
        {canCorrect && !superseded ? (
          <Button size="small" sx={{ minWidth: 0, py: 0 }} onClick={() => onCorrect(a)} data-testid={`attempt-${a.id}-correct`}>
            {t('casework.timeline.correct')}
          </Button>
        ) : null}
      </Box>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 0.75 }}>
        <Typography variant="body2" component="span" sx={{ fontWeight: 600 }}>
          {channelName(t, a.channel)}
        </Typography>
        <Typography variant="body2" component="span">
          {party}
          {a.number ? <Box component="span" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums' }}>{` ${a.number}`}</Box> : null}
        </Typography>
        <Chip
          size="small"
          variant="outlined"
          color={outcomes.connected(a.outcome) ? 'primary' : 'default'}
          label={outcomes.name(a.outcome)}
          sx={{ textDecoration: superseded ? 'line-through' : undefined }}
          data-testid={`attempt-${a.id}-outcome`}
        />
        {a.overrideRule ? <Chip size="small" color="warning" label={t('casework.timeline.overridden', { rule: ruleName(t, a.overrideRule) })} data-testid={`attempt-${a.id}-override`} /> : null}
        {a.correctsId !== null ? <Chip size="small" color="info" variant="outlined" label={t('casework.timeline.corrects', { id: a.correctsId })} data-testid={`attempt-${a.id}-corrects`} /> : null}
        {superseded ? <Chip size="small" variant="outlined" label={t('casework.timeline.correctedBy', { id: a.correctedById })} data-testid={`attempt-${a.id}-corrected-by`} /> : null}
      </Box>
      {extras.length ? (
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
          {extras.join(sep)}
        </Typography>
      ) : null}
      {a.promise || a.nextFollowUpAt ? (
        <Typography variant="body2" sx={{ color: 'success.main' }} data-testid={`attempt-${a.id}-plans`}>
          {[
            a.promise ? t('casework.timeline.promise', { amount: formatFen(a.promise.amountFen), date: a.promise.date }) : null,
            a.nextFollowUpAt ? t('casework.timeline.followUp', { at: formatShortTime(a.nextFollowUpAt, lang) }) : null,
          ]
            .filter(Boolean)
            .join(sep)}
        </Typography>
      ) : null}
      {a.note ? (
        <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid={`attempt-${a.id}-note`}>
          {a.note}
        </Typography>
      ) : null}
    </Box>
  );
}
