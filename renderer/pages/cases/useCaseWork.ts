// The data of one open case: its detail (cases.get, which the backend logs as a view) and its contact
// log (contacts.list). They reload separately: logging an attempt does not need to log another view.
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../context.js';
import type { CaseDetail } from '../../../shared/contract/assignment.js';
import type { Attempt } from '../../../shared/contract/casework.js';

export interface CaseWork {
  detail: CaseDetail | null;
  attempts: Attempt[];
  outcomes: string[];
  error: unknown;
  reloadDetail: () => Promise<void>;
  reloadAttempts: () => Promise<void>;
}

export function useCaseWork(caseId: number | null): CaseWork {
  const api = useApi();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [attempts, setAttempts] = useState<Attempt[]>([]);
  const [outcomes, setOutcomes] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);

  const reloadDetail = useCallback(async () => {
    if (caseId === null) return;
    try {
      setDetail(await api.call('cases.get', { id: caseId }));
    } catch (e) {
      setError(e);
    }
  }, [api, caseId]);

  const reloadAttempts = useCallback(async () => {
    if (caseId === null) return;
    try {
      const r = await api.call('contacts.list', { caseId });
      setAttempts(r.attempts);
      setOutcomes(r.outcomes);
    } catch (e) {
      setError(e);
    }
  }, [api, caseId]);

  useEffect(() => {
    setDetail(null);
    setAttempts([]);
    setError(null);
    if (caseId === null) return;
    let live = true;
    Promise.all([api.call('cases.get', { id: caseId }), api.call('contacts.list', { caseId })]).then(
      ([d, c]) => {
        if (!live) return;
        setDetail(d);
        setAttempts(c.attempts);
        setOutcomes(c.outcomes);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [api, caseId]);

  return { detail, attempts, outcomes, error, reloadDetail, reloadAttempts };
}
