// Recalls' SQL (退案): which of a lender's case numbers exist and their stage, the recall record, the
// cases it closed (with the stage each had), and the return report's rows.
import type { Db } from '../open.js';

export interface RecallRow {
  id: number;
  lender_id: number;
  lender: string;
  source: 'file' | 'selection';
  file_name: string | null;
  sha256: string | null;
  reason: string;
  cases: number;
  rejections: string;
  recalled_by: string;
  recalled_at: string;
}

export function recallsRepo(db: Db) {
  const byCaseNo = db.prepare<[number, string], { id: number; stage: string; status: string }>('SELECT id, stage, status FROM cases WHERE lender_id = ? AND case_no = ?');
  const byId = db.prepare<[number], { id: number; lender_id: number; case_no: string; stage: string; status: string }>('SELECT id, lender_id, case_no, stage, status FROM cases WHERE id = ?');
  const insert = db.prepare(
    // audit_seq: the recalls.recall entry the caller appends next in this transaction (migration 023).
    `INSERT INTO recalls (lender_id, source, file_name, sha256, reason, cases, rejections, recalled_by, recalled_at, audit_seq)
     VALUES (@lender_id, @source, @file_name, @sha256, @reason, @cases, @rejections, @recalled_by, @recalled_at, (SELECT coalesce(max(seq), 0) + 1 FROM audit_log))`,
  );
  const insertCase = db.prepare<[number, number, string, string]>('INSERT INTO recall_cases (recall_id, case_id, stage_before, reason) VALUES (?, ?, ?, ?)');
  const SELECT = `SELECT r.*, l.code AS lender, u.username AS recalled_by FROM recalls r JOIN lenders l ON l.id = r.lender_id JOIN users u ON u.id = r.recalled_by`;
  const list = db.prepare<[number | null, number | null, number], RecallRow>(`${SELECT} WHERE (? IS NULL OR r.lender_id = ?) ORDER BY r.id DESC LIMIT ?`);
  const one = db.prepare<[number], RecallRow>(`${SELECT} WHERE r.id = ?`);
  const sameFile = db.prepare<[number, string], { id: number }>('SELECT id FROM recalls WHERE lender_id = ? AND sha256 = ?');
  const casesOf = db.prepare<[number], { case_id: number; case_no: string; borrower_name: string; stage_before: string; reason: string; overdue_amount_fen: number }>(
    `SELECT rc.case_id, c.case_no, c.borrower_name, rc.stage_before, rc.reason, c.overdue_amount_fen FROM recall_cases rc JOIN cases c ON c.id = rc.case_id WHERE rc.recall_id = ? ORDER BY c.case_no`,
  );
  return {
    caseByNo: (lenderId: number, caseNo: string) => byCaseNo.get(lenderId, caseNo) ?? null,
    caseById: (id: number) => byId.get(id) ?? null,
    add: (r: { lender_id: number; source: 'file' | 'selection'; file_name: string | null; sha256: string | null; reason: string; cases: number; rejections: string; recalled_by: number; recalled_at: string }): number =>
      Number(insert.run(r).lastInsertRowid),
    addCase: (recallId: number, caseId: number, stageBefore: string, reason: string): void => void insertCase.run(recallId, caseId, stageBefore, reason),
    list: (lenderId: number | null, limit: number): RecallRow[] => list.all(lenderId, lenderId, limit),
    recall: (id: number): RecallRow | null => one.get(id) ?? null,
    fileSeen: (lenderId: number, sha256: string): number | null => sameFile.get(lenderId, sha256)?.id ?? null,
    casesOf: (recallId: number) => casesOf.all(recallId),
  };
}
