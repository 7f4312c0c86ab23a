// Money's SQL: a case's money facts, payments and reversals, plans with their schedules, promises from
// the contact log, and the per-lender money settings.
import type { Db } from '../open.js';

export interface MoneyCase {
  id: number;
  lender_id: number;
  case_no: string;
  borrower_name: string;
  stage: string;
  status: string;
  collector_id: number | null;
  placed_on: string;
  overdue_amount_fen: number;
  placement_amount_fen: number | null;
  overdue_principal_fen: number | null;
  overdue_interest_fen: number | null;
  overdue_penalty_fen: number | null;
  overdue_late_fee_fen: number | null;
  terms: string;
  lender_terms: string;
  /** 1: someone entered the lender's terms (migration 012); reports' rows leave it out. */
  lender_terms_set?: number;
  /** The stored outstanding of the case's last money change (NULL: none since placement). */
  outstanding_fen?: number | null;
  approval: string;
  compliance: string;
}

export interface PaymentRow {
  id: number;
  case_id: number;
  case_no: string;
  paid_on: string;
  amount_fen: number;
  channel: string;
  payer: string;
  reference: string;
  note: string;
  source: 'agency' | 'lender_file';
  entered_by_name: string;
  entered_at: string;
  reverses_id: number | null;
  reversed_by_id: number | null;
}
export interface NewPayment {
  case_id: number;
  paid_on: string;
  amount_fen: number;
  channel: string;
  payer: string;
  reference: string;
  note: string;
  source: 'agency' | 'lender_file';
  file_id: number | null;
  file_row: number | null;
  entered_by: number;
  entered_at: string;
  reverses_id: number | null;
}

export interface PlanRow {
  id: number;
  case_id: number;
  case_no: string;
  borrower_name: string;
  kind: 'extension' | 'installments' | 'waiver';
  reason: string;
  proof_file_ids: string;
  as_of: string;
  owed_fen: number;
  waiver: string;
  waiver_fen: number;
  total_fen: number;
  grace_days: number;
  approver: 'manager' | 'lender';
  status: 'proposed' | 'awaiting_lender' | 'active' | 'completed' | 'broken' | 'rejected';
  proposed_by_name: string;
  proposed_at: string;
  decided_by_name: string | null;
  decided_at: string | null;
  decision_note: string | null;
  lender_approval: string | null;
  ended_on: string | null;
  letter_file_id: number | null;
}
export type NewPlan = Pick<PlanRow, 'case_id' | 'kind' | 'reason' | 'proof_file_ids' | 'as_of' | 'owed_fen' | 'waiver' | 'waiver_fen' | 'total_fen' | 'grace_days' | 'approver' | 'status' | 'proposed_at'> & { proposed_by: number };

export interface InstallmentRow {
  no: number;
  due_date: string;
  amount_fen: number;
}

export interface PromiseRow {
  attempt_id: number;
  case_id: number;
  case_no: string;
  borrower_name: string;
  collector: string;
  made_at: string;
  date: string;
  amount_fen: number;
  promise_count: number | null;
  promise_every_months: number | null;
}

export interface PromiseFilter {
  caseId?: number | undefined;
  collectorId?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export function moneyRepo(db: Db) {
  const moneyCase = db.prepare<[number], MoneyCase>(
    `SELECT c.id, c.lender_id, c.case_no, c.borrower_name, c.stage, c.status, ca.collector_id, coalesce(c.placed_on, b.placement_date) AS placed_on,
       c.overdue_amount_fen, c.placement_amount_fen, c.overdue_principal_fen, c.overdue_interest_fen, c.overdue_penalty_fen, c.overdue_late_fee_fen,
       c.terms, l.default_terms AS lender_terms, l.terms_set AS lender_terms_set, c.outstanding_fen, l.approval, l.compliance
     FROM cases c JOIN batches b ON b.id = c.batch_id JOIN lenders l ON l.id = c.lender_id LEFT JOIN case_assignments ca ON ca.case_id = c.id
     WHERE c.id = ?`,
  );
  const SELECT_PAYMENT = `SELECT p.id, p.case_id, c.case_no, p.paid_on, p.amount_fen, p.channel, p.payer, p.reference, p.note, p.source,
       u.username AS entered_by_name, p.entered_at, p.reverses_id, (SELECT r.id FROM payments r WHERE r.reverses_id = p.id) AS reversed_by_id
     FROM payments p JOIN cases c ON c.id = p.case_id JOIN users u ON u.id = p.entered_by`;
  const paymentsOf = db.prepare<[number], PaymentRow>(`${SELECT_PAYMENT} WHERE p.case_id = ? ORDER BY p.paid_on, p.id`);
  const payment = db.prepare<[number], PaymentRow>(`${SELECT_PAYMENT} WHERE p.id = ?`);
  const insertPayment = db.prepare<NewPayment>(
    // audit_seq: the entry the caller appends next in this transaction (migration 019; checked by `check`).
    `INSERT INTO payments (case_id, paid_on, amount_fen, channel, payer, reference, note, source, file_id, file_row, entered_by, entered_at, reverses_id, audit_seq)
     VALUES (@case_id, @paid_on, @amount_fen, @channel, @payer, @reference, @note, @source, @file_id, @file_row, @entered_by, @entered_at, @reverses_id, (SELECT coalesce(max(seq), 0) + 1 FROM audit_log))`,
  );
  const SELECT_PLAN = `SELECT p.*, c.case_no, c.borrower_name, pu.username AS proposed_by_name, du.username AS decided_by_name
     FROM plans p JOIN cases c ON c.id = p.case_id JOIN users pu ON pu.id = p.proposed_by LEFT JOIN users du ON du.id = p.decided_by`;
  const plansOf = db.prepare<[number], PlanRow>(`${SELECT_PLAN} WHERE p.case_id = ? ORDER BY p.id DESC`);
  const plan = db.prepare<[number], PlanRow>(`${SELECT_PLAN} WHERE p.id = ?`);
  const insertPlan = db.prepare<NewPlan>(
    // audit_seq: the plans.propose entry the caller appends next in this transaction (migration 023).
    `INSERT INTO plans (case_id, kind, reason, proof_file_ids, as_of, owed_fen, waiver, waiver_fen, total_fen, grace_days, approver, status, proposed_by, proposed_at, audit_seq)
     VALUES (@case_id, @kind, @reason, @proof_file_ids, @as_of, @owed_fen, @waiver, @waiver_fen, @total_fen, @grace_days, @approver, @status, @proposed_by, @proposed_at, (SELECT coalesce(max(seq), 0) + 1 FROM audit_log))`,
  );
  const insertInstallment = db.prepare<[number, number, string, number]>('INSERT INTO plan_installments (plan_id, no, due_date, amount_fen) VALUES (?, ?, ?, ?)');
  const installments = db.prepare<[number], InstallmentRow>('SELECT no, due_date, amount_fen FROM plan_installments WHERE plan_id = ? ORDER BY no');
  const decide = db.prepare<[string, number, string, string, string | null, number]>(
    'UPDATE plans SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?, lender_approval = ? WHERE id = ?',
  );
  const end = db.prepare<[string, string, number]>('UPDATE plans SET status = ?, ended_on = ? WHERE id = ?');
  const setLetter = db.prepare<[number, number]>('UPDATE plans SET letter_file_id = ? WHERE id = ?');
  const activeCaseIds = db.prepare<[], { case_id: number }>("SELECT DISTINCT case_id FROM plans WHERE status = 'active'");
  const settings = db.prepare<[number], { default_terms: string; terms_set: number; approval: string; commission: string; hotline: string; payment_account: string }>(
    'SELECT default_terms, terms_set, approval, commission, hotline, payment_account FROM lenders WHERE id = ?',
  );
  // Entered terms are the lender's from then on (terms_set), whatever they say.
  const setTerms = db.prepare<[string, number]>('UPDATE lenders SET default_terms = ?, terms_set = 1 WHERE id = ?');
  const setContact = db.prepare<[string, string, number]>('UPDATE lenders SET hotline = ?, payment_account = ? WHERE id = ?');
  const setOutstanding = db.prepare<[number | null, number]>('UPDATE case_rows SET outstanding_fen = ? WHERE id = ?');
  const hasMoneyRows = db.prepare<{ id: number }, { x: number }>(
    "SELECT 1 AS x WHERE EXISTS (SELECT 1 FROM payments WHERE case_id = @id) OR EXISTS (SELECT 1 FROM plans WHERE case_id = @id AND status IN ('active', 'completed', 'broken'))",
  );
  const moneyCaseIdsOfLender = db.prepare<[number], { id: number }>('SELECT id FROM cases WHERE lender_id = ? AND outstanding_fen IS NOT NULL');
  // Every payment and approved plan, by case: the one-time backfill of stored outstandings reads them in one pass.
  const allPayments = db.prepare<[], Pick<PaymentRow, 'id' | 'case_id' | 'paid_on' | 'amount_fen' | 'reverses_id' | 'reversed_by_id'>>(
    'SELECT p.id, p.case_id, p.paid_on, p.amount_fen, p.reverses_id, r.id AS reversed_by_id FROM payments p LEFT JOIN payments r ON r.reverses_id = p.id ORDER BY p.case_id',
  );
  // What the ledger reads of one case, without the names (the wide case row and users) the screens show.
  const ledgerPayments = db.prepare<[number], Pick<PaymentRow, 'id' | 'paid_on' | 'amount_fen' | 'reverses_id' | 'reversed_by_id'>>(
    'SELECT p.id, p.paid_on, p.amount_fen, p.reverses_id, r.id AS reversed_by_id FROM payments p LEFT JOIN payments r ON r.reverses_id = p.id WHERE p.case_id = ? ORDER BY p.paid_on, p.id',
  );
  const ledgerPlans = db.prepare<[number], PlanRow>("SELECT * FROM plans WHERE case_id = ? AND status IN ('active', 'completed', 'broken') ORDER BY id DESC");
  const allPlans = db.prepare<[], PlanRow>("SELECT * FROM plans WHERE status IN ('active', 'completed', 'broken') ORDER BY case_id");
  const setApproval = db.prepare<[string, number]>('UPDATE lenders SET approval = ? WHERE id = ?');
  const setCommission = db.prepare<[string, number]>('UPDATE lenders SET commission = ? WHERE id = ?');
  const setCaseTerms = db.prepare<[string, string, number]>('UPDATE case_rows SET terms = ?, updated_at = ? WHERE id = ?');
  const addresses = db.prepare<[number], { home_address: string | null; work_address: string | null; registered_address: string | null }>(
    'SELECT home_address, work_address, registered_address FROM cases WHERE id = ?',
  );
  const history = db.prepare<[number, string, number, string, string]>('INSERT INTO case_history (case_id, at, actor_id, kind, detail) VALUES (?, ?, ?, ?, ?)');

  return {
    moneyCase: (id: number): MoneyCase | null => moneyCase.get(id) ?? null,
    paymentsOf: (caseId: number): PaymentRow[] => paymentsOf.all(caseId),
    payment: (id: number): PaymentRow | null => payment.get(id) ?? null,
    addPayment: (p: NewPayment): number => Number(insertPayment.run(p).lastInsertRowid),
    plansOf: (caseId: number): PlanRow[] => plansOf.all(caseId),
    plan: (id: number): PlanRow | null => plan.get(id) ?? null,
    /** Plans in any of `statuses`, newest first; `collectorId` limits them to that collector's cases. */
    plansIn(statuses: readonly string[], collectorId: number | null, limit: number): PlanRow[] {
      const marks = statuses.map(() => '?').join(', ');
      const mine = collectorId === null ? '' : 'AND p.case_id IN (SELECT case_id FROM case_assignments WHERE collector_id = ?)';
      const args: (string | number)[] = [...statuses, ...(collectorId === null ? [] : [collectorId]), limit];
      return db.prepare<(string | number)[], PlanRow>(`${SELECT_PLAN} WHERE p.status IN (${marks}) ${mine} ORDER BY p.id DESC LIMIT ?`).all(...args);
    },
    addPlan(p: NewPlan, schedule: readonly { no: number; dueDate: string; amountFen: number }[]): number {
      const id = Number(insertPlan.run(p).lastInsertRowid);
      for (const i of schedule) insertInstallment.run(id, i.no, i.dueDate, i.amountFen);
      return id;
    },
    installments: (planId: number): InstallmentRow[] => installments.all(planId),
    decide: (id: number, status: string, by: number, at: string, note: string, lenderApproval: string | null): void => void decide.run(status, by, at, note, lenderApproval, id),
    endPlan: (id: number, status: 'completed' | 'broken', on: string): void => void end.run(status, on, id),
    setPlanLetter: (id: number, fileId: number): void => void setLetter.run(fileId, id),
    casesWithActivePlans: (): number[] => activeCaseIds.all().map((r) => r.case_id),
    settings: (lenderId: number) => settings.get(lenderId) ?? null,
    setLenderTerms: (lenderId: number, json: string): void => void setTerms.run(json, lenderId),
    setLenderContact: (lenderId: number, hotline: string, paymentAccount: string): void => void setContact.run(hotline, paymentAccount, lenderId),
    /** Stores a case's outstanding (null: nothing since placement, the placed total stands). */
    setOutstanding: (caseId: number, fen: number | null): void => void setOutstanding.run(fen, caseId),
    /** The case has payments or an approved (running, completed or broken) plan. */
    hasMoneyRows: (caseId: number): boolean => hasMoneyRows.get({ id: caseId }) !== undefined,
    /** The lender's cases with a stored outstanding (those a money change touched). */
    touchedCasesOfLender: (lenderId: number): number[] => moneyCaseIdsOfLender.all(lenderId).map((r) => r.id),
    allPayments: () => allPayments.all(),
    /** A case's payments and approved plans as the ledger reads them (balanceFrom). */
    ledgerRowsOf: (caseId: number) => ({ payments: ledgerPayments.all(caseId), plans: ledgerPlans.all(caseId) }),
    /** Approved plans (as plansOf gives them, without the case's and users' names, which the ledger does not read). */
    allApprovedPlans: (): PlanRow[] => allPlans.all(),
    /** The borrower's addresses as the file gave them (templates mask them). */
    addresses: (caseId: number) => addresses.get(caseId) ?? { home_address: null, work_address: null, registered_address: null },
    setLenderApproval: (lenderId: number, json: string): void => void setApproval.run(json, lenderId),
    setLenderCommission: (lenderId: number, json: string): void => void setCommission.run(json, lenderId),
    setCaseTerms: (caseId: number, json: string, at: string): void => void setCaseTerms.run(json, at, caseId),
    history: (caseId: number, at: string, actorId: number, kind: string, detail: Record<string, unknown>): void => void history.run(caseId, at, actorId, kind, JSON.stringify(detail)),
    /** Promises to pay in the contact log (entries a correction replaced do not count). */
    promises(f: PromiseFilter, limit: number): PromiseRow[] {
      const where = ['a.promise_amount_fen IS NOT NULL', 'NOT EXISTS (SELECT 1 FROM contact_attempts x WHERE x.corrects_id = a.id)'];
      const args: (string | number)[] = [];
      if (f.caseId !== undefined) (where.push('a.case_id = ?'), args.push(f.caseId));
      if (f.collectorId !== undefined) (where.push('a.case_id IN (SELECT case_id FROM case_assignments WHERE collector_id = ?)'), args.push(f.collectorId));
      if (f.from !== undefined) (where.push('(a.promise_date >= ? OR a.promise_count IS NOT NULL)'), args.push(f.from));
      if (f.to !== undefined) (where.push('a.promise_date <= ?'), args.push(f.to));
      return db
        .prepare<(string | number)[], PromiseRow>(
          `SELECT a.id AS attempt_id, a.case_id, c.case_no, c.borrower_name, u.username AS collector, a.started_at AS made_at, a.promise_date AS date, a.promise_amount_fen AS amount_fen,
             a.promise_count, a.promise_every_months
           FROM contact_attempts a JOIN cases c ON c.id = a.case_id JOIN users u ON u.id = a.collector_id
           WHERE ${where.join(' AND ')} ORDER BY a.promise_date DESC, a.id DESC LIMIT ?`,
        )
        .all(...args, limit);
    },
  };
}
export type MoneyRepo = ReturnType<typeof moneyRepo>;
