// Privacy's SQL (migration 020): a case's raw personal values (for unmasking one of them), the access
// report's views and unmasks from the audit log, cases due for erasure, and the erasure of one case.
import type { Db } from '../open.js';
import { ERASED_NAME, scrubDetail } from '../../shared/domain/privacy.js';

export interface RawCase {
  id: number;
  lender_id: number;
  case_no: string;
  status: string;
  erased_at: string | null;
  collector_id: number | null;
  id_number: string;
  mobile: string;
  home_address: string | null;
  work_address: string | null;
  registered_address: string | null;
  contacts: string;
  extra: string;
}

export interface ViewRow {
  at: string;
  actor: string;
  actor_id: number | null;
  role: string | null;
  case_id: number;
  case_no: string | null;
  holder_id: number | null;
  holder: string | null;
}

export interface UnmaskRow {
  at: string;
  actor: string;
  role: string | null;
  case_id: number;
  detail: string;
}

export interface FinishedRow {
  id: number;
  lender_code: string;
  case_no: string;
  status: string;
  retention: string;
  ended_at: string;
}

export interface ErasureRunRow {
  id: number;
  lender_id: number;
  lender_code: string;
  lender_name: string;
  started_at: string;
  started_by: string;
  finished_at: string | null;
  cases: number;
  path: string | null;
  fingerprint: string | null;
  manifest_sha256: string | null;
}

export function privacyRepo(db: Db) {
  const rawCase = db.prepare<[number], RawCase>(
    `SELECT c.id, c.lender_id, c.case_no, c.status, c.erased_at, ca.collector_id, c.id_number, c.mobile, c.home_address, c.work_address,
            c.registered_address, c.contacts, c.extra
       FROM cases c LEFT JOIN case_assignments ca ON ca.case_id = c.id WHERE c.id = ?`,
  );
  // The holder when the case was opened: the last move of an assignment made at or before that moment.
  const views = db.prepare<[string, string, number], ViewRow>(
    `SELECT v.*, h.username AS holder FROM (
       SELECT l.at, l.actor, l.actor_id, u.role, CAST(l.entity_id AS INTEGER) AS case_id, json_extract(l.detail, '$.caseNo') AS case_no,
              (SELECT m.to_collector FROM assignment_moves m JOIN assignments a ON a.id = m.assignment_id
                WHERE m.case_id = CAST(l.entity_id AS INTEGER) AND a.at <= l.at ORDER BY a.at DESC, a.id DESC LIMIT 1) AS holder_id
         FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
        WHERE l.action = 'cases.view' AND l.at >= ? AND l.at < ?) v
       LEFT JOIN users h ON h.id = v.holder_id
      WHERE v.holder_id IS NOT v.actor_id
      ORDER BY v.at LIMIT ?`,
  );
  const unmasks = db.prepare<[string, string, number], UnmaskRow>(
    `SELECT l.at, l.actor, u.role, CAST(l.entity_id AS INTEGER) AS case_id, l.detail
       FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
      WHERE l.action = 'cases.unmask' AND l.at >= ? AND l.at < ? ORDER BY l.at LIMIT ?`,
  );
  // The partial index of finished, not yet erased cases (migration 020): without INDEXED BY the planner
  // scans every case to return them in id order.
  const finished = (lenderId: number | null) =>
    db
      .prepare<unknown[], FinishedRow>(
        `SELECT c.id, l.code AS lender_code, c.case_no, c.status, l.retention,
                coalesce((SELECT max(h.at) FROM case_history h WHERE h.case_id = c.id AND h.kind = 'stage'), c.updated_at) AS ended_at
           FROM cases c INDEXED BY cases_finished JOIN lenders l ON l.id = c.lender_id
          WHERE c.status <> 'open' AND c.erased_at IS NULL ${lenderId === null ? '' : 'AND c.lender_id = ?'}
          ORDER BY c.id`,
      )
      .all(...(lenderId === null ? [] : [lenderId]));

  const s = {
    open: db.prepare('INSERT INTO erasure_open (case_id) VALUES (?)'),
    close: db.prepare('DELETE FROM erasure_open WHERE case_id = ?'),
    // id_number keeps a unique stand-in: '' would link every erased case to every other as one borrower.
    case: db.prepare(
      `UPDATE cases SET borrower_name = @name, id_number = '#' || id, mobile = '', gender = NULL, birth_date = NULL, province = NULL,
              home_address = NULL, work_address = NULL, registered_address = NULL, employer = NULL, notes = NULL, contacts = '[]',
              extra = '{}', pause_reason = NULL, erased_at = @at, erasure_run_id = @run WHERE id = @id AND erased_at IS NULL`,
    ),
    search: db.prepare('DELETE FROM case_search WHERE k BETWEEN @id * 8 AND @id * 8 + 7'),
    attempts: db.prepare("UPDATE contact_attempts SET note = '', recording_ref = NULL, number = NULL, relation = NULL, late_reason = NULL WHERE case_id = @id"),
    files: db.prepare("UPDATE case_files SET name = '', note = '', sha256 = '', data = X'' WHERE case_id = @id"),
    payments: db.prepare("UPDATE payments SET payer = '', reference = '', note = '' WHERE case_id = @id"),
    lenderPayments: db.prepare("UPDATE lender_payments SET payer = '', reference = '' WHERE case_id = @id"),
    plans: db.prepare("UPDATE plans SET reason = '', decision_note = NULL, lender_approval = NULL WHERE case_id = @id"),
    referrals: db.prepare("UPDATE legal_referrals SET documents = '[]', court_case_no = '', next_what = NULL WHERE case_id = @id"),
    events: db.prepare("UPDATE legal_events SET note = '' WHERE referral_id IN (SELECT id FROM legal_referrals WHERE case_id = @id)"),
    complaints: db.prepare("UPDATE complaints SET what = '', answer = NULL, close_note = NULL WHERE case_id = @id"),
    overrides: db.prepare("UPDATE compliance_overrides SET reason = '' WHERE case_id = @id"),
    flags: db.prepare("UPDATE case_flags SET note = '' WHERE case_id = @id"),
    recalls: db.prepare("UPDATE recall_cases SET reason = '' WHERE case_id = @id"),
    history: db.prepare<[number], { id: number; kind: string; detail: string }>('SELECT id, kind, detail FROM case_history WHERE case_id = ?'),
    setHistory: db.prepare('UPDATE case_history SET detail = ? WHERE id = ?'),
  };
  const runCols = `SELECT r.id, r.lender_id, l.code AS lender_code, l.name AS lender_name, r.started_at, u.username AS started_by, r.finished_at,
                          r.cases, r.path, r.fingerprint, r.manifest_sha256
                     FROM erasure_runs r JOIN lenders l ON l.id = r.lender_id JOIN users u ON u.id = r.started_by`;

  return {
    rawCase: (id: number) => rawCase.get(id),
    views: (fromIso: string, toIso: string, limit: number) => views.all(fromIso, toIso, limit),
    unmasks: (fromIso: string, toIso: string, limit: number) => unmasks.all(fromIso, toIso, limit),
    finished: (lenderId: number | null) => finished(lenderId),
    retention: (lenderId: number) => db.prepare<[number], { retention: string }>('SELECT retention FROM lenders WHERE id = ?').get(lenderId)?.retention,
    setRetention: (lenderId: number, json: string) => db.prepare('UPDATE lenders SET retention = ? WHERE id = ?').run(json, lenderId),
    lenders: () => db.prepare<[], { id: number; code: string; name: string; retention: string }>('SELECT id, code, name, retention FROM lenders ORDER BY code').all(),

    /** Erases one case's personal data; call inside a transaction (with its audit entry). False: already erased. */
    eraseCase(id: number, runId: number, at: string): boolean {
      s.open.run(id);
      const done = s.case.run({ id, name: ERASED_NAME, at, run: runId }).changes === 1;
      if (done) {
        for (const st of [s.search, s.attempts, s.files, s.payments, s.lenderPayments, s.plans, s.referrals, s.events, s.complaints, s.overrides, s.flags, s.recalls]) st.run({ id });
        for (const h of s.history.all(id)) s.setHistory.run(scrubDetail(h.kind, h.detail), h.id);
      }
      s.close.run(id);
      return done;
    },
    /** A batch's rejected rows (raw file rows) once none of its cases keeps personal data. */
    scrubRejections(caseId: number): number {
      return db
        .prepare(
          `UPDATE import_rejections SET raw = '{}' WHERE batch_id IN (SELECT batch_id FROM cases WHERE id = ?)
             AND NOT EXISTS (SELECT 1 FROM cases o WHERE o.batch_id = import_rejections.batch_id AND o.erased_at IS NULL)`,
        )
        .run(caseId).changes;
    },
    addRun: (lenderId: number, at: string, by: number) =>
      Number(db.prepare('INSERT INTO erasure_runs (lender_id, started_at, started_by) VALUES (?, ?, ?)').run(lenderId, at, by).lastInsertRowid),
    finishRun: (id: number, at: string, cases: number, path: string, fingerprint: string, manifestSha256: string) =>
      db.prepare('UPDATE erasure_runs SET finished_at = ?, cases = ?, path = ?, fingerprint = ?, manifest_sha256 = ? WHERE id = ?').run(at, cases, path, fingerprint, manifestSha256, id),
    closeEmptyRun: (id: number, at: string) => db.prepare('UPDATE erasure_runs SET finished_at = ?, cases = 0 WHERE id = ?').run(at, id),
    runs: () => db.prepare<[], ErasureRunRow>(`${runCols} ORDER BY r.id DESC LIMIT 200`).all(),
    run: (id: number) => db.prepare<[number], ErasureRunRow>(`${runCols} WHERE r.id = ?`).get(id),
    unfinishedRuns: () => db.prepare<[], ErasureRunRow>(`${runCols} WHERE r.finished_at IS NULL ORDER BY r.id`).all(),
    erasedIn: (runId: number) =>
      db
        .prepare<[number], { case_no: string; batch_no: string; status: string; stage: string; erased_at: string; overdue_amount_fen: number }>(
          `SELECT c.case_no, b.batch_no, c.status, c.stage, c.erased_at, c.overdue_amount_fen FROM cases c JOIN batches b ON b.id = c.batch_id
            WHERE c.erasure_run_id = ? ORDER BY c.case_no`,
        )
        .all(runId),
  };
}
