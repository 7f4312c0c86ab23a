// Log a contact attempt. The guardrails are asked (contacts.check) when the dialog opens and whenever
// the channel, party, time or companions change, and each broken rule is shown before dialling; the
// submit stays possible (the backend is the judge) and a refusal shows the rules with the way forward.
import { useEffect, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { useApi, useSession } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { ApiCallError } from '../../api/client.js';
import { describeError } from '../../errors.js';
import { fromLocalInput, toLocalInput } from '../../casework.js';
import { appNow, testClockStartedAt } from '../../clock.js';
import { formatDateTime } from '../../format.js';
import { yuanToFen } from '../../placement.js';
import { AttemptFields, type AttemptErrors, type AttemptValues, type Colleague } from './AttemptFields.js';
import { CheckPanel, useAttemptCheck } from './CheckPanel.js';
import { RefusalPanel } from './RefusalPanel.js';
import { isLateClaim, mayEnterLate as mayEnterLateFor } from '../../../shared/domain/casework/call-times.js';
import { promisedTooEarly } from '../../../shared/domain/casework/promise-date.js';
import { dayIn } from '../../../shared/domain/casework/today.js';
import { OverrideDialog } from './OverrideDialog.js';
import type { ViolationView } from './ViolationList.js';
import type { CaseDetail } from '../../../shared/contract/assignment.js';
import type { MethodInput } from '../../../shared/contract/registry.js';

/** Whether the time typed is older than the agency's window for logging after the fact. */
function isLate(v: AttemptValues, windowMinutes: number | null): boolean {
  const at = fromLocalInput(v.startedAt);
  return windowMinutes !== null && at !== null && isLateClaim(new Date(at), appNow(), windowMinutes);
}

function validate(t: TFunction, v: AttemptValues, late: boolean, mayEnterLate: boolean): AttemptErrors {
  const duration = Number(v.duration || '0');
  const amount = yuanToFen(v.promiseAmount);
  // The backend's rule, asked early: a promise is not due before the day of the call.
  const at = v.timeEdited ? fromLocalInput(v.startedAt) : null;
  const madeOn = dayIn(at ? new Date(at) : appNow());
  const early = v.promiseDate !== '' && promisedTooEarly(v.promiseDate, madeOn);
  return {
    startedAt: fromLocalInput(v.startedAt) ? null : t('casework.form.badTime'),
    duration: Number.isInteger(duration) && duration >= 0 && duration <= 86_400 ? null : t('casework.form.badDuration'),
    outcome: v.outcome ? null : t('validation.required'),
    followUp: v.followUp && !fromLocalInput(v.followUp) ? t('casework.form.badTime') : null,
    promiseAmount: amount === undefined || amount === 0 ? t('cases.amountInvalid') : amount === null && v.promiseDate ? t('casework.form.promiseBoth') : null,
    promiseDate: v.promiseAmount.trim() && !v.promiseDate ? t('casework.form.promiseBoth') : early ? t('apiMessages.promiseBeforeMadeOn', { date: madeOn }) : null,
    lateReason: late && mayEnterLate && !v.lateReason.trim() ? t('casework.form.lateReasonNeeded') : null,
  };
}

function toInput(caseId: number, v: AttemptValues): MethodInput<'contacts.log'> {
  const amount = yuanToFen(v.promiseAmount);
  const followUp = fromLocalInput(v.followUp);
  return {
    caseId,
    channel: v.channel,
    party: v.party === '' ? 'borrower' : 'contact',
    ...(v.party === '' ? {} : { contactSlot: v.party }),
    direction: v.direction,
    // Untouched, the time is the backend's now: the field's minute would reach back before a case placed seconds ago.
    ...(v.timeEdited ? { startedAt: fromLocalInput(v.startedAt)! } : {}),
    durationSec: Number(v.duration || '0'),
    outcome: v.outcome,
    ...(v.recordingRef.trim() ? { recordingRef: v.recordingRef.trim() } : {}),
    note: v.note.trim(),
    ...(followUp ? { nextFollowUpAt: followUp } : {}),
    ...(typeof amount === 'number' && v.promiseDate ? { promise: { amountFen: amount, date: v.promiseDate, ...(Number(v.promiseRepeat) >= 2 ? { repeat: { count: Number(v.promiseRepeat), everyMonths: 1 } } : {}) } } : {}),
    companions: v.channel === 'field_visit' ? v.companions : [],
    ...(v.lateReason.trim() ? { lateReason: v.lateReason.trim() } : {}),
  };
}

export function LogAttemptDialog({
  detail,
  party,
  outcomes,
  staff,
  onClose,
  onLogged,
}: {
  detail: CaseDetail;
  /** The party the form opens with: the borrower (null) or a contact's slot. */
  party: number | null;
  outcomes: string[];
  staff: Colleague[] | null;
  onClose: () => void;
  onLogged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const { session } = useSession();
  const [v, setV] = useState<AttemptValues>(() => ({
    channel: 'phone',
    party: party ?? '',
    direction: 'outbound',
    startedAt: toLocalInput(appNow()),
    timeEdited: false,
    duration: '',
    outcome: '',
    recordingRef: '',
    note: '',
    followUp: '',
    promiseAmount: '',
    promiseDate: '',
    promiseRepeat: '',
    companions: [],
    lateReason: '',
  }));
  const [windowMinutes, setWindowMinutes] = useState<number | null>(null);
  useEffect(() => {
    api.call('settings.get', {}).then(
      (s) => setWindowMinutes(s.attemptLateWindowMinutes),
      () => setWindowMinutes(null),
    );
  }, [api]);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<ViolationView[] | null>(null);
  const [granting, setGranting] = useState<string | null>(null);
  const mayEnterLate = mayEnterLateFor(session.user.role);
  const late = isLate(v, windowMinutes);
  const errors = useMemo(() => validate(t, v, late, mayEnterLate), [t, v, late, mayEnterLate]);
  const check = useAttemptCheck(detail.id, v);
  const set = (patch: Partial<AttemptValues>) => {
    setV((old) => ({ ...old, ...patch }));
    // The refusal was about what the attempt was; a different channel, party or time is a new question.
    if ('channel' in patch || 'party' in patch || 'startedAt' in patch || 'companions' in patch) setRefusal(null);
  };
  useEffect(() => setError(null), [v]);

  const submit = async (overrideId?: number) => {
    setTouched(true);
    if (Object.values(errors).some(Boolean)) return;
    setBusy(true);
    setError(null);
    try {
      const a = await api.call('contacts.log', { ...toInput(detail.id, v), ...(overrideId ? { overrideId } : {}) });
      notify(t('casework.logged', { id: a.id }));
      onLogged();
      onClose();
    } catch (e) {
      if (e instanceof ApiCallError && e.code === 'COMPLIANCE') setRefusal(e.violations ?? []);
      else setError(describeError(t, e));
      setBusy(false);
    }
  };

  // Ctrl+Enter (⌘+Enter) saves from any field, the keyboard-first way through Today.
  const saveOnCtrlEnter = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || busy) return;
    e.preventDefault();
    void submit();
  };

  return (
    <Dialog
      open
      onClose={() => !busy && onClose()}
      fullWidth
      maxWidth="md"
      slotProps={{ paper: { component: 'form', noValidate: true, 'data-testid': 'log-dialog', onSubmit: (e: FormEvent) => (e.preventDefault(), void submit()), onKeyDown: saveOnCtrlEnter } as object }}
    >
      <DialogTitle sx={{ pb: 0.5 }}>{t('casework.form.title', { caseNo: detail.caseNo, name: detail.borrowerName })}</DialogTitle>
      <DialogContent>
        {testClockStartedAt() ? (
          <Alert severity="warning" sx={{ mb: 1 }} data-testid="log-test-clock">
            {t('casework.testClockShort', { start: formatDateTime(testClockStartedAt()!, i18n.language) })}
          </Alert>
        ) : null}
        <AttemptFields v={v} set={set} errors={touched ? errors : {}} detail={detail} outcomes={outcomes} staff={staff} disabled={busy} late={late && mayEnterLate} />
        {late && !mayEnterLate ? (
          <Alert severity="warning" sx={{ mb: 1 }} data-testid="log-too-late">
            {t('casework.form.tooLate', { minutes: windowMinutes })}
          </Alert>
        ) : null}
        {refusal ? (
          <RefusalPanel violations={refusal} canOverride={session.permissions.includes('compliance.override')} busy={busy} onGrant={setGranting} onRetry={(id) => void submit(id)} />
        ) : (
          <CheckPanel check={check} />
        )}
        {error ? (
          <Alert severity="error" sx={{ mt: 1 }} data-testid="log-dialog-error">
            {error}
          </Alert>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Typography variant="caption" sx={{ color: 'text.secondary', mr: 'auto', pl: 2 }} data-testid="log-dialog-keys">
          {t('workday.keys.save')}
        </Typography>
        <Button onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" variant="contained" disabled={busy} data-testid="log-dialog-submit">
          {t('casework.form.submit')}
        </Button>
      </DialogActions>
      {granting ? (
        <OverrideDialog
          caseId={detail.id}
          rule={granting}
          onClose={() => setGranting(null)}
          onGranted={(g) => {
            notify(t('casework.override.grantedShort', { id: g.overrideId }));
            void submit(g.overrideId);
          }}
        />
      ) : null}
    </Dialog>
  );
}
