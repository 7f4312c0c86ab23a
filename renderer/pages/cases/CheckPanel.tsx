// The answer to "may I make this attempt now?" (contacts.check), asked again whenever what the answer
// depends on changes: channel, party, time, companions. Shown as a warning the collector reads before
// dialling; it never blocks the form (the backend decides at submit).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { fromLocalInput } from '../../casework.js';
import { ViolationList, type ViolationView } from './ViolationList.js';
import type { AttemptValues } from './AttemptFields.js';

export type CheckState = { state: 'idle' } | { state: 'checking' } | { state: 'done'; violations: ViolationView[]; localTime: string } | { state: 'failed'; error: unknown };

const DEBOUNCE_MS = 250;

export function useAttemptCheck(caseId: number, v: AttemptValues): CheckState {
  const api = useApi();
  const [check, setCheck] = useState<CheckState>({ state: 'idle' });
  const startedAt = fromLocalInput(v.startedAt);
  const companions = v.channel === 'field_visit' ? v.companions.join(',') : '';

  useEffect(() => {
    if (!startedAt) return setCheck({ state: 'idle' });
    let live = true;
    setCheck({ state: 'checking' });
    const timer = setTimeout(() => {
      api
        .call('contacts.check', {
          caseId,
          channel: v.channel,
          party: v.party === '' ? 'borrower' : 'contact',
          ...(v.party === '' ? {} : { contactSlot: v.party }),
          direction: v.direction,
          ...(v.timeEdited ? { startedAt } : {}),
          companions: companions ? companions.split(',').map(Number) : [],
        })
        .then(
          (r) => live && setCheck({ state: 'done', violations: r.violations, localTime: r.localTime }),
          (e: unknown) => live && setCheck({ state: 'failed', error: e }),
        );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, caseId, v.channel, v.party, v.direction, v.timeEdited, startedAt, companions]);

  return check;
}

export function CheckPanel({ check }: { check: CheckState }) {
  const { t } = useTranslation();
  if (check.state === 'failed') {
    return (
      <Alert severity="info" data-testid="log-check-failed">
        {describeError(t, check.error)}
      </Alert>
    );
  }
  // No valid time yet: the field shows its own error, there is nothing to ask.
  if (check.state === 'idle') return null;
  if (check.state !== 'done') {
    return (
      <Alert severity="info" icon={false} data-testid="log-check-pending">
        {t('casework.form.checking')}
      </Alert>
    );
  }
  if (check.violations.length === 0) {
    return (
      <Alert severity="success" data-testid="log-check-ok">
        {t('casework.form.allowed', { time: check.localTime })}
      </Alert>
    );
  }
  return (
    <Alert severity="warning" data-testid="log-check-warn">
      <AlertTitle>{t('casework.form.willBreak', { time: check.localTime })}</AlertTitle>
      <ViolationList violations={check.violations} testId="check-rules" />
    </Alert>
  );
}
