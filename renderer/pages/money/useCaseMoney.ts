// A case's money for its Money panel: the balance on a chosen date, payments and reversals, plans with
// their installments, promises to pay, and the case's files (proof for a plan). Reloaded together after
// anything that changes them.
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../context.js';
import type { BalanceView, Payment, Plan, PromiseView } from '../../../shared/contract/money.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

export type CaseFile = MethodOutput<'cases.files'>['files'][number];

export interface CaseMoney {
  balance: BalanceView | null;
  payments: Payment[];
  plans: Plan[];
  promises: PromiseView[];
  files: CaseFile[];
  error: unknown;
  reload: () => Promise<void>;
}

export function useCaseMoney(caseId: number, asOf: string): CaseMoney {
  const api = useApi();
  const [balance, setBalance] = useState<BalanceView | null>(null);
  const [payments, setPayments] = useState<Payment[]>([]);
  const [plans, setPlans] = useState<Plan[]>([]);
  const [promises, setPromises] = useState<PromiseView[]>([]);
  const [files, setFiles] = useState<CaseFile[]>([]);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(async () => {
    try {
      const [b, p, pl, pr, f] = await Promise.all([
        api.call('money.balance', { caseId, ...(asOf ? { asOf } : {}) }),
        api.call('payments.list', { caseId }),
        api.call('plans.list', { caseId }),
        api.call('promises.list', { caseId }),
        api.call('cases.files', { caseId }),
      ]);
      setBalance(b);
      setPayments(p.payments);
      setPlans(pl.plans);
      setPromises(pr.promises);
      setFiles(f.files);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, caseId, asOf]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { balance, payments, plans, promises, files, error, reload };
}
