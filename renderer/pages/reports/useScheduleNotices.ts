// Tells a user who may export reports when a schedule has produced a package this browser has not shown
// yet: on app load and every minute, a snackbar "<name> for <lender> produced: <path>". What was shown is
// remembered in localStorage (schedule id → the package's generatedAt).
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useSession } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import type { ReportSchedule } from '../../../shared/contract/report-schedules.js';

const KEY = 'agencydesk.schedules.seen';
const EVERY_MS = 60_000;

function readSeen(): Record<string, string> {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return v && typeof v === 'object' ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** The packages these schedules produced that this browser has not shown, newest first. */
export function unseen(schedules: ReportSchedule[]): ReportSchedule[] {
  const seen = readSeen();
  return schedules.filter((s) => s.lastExport && (seen[s.id] ?? '') < s.lastExport.generatedAt).sort((a, b) => (a.lastExport!.generatedAt < b.lastExport!.generatedAt ? 1 : -1));
}

export function rememberSeen(schedules: ReportSchedule[]): void {
  const seen = readSeen();
  for (const s of schedules) if (s.lastExport) seen[s.id] = s.lastExport.generatedAt;
  try {
    localStorage.setItem(KEY, JSON.stringify(seen));
  } catch {
    /* storage disabled: told again next time */
  }
}

export function useScheduleNotices(): void {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const allowed = session.permissions.includes('reports.export');
  const notify = useNotify();
  useEffect(() => {
    if (!allowed) return;
    let stopped = false;
    const check = async () => {
      try {
        const { schedules } = await api.call('reportSchedules.list', {});
        const fresh = unseen(schedules);
        if (stopped || fresh.length === 0) return;
        const s = fresh[0]!;
        notify(t('schedules.produced', { name: s.name, lender: s.lender, path: s.lastExport!.path }) + (fresh.length > 1 ? ` (+${fresh.length - 1})` : ''), 'info');
        rememberSeen(fresh);
      } catch {
        /* a quiet background check: the Schedules tab shows errors */
      }
    };
    void check();
    const timer = setInterval(() => void check(), EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [allowed, api, notify, t]);
}
