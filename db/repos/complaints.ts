// Complaints' and case flags' SQL (migration 015): a complaint with its case, lender and people; the
// list with its filters; one case's flags; whether a case has a complaint that still holds contact.
import type { Db } from '../open.js';

export interface ComplaintRow {
  id: number;
  case_id: number;
  case_no: string;
  borrower_name: string;
  lender_id: number;
  lender_code: string;
  /** Who holds the case now (collectors see only their own cases' complaints). */
  collector_id: number | null;
  collector: string | null;
  channel: string;
  from_party: string;
  contact_slot: number | null;
  what: string;
  against_user_id: number | null;
  against: string | null;
  received_at: string;
  due_at: string;
  status: 'open' | 'answered' | 'closed';
  recorded_by_name: string;
  recorded_at: string;
  answer: string | null;
  answered_by_name: string | null;
  answered_at: string | null;
  closed_by_name: string | null;
  closed_at: string | null;
  close_note: string | null;
}

export interface NewComplaint {
  case_id: number;
  channel: string;
  from_party: string;
  contact_slot: number | null;
  what: string;
  against_user_id: number | null;
  received_at: string;
  due_at: string;
  recorded_by: number;
  recorded_at: string;
}

export interface ComplaintFilter {
  caseId?: number | undefined;
  /** Only complaints on cases this collector holds. */
  holderId?: number | undefined;
  /** Complaints made against this collector. */
  againstUserId?: number | undefined;
  lenderId?: number | undefined;
  status?: readonly string[] | undefined;
  /** Open and due before this instant. */
  overdueBefore?: string | undefined;
  limit: number;
}

const SELECT = `SELECT k.id, k.case_id, c.case_no, c.borrower_name, c.lender_id, l.code AS lender_code, a.collector_id, h.username AS collector,
    k.channel, k.from_party, k.contact_slot, k.what, k.against_user_id, g.username AS against, k.received_at, k.due_at, k.status,
    r.username AS recorded_by_name, k.recorded_at, k.answer, w.username AS answered_by_name, k.answered_at,
    x.username AS closed_by_name, k.closed_at, k.close_note
  FROM complaints k JOIN cases c ON c.id = k.case_id JOIN lenders l ON l.id = c.lender_id
  LEFT JOIN case_assignments a ON a.case_id = k.case_id LEFT JOIN users h ON h.id = a.collector_id
  LEFT JOIN users g ON g.id = k.against_user_id JOIN users r ON r.id = k.recorded_by
  LEFT JOIN users w ON w.id = k.answered_by LEFT JOIN users x ON x.id = k.closed_by`;

export function complaintsRepo(db: Db) {
  const insert = db.prepare<NewComplaint>(
    // audit_seq (here and for flags): the entry the caller appends next in this transaction (migration 023).
    `INSERT INTO complaints (case_id, channel, from_party, contact_slot, what, against_user_id, received_at, due_at, recorded_by, recorded_at, audit_seq)
     VALUES (@case_id, @channel, @from_party, @contact_slot, @what, @against_user_id, @received_at, @due_at, @recorded_by, @recorded_at, (SELECT coalesce(max(seq), 0) + 1 FROM audit_log))`,
  );
  const byId = db.prepare<[number], ComplaintRow>(`${SELECT} WHERE k.id = ?`);
  const answer = db.prepare<[string, number, string, number]>(`UPDATE complaints SET status = 'answered', answer = ?, answered_by = ?, answered_at = ? WHERE id = ? AND status = 'open'`);
  const close = db.prepare<[number, string, string, number]>(`UPDATE complaints SET status = 'closed', closed_by = ?, closed_at = ?, close_note = ? WHERE id = ? AND status = 'answered'`);
  const holding = db.prepare<[number], { n: number }>(`SELECT count(*) AS n FROM complaints WHERE case_id = ? AND status <> 'closed'`);
  const flagsOf = db.prepare<[number], { flag: string; set_at: string; set_by_name: string; note: string }>(
    `SELECT f.flag, f.set_at, u.username AS set_by_name, f.note FROM case_flags f JOIN users u ON u.id = f.set_by WHERE f.case_id = ? ORDER BY f.set_at`,
  );
  const setFlag = db.prepare<[number, string, number, string, string]>(`INSERT OR IGNORE INTO case_flags (case_id, flag, set_by, set_at, note, audit_seq) VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM audit_log))`);
  const clearFlag = db.prepare<[number, string]>(`DELETE FROM case_flags WHERE case_id = ? AND flag = ?`);
  const hasFlag = db.prepare<[number, string], { n: number }>(`SELECT count(*) AS n FROM case_flags WHERE case_id = ? AND flag = ?`);
  const openCount = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM complaints WHERE status = 'open'`);
  return {
    add: (k: NewComplaint): number => Number(insert.run(k).lastInsertRowid),
    byId: (id: number): ComplaintRow | null => byId.get(id) ?? null,
    /** False when it was not open (answered already, or closed). */
    answer: (id: number, text: string, by: number, at: string): boolean => answer.run(text, by, at, id).changes === 1,
    close: (id: number, by: number, at: string, note: string): boolean => close.run(by, at, note, id).changes === 1,
    /** Complaints on the case that still hold outbound contact (not closed). */
    holdingOn: (caseId: number): number => holding.get(caseId)!.n,
    openCount: (): number => openCount.get()!.n,
    list(f: ComplaintFilter): ComplaintRow[] {
      const where: string[] = [];
      const args: Record<string, unknown> = { limit: f.limit };
      if (f.caseId !== undefined) (where.push('k.case_id = @caseId'), (args.caseId = f.caseId));
      if (f.holderId !== undefined) (where.push('a.collector_id = @holderId'), (args.holderId = f.holderId));
      if (f.againstUserId !== undefined) (where.push('k.against_user_id = @againstUserId'), (args.againstUserId = f.againstUserId));
      if (f.lenderId !== undefined) (where.push('c.lender_id = @lenderId'), (args.lenderId = f.lenderId));
      if (f.status?.length) {
        where.push(`k.status IN (${f.status.map((_, i) => `@s${i}`).join(', ')})`);
        f.status.forEach((s, i) => (args[`s${i}`] = s));
      }
      if (f.overdueBefore !== undefined) (where.push(`k.status = 'open' AND k.due_at < @overdueBefore`), (args.overdueBefore = f.overdueBefore));
      // Unfinished first, soonest due first; then the finished, newest first.
      return db
        .prepare(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY k.status = 'closed', k.status = 'answered', k.due_at, k.id DESC LIMIT @limit`)
        .all(args) as ComplaintRow[];
    },
    flagsOf: (caseId: number) => flagsOf.all(caseId),
    hasFlag: (caseId: number, flag: string): boolean => hasFlag.get(caseId, flag)!.n > 0,
    /** True when the flag was not set before. */
    setFlag: (caseId: number, flag: string, by: number, at: string, note: string): boolean => setFlag.run(caseId, flag, by, at, note).changes === 1,
    clearFlag: (caseId: number, flag: string): boolean => clearFlag.run(caseId, flag).changes === 1,
  };
}
