// The manager's home: what waits for them this morning, each a card that opens its list (home.summary,
// shared with the navigation's badges through HomeSummaryContext), and the month's recovery against target.
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useSession } from '../../context.js';
import { describeError } from '../../errors.js';
import { yuan } from '../../money.js';
import { useHomeSummary } from '../../shell/homeSummary.js';
import { useNav, type NavParams, type SectionId } from '../../shell/navigation.js';

function HomeCard({ id, title, value, hint, tone, onOpen, children }: { id: string; title: string; value: string; hint: string; tone?: 'warning' | 'error' | undefined; onOpen: (() => void) | null; children?: ReactNode }) {
  const body = (
    <CardContent>
      <Typography variant="overline" component="h2" sx={{ color: 'text.secondary', lineHeight: 1.6 }}>
        {title}
      </Typography>
      <Typography variant="h4" component="p" sx={{ fontWeight: 600, color: tone ? `${tone}.main` : 'text.primary' }} data-testid={`home-${id}-value`}>
        {value}
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {hint}
      </Typography>
      {children}
    </CardContent>
  );
  return (
    <Card variant="outlined" data-testid={`home-${id}`}>
      {onOpen ? <CardActionArea onClick={onOpen} sx={{ height: '100%' }}>{body}</CardActionArea> : body}
    </Card>
  );
}

export function ManagerHome() {
  const { t } = useTranslation();
  const { session } = useSession();
  const nav = useNav();
  const { summary: s, error, refresh } = useHomeSummary();
  // Fresh figures whenever the page is opened (the frame also asks every minute).
  useEffect(() => refresh(), [refresh]);
  const open = (id: SectionId, params?: NavParams) => () => nav.navigate(id, params);
  const n = (x: number) => x.toLocaleString();

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Box>
        <Typography variant="h5" component="h1" data-testid="home-welcome">
          {t('managerHome.title', { name: session.user.displayName })}
        </Typography>
        {s ? <Typography sx={{ color: 'text.secondary' }}>{t('managerHome.subtitle', { date: s.today })}</Typography> : null}
      </Box>
      {error && !s ? <Alert severity="error">{t('managerHome.failed', { message: describeError(t, error) })}</Alert> : null}
      {s ? (
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(230px, 1fr))' }} data-testid="home-cards">
          <HomeCard id="plans" title={t('managerHome.plansAwaiting')} value={n(s.plansAwaiting)} hint={t('managerHome.plansAwaitingHint')} tone={s.plansAwaiting > 0 ? 'warning' : undefined} onOpen={open('plans', { tab: 'awaiting' })} />
          <HomeCard id="broken" title={t('managerHome.brokenPromises')} value={n(s.brokenPromises7d)} hint={t('managerHome.brokenPromisesHint')} tone={s.brokenPromises7d > 0 ? 'error' : undefined} onOpen={open('plans', { tab: 'broken' })} />
          <HomeCard id="legal" title={t('managerHome.legalDue')} value={n(s.legalDueThisWeek)} hint={t('managerHome.legalDueHint', { date: s.weekEnd })} onOpen={open('legal')} />
          {s.complaints ? (
            <HomeCard
              id="complaints"
              title={t('managerHome.complaints')}
              value={n(s.complaints.open)}
              hint={t('managerHome.complaintsHint', { overdue: n(s.complaints.overdue) })}
              tone={s.complaints.overdue > 0 ? 'error' : undefined}
              onOpen={open('complaints')}
            />
          ) : null}
          <HomeCard id="term" title={t('managerHome.termEnding')} value={n(s.termEnding)} hint={t('managerHome.termEndingHint', { days: s.termEndDays })} tone={s.termEnding > 0 ? 'warning' : undefined} onOpen={open('cases', { termEndDays: s.termEndDays })} />
          <HomeCard id="today-recovered" title={t('managerHome.recoveredToday')} value={yuan(s.recoveredTodayFen)} hint={s.today} onOpen={open('dashboard')} />
          <HomeCard
            id="month-recovered"
            title={t('managerHome.recoveredMonth', { month: s.month })}
            value={yuan(s.recoveredMonthFen)}
            hint={s.monthTargetFen === null ? t('managerHome.noTarget') : t('managerHome.ofTarget', { pct: (s.monthPct ?? 0).toLocaleString(), target: yuan(s.monthTargetFen) })}
            onOpen={open('dashboard')}
          >
            {s.monthTargetFen !== null ? (
              <LinearProgress variant="determinate" value={Math.min(100, Math.max(0, s.monthPct ?? 0))} sx={{ mt: 1, height: 6, borderRadius: 3 }} aria-label={t('targets.progress')} />
            ) : null}
          </HomeCard>
        </Box>
      ) : null}
    </Box>
  );
}
