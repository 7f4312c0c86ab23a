// A case's timeline, newest first: assignment moves ("rule: from → to"), stage changes, and what
// imports did to it; kinds it does not know yet show their name.
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { formatDateTime } from '../../format.js';
import type { CaseDetail } from '../../../shared/contract/assignment.js';

type Entry = CaseDetail['history'][number];
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function Line({ entry }: { entry: Entry }) {
  const { t } = useTranslation();
  const d = entry.detail;
  if (entry.kind === 'assigned') {
    const rule = str(d.rule) ?? '';
    const from = str(d.fromUser) ?? t('cases.unassigned');
    const to = str(d.toUser) ?? t('cases.unassigned');
    return <>{t('caseDetail.moved', { rule: t(`assign.rules.${rule}.name`, { defaultValue: rule }), from, to })}</>;
  }
  if (entry.kind === 'stage') {
    const stage = (v: unknown) => t(`cases.stages.${str(v) ?? ''}`, { defaultValue: str(v) ?? '—' });
    const reason = str(d.reason) ?? str(d.pauseReason);
    return <>{t('caseDetail.stageMoved', { from: stage(d.from), to: stage(d.to) }) + (reason ? ` · ${reason}` : '')}</>;
  }
  const changes = d.changes && typeof d.changes === 'object' ? Object.keys(d.changes).length : null;
  const batch = str(d.batchNo);
  return (
    <>
      {t(`caseDetail.kinds.${entry.kind}`, { defaultValue: entry.kind })}
      {batch ? ` · ${t('caseDetail.batch')} ${batch}` : ''}
      {changes !== null ? ` · ${t('caseDetail.changedFields', { count: changes })}` : ''}
    </>
  );
}

export function CaseHistory({ history }: { history: Entry[] }) {
  const { t, i18n } = useTranslation();
  if (history.length === 0) return <Typography variant="body2" sx={{ color: 'text.secondary' }}>{t('caseDetail.noHistory')}</Typography>;
  return (
    <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0, borderLeft: 2, borderColor: 'divider', ml: 0.75 }} data-testid="case-history">
      {history.map((h, i) => (
        <Box component="li" key={i} sx={{ position: 'relative', pl: 2, pb: 1.5, '&::before': { content: '""', position: 'absolute', left: -6, top: 6, width: 10, height: 10, borderRadius: '50%', bgcolor: h.kind === 'assigned' ? 'primary.main' : 'text.disabled' } }} data-testid={`case-history-${h.kind}`}>
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            {formatDateTime(h.at, i18n.language)}
            {h.actor ? ` · ${h.actor}` : ''}
          </Typography>
          <Typography variant="body2">
            <Line entry={h} />
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
