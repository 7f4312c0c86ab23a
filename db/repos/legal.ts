// Legal referral's SQL: referrals with their case, lender, collector, costs and event counts; the
// append-only events; the legal-cases list ordered by next date.
import type { Db } from '../open.js';

export interface ReferralRow {
  id: number;
  case_id: number;
  case_no: string;
  borrower_name: string;
  lender_name: string;
  lender_id: number;
  collector: string | null;
  collector_id: number | null;
  stage: string;
  law_firm: string;
  lawyer: string;
  referred_on: string;
  documents: string;
  court: string;
  court_case_no: string;
  status: string;
  next_date: string | null;
  next_what: string | null;
  cost_fen: number;
  events: number;
  created_by_name: string;
  created_at: string;
  updated_at: string;
}

export interface LegalEventRow {
  id: number;
  referral_id: number;
  kind: string;
  on_date: string;
  note: string;
  amount_fen: number | null;
  entered_by_name: string;
  entered_at: string;
}

export interface NewReferral {
  case_id: number;
  law_firm: string;
  lawyer: string;
  referred_on: string;
  documents: string;
  court: string;
  court_case_no: string;
  status: string;
  next_date: string | null;
  next_what: string | null;
  created_by: number;
  created_at: string;
}

export type ReferralChange = Pick<ReferralRow, 'law_firm' | 'lawyer' | 'court' | 'court_case_no' | 'status' | 'next_date' | 'next_what'>;

export interface ReferralFilter {
  caseId?: number | undefined;
  lenderId?: number | undefined;
  collectorId?: number | undefined;
  statuses: readonly string[];
  /** Only next dates before this day. */
  nextBefore?: string | undefined;
}

const SELECT = `SELECT r.id, r.case_id, c.case_no, c.borrower_name, l.name AS lender_name, c.lender_id, u.username AS collector, ca.collector_id, c.stage,
     r.law_firm, r.lawyer, r.referred_on, r.documents, r.court, r.court_case_no, r.status, r.next_date, r.next_what,
     (SELECT coalesce(sum(e.amount_fen), 0) FROM legal_events e WHERE e.referral_id = r.id AND e.kind = 'cost') AS cost_fen,
     (SELECT count(*) FROM legal_events e WHERE e.referral_id = r.id) AS events,
     cu.username AS created_by_name, r.created_at, r.updated_at
   FROM legal_referrals r JOIN cases c ON c.id = r.case_id JOIN lenders l ON l.id = c.lender_id JOIN users cu ON cu.id = r.created_by
     LEFT JOIN case_assignments ca ON ca.case_id = r.case_id LEFT JOIN users u ON u.id = ca.collector_id`;

export function legalRepo(db: Db) {
  const byId = db.prepare<[number], ReferralRow>(`${SELECT} WHERE r.id = ?`);
  const insert = db.prepare<NewReferral>(
    // audit_seq (here and for events): the entry the caller appends next in this transaction (migration 023).
    `INSERT INTO legal_referrals (case_id, law_firm, lawyer, referred_on, documents, court, court_case_no, status, next_date, next_what, created_by, created_at, updated_at, audit_seq)
     VALUES (@case_id, @law_firm, @lawyer, @referred_on, @documents, @court, @court_case_no, @status, @next_date, @next_what, @created_by, @created_at, @created_at, (SELECT coalesce(max(seq), 0) + 1 FROM audit_log))`,
  );
  const update = db.prepare<ReferralChange & { id: number; updated_at: string }>(
    `UPDATE legal_referrals SET law_firm = @law_firm, lawyer = @lawyer, court = @court, court_case_no = @court_case_no, status = @status,
       next_date = @next_date, next_what = @next_what, updated_at = @updated_at WHERE id = @id`,
  );
  const openOf = db.prepare<[number], { id: number }>("SELECT id FROM legal_referrals WHERE case_id = ? AND status <> 'closed' ORDER BY id DESC LIMIT 1");
  const events = db.prepare<[number], LegalEventRow>(
    `SELECT e.id, e.referral_id, e.kind, e.on_date, e.note, e.amount_fen, u.username AS entered_by_name, e.entered_at
     FROM legal_events e JOIN users u ON u.id = e.entered_by WHERE e.referral_id = ? ORDER BY e.on_date, e.id`,
  );
  const addEvent = db.prepare<[number, string, string, string, number | null, number, string]>(
    'INSERT INTO legal_events (referral_id, kind, on_date, note, amount_fen, entered_by, entered_at, audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM audit_log))',
  );

  return {
    referral: (id: number): ReferralRow | null => byId.get(id) ?? null,
    /** The case's referral that is not closed, if any. */
    openReferralOf: (caseId: number): number | null => openOf.get(caseId)?.id ?? null,
    addReferral: (r: NewReferral): number => Number(insert.run(r).lastInsertRowid),
    updateReferral: (id: number, c: ReferralChange, at: string): void => void update.run({ ...c, id, updated_at: at }),
    events: (referralId: number): LegalEventRow[] => events.all(referralId),
    addEvent: (referralId: number, kind: string, onDate: string, note: string, amountFen: number | null, by: number, at: string): number =>
      Number(addEvent.run(referralId, kind, onDate, note, amountFen, by, at).lastInsertRowid),
    /** Referrals by next date (soonest first, none last), then newest. */
    list(f: ReferralFilter, limit: number): ReferralRow[] {
      const where = [`r.status IN (${f.statuses.map(() => '?').join(', ')})`];
      const args: (string | number)[] = [...f.statuses];
      if (f.caseId !== undefined) (where.push('r.case_id = ?'), args.push(f.caseId));
      if (f.lenderId !== undefined) (where.push('c.lender_id = ?'), args.push(f.lenderId));
      if (f.collectorId !== undefined) (where.push('ca.collector_id = ?'), args.push(f.collectorId));
      if (f.nextBefore !== undefined) (where.push('r.next_date < ?'), args.push(f.nextBefore));
      return db
        .prepare<(string | number)[], ReferralRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY r.next_date IS NULL, r.next_date, r.id DESC LIMIT ?`)
        .all(...args, limit);
    },
  };
}
export type LegalRepo = ReturnType<typeof legalRepo>;
