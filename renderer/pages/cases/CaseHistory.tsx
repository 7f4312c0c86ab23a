// One line of a case's history (cases.get): assignment moves ("rule: from → to"), stage changes with
// their reason, legal referrals with their updates and events, and what imports did to it; kinds it does
// not know yet show their name. The work view's timeline puts these beside the contact log.
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../shared/contract/assignment.js';

export type HistoryEntry = CaseDetail['history'][number];
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function HistoryLine({ entry }: { entry: HistoryEntry }) {
  const { t } = useTranslation();
  const d = entry.detail;
  if (entry.kind === 'assigned') {
    const rule = str(d.rule) ?? '';
    const from = str(d.fromUser) ?? t('cases.unassigned');
    const to = str(d.toUser) ?? t('cases.unassigned');
    return <>{t('caseDetail.moved', { rule: t(`assign.rules.${rule}.name`, { defaultValue: rule }), from, to })}</>;
  }
  if (entry.kind === 'legal') {
    const action = str(d.action);
    if (action === 'refer') return <>{t('legal.history.refer', { firm: str(d.lawFirm) ?? '', lawyer: str(d.lawyer) ?? '' })}</>;
    if (action === 'event') return <>{t('legal.history.event', { kind: t(`legal.events.${str(d.kind) ?? ''}`, { defaultValue: str(d.kind) ?? '' }), date: str(d.onDate) ?? '' })}</>;
    const after = d.after && typeof d.after === 'object' ? (d.after as Record<string, unknown>) : {};
    const status = str(after.status);
    return <>{t('legal.history.update') + (status ? ` · ${t(`legal.statuses.${status}`, { defaultValue: status })}` : '') + (str(d.note) ? ` · ${str(d.note)}` : '')}</>;
  }
  if (entry.kind === 'complaint') {
    const action = str(d.action) ?? 'record';
    return <>{t(`complaints.history.${action}`, { id: d.complaintId, channel: t(`complaints.channels.${str(d.channel) ?? ''}`, { defaultValue: str(d.channel) ?? '' }) }) + (str(d.note) ? ` · ${str(d.note)}` : '')}</>;
  }
  if (entry.kind === 'flag') {
    const flag = t(`flags.names.${str(d.flag) ?? ''}`, { defaultValue: str(d.flag) ?? '' });
    return <>{t(d.on ? 'complaints.history.flagOn' : 'complaints.history.flagOff', { flag }) + (str(d.note) ? ` · ${str(d.note)}` : '')}</>;
  }
  if (entry.kind === 'stage') {
    const stage = (v: unknown) => t(`cases.stages.${str(v) ?? ''}`, { defaultValue: str(v) ?? '—' });
    const pause = str(d.pauseReason);
    const reason = [pause ? t(`casework.stage.pauseReasons.${pause}`, { defaultValue: pause }) : null, str(d.reason)].filter(Boolean).join(' · ');
    return <>{t('caseDetail.stageMoved', { from: stage(d.from), to: stage(d.to) }) + (reason ? ` · ${reason}` : '')}</>;
  }
  // A re-placement names the fields it changed (cases.get keeps the values, masked, in `replacements`).
  const changes = Array.isArray(d.fields) ? d.fields.length : d.changes && typeof d.changes === 'object' ? Object.keys(d.changes).length : null;
  const batch = str(d.batchNo);
  return (
    <>
      {t(`caseDetail.kinds.${entry.kind}`, { defaultValue: entry.kind })}
      {batch ? ` · ${t('caseDetail.batch')} ${batch}` : ''}
      {changes !== null ? ` · ${t('caseDetail.changedFields', { count: changes })}` : ''}
    </>
  );
}
