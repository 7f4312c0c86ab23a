// Repayment files (回款) and what the lender reported in them, row by row; the agency's own payments a
// reported row may match; the figures for reconciliation and the commission statement.
import type { Db } from '../open.js';

export interface RepaymentFileRow {
  id: number;
  lender_id: number;
  lender_code: string;
  file_name: string;
  sha256: string;
  imported_by_name: string;
  imported_at: string;
  rows_total: number;
  matched: number;
  posted: number;
  rejected: number;
  rejections: string;
  amount_fen: number;
}

export interface NewRepaymentFile {
  lender_id: number;
  file_name: string;
  sha256: string;
  imported_by: number;
  imported_at: string;
  rows_total: number;
  matched: number;
  posted: number;
  rejected: number;
  rejections: string;
}

export interface NewLenderPayment {
  file_id: number;
  row_no: number;
  case_id: number;
  paid_on: string;
  amount_fen: number;
  channel: string;
  payer: string;
  reference: string;
  payment_id: number | null;
}

export interface CaseForRepayment {
  id: number;
  case_no: string;
  stage: string;
  placed_on: string;
}

export interface ReportedRowDb {
  id: number;
  case_id: number;
  case_no: string;
  paid_on: string;
  amount_fen: number;
  file_id: number;
  file_name: string;
  row_no: number;
  reference: string;
  payment_id: number | null;
  payment_source: 'agency' | 'lender_file' | null;
  reversed: number;
}

export interface AgencyPaymentDb {
  id: number;
  case_id: number;
  case_no: string;
  paid_on: string;
  amount_fen: number;
  reference: string;
  linked: number;
}

export interface CommissionPaymentDb {
  id: number;
  case_id: number;
  case_no: string;
  paid_on: string;
  amount_fen: number;
  source: 'agency' | 'lender_file';
  days_overdue: number | null;
  reverses_id: number | null;
  reversed: number;
}

/** A payment that stands: neither a reversal nor reversed. (`+` keeps SQLite off the reverses_id index,
 *  which for IS NULL would walk every payment.) */
const STANDS = (p: string) => `+${p}.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = ${p}.id)`;

export function repaymentsRepo(db: Db) {
  const SELECT_FILE = `SELECT f.id, f.lender_id, l.code AS lender_code, f.file_name, f.sha256, u.username AS imported_by_name, f.imported_at,
       f.rows_total, f.matched, f.posted, f.rejected, f.rejections,
       (SELECT COALESCE(SUM(lp.amount_fen), 0) FROM lender_payments lp WHERE lp.file_id = f.id) AS amount_fen
     FROM repayment_files f JOIN lenders l ON l.id = f.lender_id JOIN users u ON u.id = f.imported_by`;
  const file = db.prepare<[number], RepaymentFileRow>(`${SELECT_FILE} WHERE f.id = ?`);
  const bySha = db.prepare<[number, string], RepaymentFileRow>(`${SELECT_FILE} WHERE f.lender_id = ? AND f.sha256 = ?`);
  const insertFile = db.prepare<NewRepaymentFile>(
    `INSERT INTO repayment_files (lender_id, file_name, sha256, imported_by, imported_at, rows_total, matched, posted, rejected, rejections)
     VALUES (@lender_id, @file_name, @sha256, @imported_by, @imported_at, @rows_total, @matched, @posted, @rejected, @rejections)`,
  );
  const insertRow = db.prepare<NewLenderPayment>(
    `INSERT INTO lender_payments (file_id, row_no, case_id, paid_on, amount_fen, channel, payer, reference, payment_id)
     VALUES (@file_id, @row_no, @case_id, @paid_on, @amount_fen, @channel, @payer, @reference, @payment_id)`,
  );
  const caseByNo = db.prepare<[string, number], CaseForRepayment>(
    'SELECT c.id, c.case_no, c.stage, coalesce(c.placed_on, b.placement_date) AS placed_on FROM cases c JOIN batches b ON b.id = c.batch_id WHERE c.case_no = ? AND c.lender_id = ?',
  );
  // The agency's own standing payments on a case that no reported row has matched yet.
  const candidates = db.prepare<[number], { id: number; paid_on: string; amount_fen: number }>(
    `SELECT p.id, p.paid_on, p.amount_fen FROM payments p
     WHERE p.case_id = ? AND p.source = 'agency' AND ${STANDS('p')} AND NOT EXISTS (SELECT 1 FROM lender_payments lp WHERE lp.payment_id = p.id)
     ORDER BY p.id`,
  );
  const sameReference = db.prepare<[number, string], { file_name: string; row_no: number }>(
    `SELECT f.file_name, lp.row_no FROM lender_payments lp JOIN repayment_files f ON f.id = lp.file_id WHERE lp.case_id = ? AND lp.reference = ? LIMIT 1`,
  );
  const rowsOf = db.prepare<[number], { row_no: number; case_id: number; case_no: string; amount_fen: number; paid_on: string; payment_id: number | null; source: string | null }>(
    `SELECT lp.row_no, lp.case_id, c.case_no, lp.amount_fen, lp.paid_on, lp.payment_id, p.source
     FROM lender_payments lp JOIN cases c ON c.id = lp.case_id LEFT JOIN payments p ON p.id = lp.payment_id WHERE lp.file_id = ? ORDER BY lp.row_no`,
  );
  const reported = db.prepare<[number, string, string], ReportedRowDb>(
    `SELECT lp.id, lp.case_id, c.case_no, lp.paid_on, lp.amount_fen, lp.file_id, f.file_name, lp.row_no, lp.reference, lp.payment_id,
       p.source AS payment_source, EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = lp.payment_id) AS reversed
     FROM lender_payments lp JOIN repayment_files f ON f.id = lp.file_id JOIN cases c ON c.id = lp.case_id LEFT JOIN payments p ON p.id = lp.payment_id
     WHERE f.lender_id = ? AND lp.paid_on BETWEEN ? AND ? ORDER BY lp.paid_on, lp.id`,
  );
  const agency = db.prepare<[number, string, string], AgencyPaymentDb>(
    `SELECT p.id, p.case_id, c.case_no, p.paid_on, p.amount_fen, p.reference,
       EXISTS (SELECT 1 FROM lender_payments lp WHERE lp.payment_id = p.id) AS linked
     FROM payments p JOIN cases c ON c.id = p.case_id
     WHERE c.lender_id = ? AND p.paid_on BETWEEN ? AND ? AND p.source = 'agency' AND ${STANDS('p')} ORDER BY p.paid_on, p.id`,
  );
  const monthPayments = db.prepare<[number, string, string], CommissionPaymentDb>(
    `SELECT p.id, p.case_id, c.case_no, p.paid_on, p.amount_fen, p.source, c.days_overdue, p.reverses_id,
       EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = p.id) AS reversed
     FROM payments p JOIN cases c ON c.id = p.case_id
     WHERE c.lender_id = ? AND p.paid_on BETWEEN ? AND ? ORDER BY p.paid_on, p.id`,
  );

  return {
    file: (id: number): RepaymentFileRow | null => file.get(id) ?? null,
    fileBySha: (lenderId: number, sha256: string): RepaymentFileRow | null => bySha.get(lenderId, sha256) ?? null,
    files(lenderId: number | undefined, limit: number): RepaymentFileRow[] {
      const where = lenderId === undefined ? '' : 'WHERE f.lender_id = ?';
      return db.prepare<(number | string)[], RepaymentFileRow>(`${SELECT_FILE} ${where} ORDER BY f.id DESC LIMIT ?`).all(...(lenderId === undefined ? [] : [lenderId]), limit);
    },
    addFile: (f: NewRepaymentFile): number => Number(insertFile.run(f).lastInsertRowid),
    addRow: (r: NewLenderPayment): void => void insertRow.run(r),
    caseByNo: (lenderId: number, caseNo: string): CaseForRepayment | null => caseByNo.get(caseNo, lenderId) ?? null,
    candidates: (caseId: number) => candidates.all(caseId).map((p) => ({ id: p.id, paidOn: p.paid_on, amountFen: p.amount_fen })),
    /** A row with this non-empty reference on this case in an earlier file of the lender. */
    sameReference: (caseId: number, reference: string) => sameReference.get(caseId, reference) ?? null,
    rowsOf: (fileId: number) => rowsOf.all(fileId),
    reported: (lenderId: number, from: string, to: string): ReportedRowDb[] => reported.all(lenderId, from, to),
    agencyPayments: (lenderId: number, from: string, to: string): AgencyPaymentDb[] => agency.all(lenderId, from, to),
    monthPayments: (lenderId: number, from: string, to: string): CommissionPaymentDb[] => monthPayments.all(lenderId, from, to),
  };
}
export type RepaymentsRepo = ReturnType<typeof repaymentsRepo>;
