// Everything that happened to the case, newest first, in one list: the contact log (by when the attempt
// happened) merged with the case history (stage moves, assignment moves, imports). A switch narrows it
// to one of the two. Corrections are made from here.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { formatDateTime } from '../../format.js';
import { AttemptEntry } from './AttemptEntry.js';
import { CorrectDialog } from './CorrectDialog.js';
import { HistoryLine, type HistoryEntry } from './CaseHistory.js';
import type { Attempt } from '../../../shared/contract/casework.js';

type Show = 'all' | 'contacts' | 'events';
type Item = { key: string; at: string } & ({ attempt: Attempt; event?: undefined } | { event: HistoryEntry; attempt?: undefined });

export function CaseTimeline({
  attempts,
  history,
  outcomes,
  canWork,
  onCorrected,
}: {
  attempts: Attempt[];
  history: HistoryEntry[];
  outcomes: string[];
  canWork: boolean;
  onCorrected: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [show, setShow] = useState<Show>('all');
  const [correcting, setCorrecting] = useState<Attempt | null>(null);
  const items = useMemo(() => {
    const list: Item[] = [
      ...(show !== 'events' ? attempts.map((a) => ({ key: `a${a.id}`, at: a.startedAt, attempt: a })) : []),
      ...(show !== 'contacts' ? history.map((h, i) => ({ key: `h${i}`, at: h.at, event: h })) : []),
    ];
    // Both lists come newest first; a stable sort by time keeps their own order within one instant.
    return list.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  }, [attempts, history, show]);

  return (
    <Box>
      <ToggleButtonGroup size="small" exclusive value={show} onChange={(_e, v: Show | null) => v && setShow(v)} sx={{ mb: 1.5 }}>
        <ToggleButton value="all" data-testid="timeline-all">
          {t('casework.timeline.all')}
        </ToggleButton>
        <ToggleButton value="contacts" data-testid="timeline-contacts">
          {t('casework.timeline.contacts', { count: attempts.length })}
        </ToggleButton>
        <ToggleButton value="events" data-testid="timeline-events">
          {t('casework.timeline.events')}
        </ToggleButton>
      </ToggleButtonGroup>
      {items.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('caseDetail.noHistory')}
        </Typography>
      ) : (
        <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0, borderLeft: 2, borderColor: 'divider', ml: 0.75 }} data-testid="case-history">
          {items.map((it) => (
            <Box
              component="li"
              key={it.key}
              sx={{
                position: 'relative',
                pl: 2,
                pb: 1.5,
                '&::before': { content: '""', position: 'absolute', left: -6, top: 6, width: 10, height: 10, borderRadius: '50%', bgcolor: it.attempt ? 'success.main' : it.event.kind === 'assigned' ? 'primary.main' : 'text.disabled' },
              }}
              data-testid={it.attempt ? 'timeline-attempt' : `case-history-${it.event.kind}`}
            >
              {it.attempt ? (
                <AttemptEntry a={it.attempt} canCorrect={canWork} onCorrect={setCorrecting} />
              ) : (
                <>
                  <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                    {formatDateTime(it.at, i18n.language)}
                    {it.event.actor ? ` · ${it.event.actor}` : ''}
                  </Typography>
                  <Typography variant="body2">
                    <HistoryLine entry={it.event} />
                  </Typography>
                </>
              )}
            </Box>
          ))}
        </Box>
      )}
      {correcting ? <CorrectDialog attempt={correcting} outcomes={outcomes} onClose={() => setCorrecting(null)} onCorrected={onCorrected} /> : null}
    </Box>
  );
}
