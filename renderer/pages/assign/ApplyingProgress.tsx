// How far an assignment being written has got. A large one is written in parts, with collectors' writes let in
// between (core/assignment/apply.ts): at 200,000 cases that is a minute, so the manager who applied it sees the
// parts counted up, and another manager on this page sees that the workloads are still changing.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

type Applying = MethodOutput<'assign.applying'>['applying'][number];

/** Assignments being written now, read every `everyMs` while `active` (one call at a time; errors read as none). */
export function useApplying(active: boolean, everyMs: number): Applying[] {
  const api = useApi();
  const [now, setNow] = useState<Applying[]>([]);
  useEffect(() => {
    if (!active) return setNow([]);
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const r = await api.call('assign.applying', {});
        if (!stop) setNow(r.applying);
      } catch {
        if (!stop) setNow([]);
      }
      if (!stop) timer = setTimeout(() => void tick(), everyMs);
    };
    void tick();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [api, active, everyMs]);
  return now;
}

const percent = (p: Applying) => (p.parts > 0 ? Math.round((100 * p.partsDone) / p.parts) : 0);

/** In the Apply dialog while the call runs: planning (no parts yet), then the parts written. */
export function ApplyProgress({ me }: { me: string }) {
  const { t } = useTranslation();
  const applying = useApplying(true, 1000);
  const mine = applying.find((p) => p.actor === me);
  const other = applying.find((p) => p.actor !== me);
  return (
    <Box sx={{ mt: 2 }} data-testid="assign-apply-progress">
      {/* Remounted when it turns determinate: MUI would otherwise slide the bar from where the animation left it. */}
      <LinearProgress key={mine ? 'parts' : 'planning'} variant={mine ? 'determinate' : 'indeterminate'} value={mine ? percent(mine) : 0} />
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
        {mine
          ? t('assign.applying.mine', { id: mine.assignmentId, done: mine.partsDone, parts: mine.parts, moves: mine.moves, percent: percent(mine) })
          : other
            ? t('assign.applying.waiting', { id: other.assignmentId, actor: other.actorName, done: other.partsDone, parts: other.parts })
            : t('assign.applying.planning')}
      </Typography>
    </Box>
  );
}

/** On the Assign page (not while its own Apply dialog is open): an assignment is being written, so previewed workloads still move. */
export function ApplyingNotice({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const [p] = useApplying(active, 3000);
  if (!p) return null;
  return (
    <Alert severity="info" data-testid="assign-applying-notice">
      {t('assign.applying.notice', { id: p.assignmentId, actor: p.actorName, done: p.partsDone, parts: p.parts, moves: p.moves, percent: percent(p) })}
    </Alert>
  );
}
