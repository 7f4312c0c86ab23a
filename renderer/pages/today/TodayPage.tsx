// 今日工作: a collector's day — promises due, follow-ups due, new cases, cases behind the escalation
// schedule. Collectors get their own; managers, admins and auditors pick whose day to look at.
import { useLiveVersion } from '../../api/useLiveVersion.js';
import { useEffect, useRef, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import RefreshIcon from '@mui/icons-material/Refresh';
import { useApi, useSession } from '../../context.js';
import { describeError } from '../../errors.js';
import { staffLabel, type Staff } from '../../assign.js';
import { CaseDrawer } from '../cases/CaseDrawer.js';
import { QueueGrid } from './QueueGrid.js';
import { useShortcuts } from '../../shell/useShortcuts.js';
import { QUEUES } from '../../../shared/contract/assignment.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';
import { useOpenCase } from '../../shell/navigation.js';

type Queue = (typeof QUEUES)[number];
const TO_CALL = QUEUES.filter((q) => q !== 'contacted');
type Day = MethodOutput<'queue.today'>;
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function TodayPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const own = session.user.role === 'collector';
  const [staff, setStaff] = useState<Staff[]>([]);
  const [collectorId, setCollectorId] = useState<number | ''>('');
  const [day, setDay] = useState<Day | null>(null);
  const [tab, setTab] = useState<Queue | 'all'>('all');
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const [openCase, setOpenCase] = useOpenCase();
  // Cases assigned or recalled by a manager appear and leave without a reload.
  const liveVersion = useLiveVersion();

  useEffect(() => {
    if (own) return;
    api.call('staff.list', {}).then(
      (r) => setStaff(r.staff),
      (e: unknown) => setError(e),
    );
  }, [api, own]);

  useEffect(() => {
    if (!own && collectorId === '') return;
    let live = true;
    setLoading(true);
    api.call('queue.today', { ...(own ? {} : { collectorId: collectorId as number }), limit: 1000 }).then(
      (d) => {
        if (!live) return;
        setDay(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [api, own, collectorId, refresh, liveVersion]);

  // "All" is everything still to call; a case contacted today has left it for the contacted tab.
  const items = day ? day.items.filter((i) => (tab === 'all' ? i.queue !== 'contacted' : i.queue === tab)) : [];
  const due = day ? TO_CALL.reduce((n, q) => n + day.counts[q], 0) : 0;
  const shownToCall = day ? day.items.filter((i) => i.queue !== 'contacted').length : 0;

  // Keyboard-first (issue 18): N opens the next case of the tab shown. After a logged attempt the list is
  // fetched again and the case may have left it: the next one is then the row that took its place.
  const lastAt = useRef(-1);
  const openNext = () => {
    if (items.length === 0) return;
    const at = openCase === null ? -1 : items.findIndex((i) => i.caseId === openCase);
    const next = at >= 0 ? at + 1 : openCase === null ? 0 : lastAt.current;
    const i = Math.min(Math.max(next, 0), items.length - 1);
    if (items[i]!.caseId === openCase) return;
    lastAt.current = i;
    setOpenCase(items[i]!.caseId);
  };
  const open = (caseId: number) => {
    lastAt.current = items.findIndex((i) => i.caseId === caseId);
    setOpenCase(caseId);
  };
  useShortcuts({ n: openNext }, openCase === null && day !== null);

  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 2, flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1">
          {t('today.title')}
        </Typography>
        {day ? (
          <Typography sx={{ color: 'text.secondary' }} data-testid="today-summary">
            {t('today.summary', { date: day.today, count: day.counts.open })}
          </Typography>
        ) : null}
        <Box sx={{ flexGrow: 1 }} />
        <Typography variant="caption" sx={{ color: 'text.secondary' }} data-testid="today-keys">
          {t('workday.keys.today')}
        </Typography>
        {!own ? (
          <TextField
            select
            size="small"
            label={t('today.collector')}
            value={staff.some((s) => s.userId === collectorId) ? collectorId : ''}
            onChange={(e) => setCollectorId(Number(e.target.value))}
            sx={{ minWidth: 200 }}
            slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('today-collector') }, inputLabel: { shrink: true } }}
          >
            <MenuItem value="" disabled>
              {t('today.pick')}
            </MenuItem>
            {staff.map((s) => (
              <MenuItem key={s.userId} value={s.userId} data-testid={`today-collector-${s.username}`}>
                {staffLabel(s)}
              </MenuItem>
            ))}
          </TextField>
        ) : null}
        <Button startIcon={<RefreshIcon />} disabled={!own && collectorId === ''} onClick={() => setRefresh((n) => n + 1)} data-testid="today-refresh">
          {t('common.refresh')}
        </Button>
      </Box>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      {!own && collectorId === '' ? (
        <Alert severity="info" data-testid="today-pick-hint">
          {t('today.pickHint')}
        </Alert>
      ) : (
        <>
          <Tabs value={tab} onChange={(_e, v: Queue | 'all') => setTab(v)} variant="scrollable" sx={{ mb: 1, borderBottom: 1, borderColor: 'divider' }}>
            <Tab
              value="all"
              label={
                <span>
                  {t('today.toCall')}{' '}
                  <Box component="b" sx={{ fontVariantNumeric: 'tabular-nums' }} data-testid="today-count-all">
                    {due.toLocaleString()}
                  </Box>
                </span>
              }
              data-testid="today-tab-all"
            />
            {QUEUES.map((q) => (
              <Tab
                key={q}
                value={q}
                label={
                  <span>
                    {t(`today.queues.${q}`)}{' '}
                    <Box component="b" sx={{ fontVariantNumeric: 'tabular-nums' }} data-testid={`today-count-${q}`}>
                      {(day?.counts[q] ?? 0).toLocaleString()}
                    </Box>
                  </span>
                }
                data-testid={`today-tab-${q}`}
              />
            ))}
          </Tabs>
          {day && shownToCall < due ? (
            <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
              {t('today.capped', { shown: shownToCall, total: due })}
            </Typography>
          ) : null}
          <Box sx={{ height: 'calc(100vh - 260px)', minHeight: 300 }} data-testid="today-grid" aria-busy={loading}>
            <QueueGrid items={items} showQueue={tab === 'all'} onOpen={open} />
          </Box>
        </>
      )}
      <CaseDrawer caseId={openCase} onClose={() => setOpenCase(null)} onChanged={() => setRefresh((n) => n + 1)} onNext={openNext} />
    </Box>
  );
}
