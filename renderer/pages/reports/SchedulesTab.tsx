// Report schedules (定时报告): each with its lender, how often, the next and last run, the last package and
// the last error (red); add, change, delete (confirmed), and "Run due now".
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { formatDateTime } from '../../format.js';
import { ConfirmDialog } from '../userDialogs.js';
import { ScheduleDialog } from './ScheduleDialog.js';
import { rememberSeen } from './useScheduleNotices.js';
import type { Lender } from '../../../shared/contract/placements.js';
import type { ReportSchedule } from '../../../shared/contract/report-schedules.js';

export function SchedulesTab({ lenders }: { lenders: Lender[] }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [schedules, setSchedules] = useState<ReportSchedule[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<ReportSchedule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ReportSchedule | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      const list = (await api.call('reportSchedules.list', {})).schedules;
      setSchedules(list);
      rememberSeen(list); // shown here: no need to tell about these packages again
    } catch (e) {
      setError(describeError(t, e));
    }
  }, [api, t]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const runDue = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.call('reportSchedules.runDue', {});
      const ok = r.produced.filter((p) => p.path).length;
      notify(r.produced.length === 0 ? t('schedules.ranNone') : t('schedules.ran', { count: ok }), r.produced.some((p) => p.error) ? 'warning' : 'success');
      await reload();
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setBusy(false);
    }
  };

  const when = (s: ReportSchedule) =>
    s.every === 'weekly' ? t('schedules.onWeekday', { day: t(`schedules.weekdays.${s.weekday ?? 1}`) }) : s.every === 'monthly' ? t('schedules.onMonthDay', { day: s.monthDay }) : t('schedules.daily');

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        <Button variant="contained" onClick={() => setEditing('new')} data-testid="schedule-add">{t('schedules.add')}</Button>
        <Button variant="outlined" onClick={() => void runDue()} disabled={busy} data-testid="schedule-run-due">{t('schedules.runDue')}</Button>
      </Box>
      {error ? <Alert severity="error" data-testid="schedules-error">{error}</Alert> : null}
      {schedules.length === 0 ? (
        <Typography sx={{ color: 'text.secondary' }}>{t('schedules.none')}</Typography>
      ) : (
        <Table size="small" data-testid="schedules-list" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
          <TableHead>
            <TableRow>
              <TableCell>{t('schedules.lender')}</TableCell>
              <TableCell>{t('schedules.name')}</TableCell>
              <TableCell>{t('schedules.every')}</TableCell>
              <TableCell>{t('schedules.formats')}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{t('schedules.nextRun')}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{t('schedules.lastRun')}</TableCell>
              <TableCell>{t('schedules.lastPackage')}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {schedules.map((s) => (
              <TableRow key={s.id} data-testid={`schedule-${s.id}`} sx={{ opacity: s.active ? 1 : 0.6, verticalAlign: 'top' }}>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{s.lender}</TableCell>
                <TableCell sx={{ minWidth: 110 }}>
                  {s.name}
                  {s.active ? null : <Typography variant="caption" sx={{ display: 'block', color: 'text.secondary' }}>{t('schedules.paused')}</Typography>}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{when(s)}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{s.formats.map((f) => f.toUpperCase()).join(' + ')}{s.zip ? ' · .zip' : ''}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }} data-testid={`schedule-${s.id}-next`}>{s.nextRunOn}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }} data-testid={`schedule-${s.id}-last`}>{s.lastRunOn ?? '—'}</TableCell>
                <TableCell sx={{ wordBreak: 'break-all', maxWidth: 360 }}>
                  {s.lastExport ? (
                    <>
                      <span data-testid={`schedule-${s.id}-path`}>{s.lastExport.path}</span>
                      <Typography variant="caption" sx={{ display: 'block', color: 'text.secondary' }}>{formatDateTime(s.lastExport.generatedAt, i18n.language)}</Typography>
                    </>
                  ) : '—'}
                  {s.lastError ? <Typography variant="body2" sx={{ color: 'error.main' }} data-testid={`schedule-${s.id}-error`}>{s.lastError}</Typography> : null}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  <Button size="small" onClick={() => setEditing(s)} data-testid={`schedule-${s.id}-edit`}>{t('schedules.edit')}</Button>
                  <Button size="small" color="error" onClick={() => setDeleting(s)} data-testid={`schedule-${s.id}-delete`}>{t('schedules.delete')}</Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {editing ? <ScheduleDialog lenders={lenders} schedule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => { notify(t('schedules.saved')); void reload(); }} /> : null}
      {deleting ? (
        <ConfirmDialog
          title={t('schedules.deleteTitle', { name: deleting.name })}
          body={t('schedules.deleteBody')}
          submitLabel={t('schedules.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            try {
              await api.call('reportSchedules.delete', { id: deleting.id });
              notify(t('schedules.deleted'));
              void reload();
              return null;
            } catch (e) {
              return describeError(t, e);
            }
          }}
        />
      ) : null}
    </Box>
  );
}
