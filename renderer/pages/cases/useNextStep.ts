// What the lender's escalation schedule asks of the case next. Roles that read lenders fetch the
// schedule (escalation.get) and compute it here; a collector cannot look up the lender's id, so the step
// comes from their own work queue, which the backend computes with the same schedule (null when the
// case is in no queue today — see the report's backend notes).
import { useEffect, useState } from 'react';
import { useApi, useSession } from '../../context.js';
import { nextStep } from '../../../shared/domain/casework/escalation.js';
import type { CaseDetail, QueueItem } from '../../../shared/contract/assignment.js';

export type NextStep = NonNullable<QueueItem['nextStep']>;

export function useNextStep(detail: CaseDetail | null): NextStep | null {
  const api = useApi();
  const { session } = useSession();
  const readsLenders = session.permissions.includes('lenders.read');
  const own = session.user.role === 'collector';
  const [step, setStep] = useState<NextStep | null>(null);
  const key = detail ? `${detail.id}:${detail.stage}:${detail.daysOverdue}` : '';

  useEffect(() => {
    setStep(null);
    if (!detail) return;
    let live = true;
    const find = async (): Promise<NextStep | null> => {
      if (readsLenders) {
        const lender = (await api.call('lenders.list', {})).lenders.find((l) => l.code === detail.lenderCode);
        if (!lender) return null;
        const { steps } = await api.call('escalation.get', { lenderId: lender.id });
        const s = nextStep(detail.daysOverdue, detail.stage, steps);
        return s && { action: s.step.action, fromDay: s.step.fromDay, behind: s.behind, inDays: s.inDays };
      }
      if (own) {
        const day = await api.call('queue.today', { limit: 1000 });
        return day.items.find((i) => i.caseId === detail.id)?.nextStep ?? null;
      }
      return null;
    };
    find().then(
      (s) => live && setStep(s),
      () => live && setStep(null),
    );
    return () => {
      live = false;
    };
    // The step changes with the stage and the day, not with every reload of the detail.
  }, [api, key, readsLenders, own]);

  return step;
}
