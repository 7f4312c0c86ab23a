// Privacy's SQL (migration 020): a case's raw personal values (for unmasking one of them), the access
// report's views and unmasks from the audit log, cases due for erasure, and the erasure of one case.
import { visibleCase } from './case-visibility.js';
import type { Db } from '../open.js';
import { ERASED_NAME, scrubDetail } from '../../shared/domain/privacy.js';
import { detailWithText } from './audit.js';

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
  // The note typed with an unmask is the entry's free text (audit_text, migration 022) while it is not erased.
  const unmasks = db.prepare<[string, string, number], UnmaskRow & { text: string | null }>(
    `SELECT l.at, l.actor, u.role, CAST(l.entity_id AS INTEGER) AS case_id, l.detail, CASE WHEN l.text_digest IS NOT NULL THEN t.text END AS text
       FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id LEFT JOIN audit_text t ON t.seq = l.seq
      WHERE l.action = 'cases.unmask' AND l.at >= ? AND l.at < ? ORDER BY l.at LIMIT ?`,
  );
  // The partial index of finished, not yet erased cases (migration 020): without INDEXED BY the planner
  // scans every case to return them in id order.
  const finished = (lenderId: number | null) =>
    db
      .prepare<unknown[], FinishedRow>(
        `SELECT c.id, l.code AS lender_code, c.case_no, c.status, l.retention,
                coalesce((SELECT max(h.at) FROM case_history h WHERE h.case_id = c.id AND h.kind = 'stage'), c.updated_at) AS ended_at
           FROM case_rows c INDEXED BY cases_finished JOIN lenders l ON l.id = c.lender_id
          WHERE c.status <> 'open' AND c.erased_at IS NULL AND ${visibleCase('c')} ${lenderId === null ? '' : 'AND c.lender_id = ?'}
          ORDER BY c.id`,
      )
      .all(...(lenderId === null ? [] : [lenderId]));

  const s = {
    open: db.prepare('INSERT INTO erasure_open (case_id) VALUES (?)'),
    close: db.prepare('DELETE FROM erasure_open WHERE case_id = ?'),
    // id_number keeps a unique stand-in: '' would link every erased case to every other as one borrower.
    case: db.prepare(
      `UPDATE case_rows SET borrower_name = @name, id_number = '#' || id, mobile = '', gender = NULL, birth_date = NULL, province = NULL,
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
    // A manual assignment's note (typed, may name the borrower) on every assignment that moved the case.
    assignNotes: db.prepare(
      `UPDATE assignments SET detail = json_set(detail, '$.note', NULL) WHERE kind = 'manual' AND json_extract(detail, '$.note') IS NOT NULL
          AND id IN (SELECT assignment_id FROM assignment_moves WHERE case_id = @id)`,
    ),
    history: db.prepare<[number], { id: number; kind: string; detail: string }>('SELECT id, kind, detail FROM case_history WHERE case_id = ?'),
    setHistory: db.prepare('UPDATE case_history SET detail = ? WHERE id = ?'),
    // The free text of the audit entries about the case (migration 022): its own, and those about several cases
    // that moved or recalled it (a manual assignment's note, a recall's reason and file name). Entries from
    // before 022 hold their text in the chain itself and keep it.
    auditText: [
      db.prepare('UPDATE audit_text SET salt = NULL, text = NULL, erased_run = @run, erased_at = @at WHERE case_id = @id AND text IS NOT NULL'),
      db.prepare(
        `UPDATE audit_text SET salt = NULL, text = NULL, erased_run = @run, erased_at = @at WHERE text IS NOT NULL AND seq IN (
           SELECT a.seq FROM audit_log a WHERE a.entity = 'assignment' AND a.action IN ('assign.manual', 'assign.recall')
              AND a.entity_id IN (SELECT CAST(m.assignment_id AS TEXT) FROM assignment_moves m WHERE m.case_id = @id))`,
      ),
      db.prepare(
        `UPDATE audit_text SET salt = NULL, text = NULL, erased_run = @run, erased_at = @at WHERE text IS NOT NULL AND seq IN (
           SELECT a.seq FROM audit_log a WHERE a.action = 'recalls.recall'
              AND json_extract(a.detail, '$.recallId') IN (SELECT recall_id FROM recall_cases WHERE case_id = @id))`,
      ),
    ],
  };
  const runCols = `SELECT r.id, r.lender_id, l.code AS lender_code, l.name AS lender_name, r.started_at, u.username AS started_by, r.finished_at,
                          r.cases, r.path, r.fingerprint, r.manifest_sha256
                     FROM erasure_runs r JOIN lenders l ON l.id = r.lender_id JOIN users u ON u.id = r.started_by`;

  return {
    rawCase: (id: number) => rawCase.get(id),
    views: (fromIso: string, toIso: string, limit: number) => views.all(fromIso, toIso, limit),
    unmasks: (fromIso: string, toIso: string, limit: number): UnmaskRow[] =>
      unmasks.all(fromIso, toIso, limit).map(({ text, ...x }) => ({ ...x, detail: detailWithText(x.detail, text) })),
    finished: (lenderId: number | null) => finished(lenderId),
    retention: (lenderId: number) => db.prepare<[number], { retention: string }>('SELECT retention FROM lenders WHERE id = ?').get(lenderId)?.retention,
    setRetention: (lenderId: number, json: string) => db.prepare('UPDATE lenders SET retention = ? WHERE id = ?').run(json, lenderId),
    lenders: () => db.prepare<[], { id: number; code: string; name: string; retention: string }>('SELECT id, code, name, retention FROM lenders ORDER BY code').all(),

    /** Erases one case's personal data; call inside a transaction (with its audit entry). False: already erased. */
    eraseCase(id: number, runId: number, at: string): boolean {
      s.open.run(id);
      const done = s.case.run({ id, name: ERASED_NAME, at, run: runId }).changes === 1;
      if (done) {
        for (const st of [s.search, s.attempts, s.files, s.payments, s.lenderPayments, s.plans, s.referrals, s.events, s.complaints, s.overrides, s.flags, s.recalls, s.assignNotes]) st.run({ id });
        for (const h of s.history.all(id)) s.setHistory.run(scrubDetail(h.kind, h.detail), h.id);
        for (const st of s.auditText) st.run({ id, run: runId, at });
      }
      s.close.run(id);
      return done;
    },
    /**
     * After a run: a batch's rejected rows (raw file rows) and a recall's own reason and file name (its cases'
     * reasons go with each case) once none of their cases keeps personal data. Once per run, not per case: per case
     * the "none left" test walks the erased cases again each time (quadratic on a 10k-case recall).
     */
    scrubFinishedGroups(): { rejections: number; recalls: number } {
      const rejections = db
        .prepare(
          `UPDATE import_rejections SET raw = '{}' WHERE raw <> '{}' AND batch_id IN (SELECT DISTINCT batch_id FROM case_rows INDEXED BY cases_erasure_run WHERE erasure_run_id IS NOT NULL)
             AND NOT EXISTS (SELECT 1 FROM cases o WHERE o.batch_id = import_rejections.batch_id AND o.erased_at IS NULL)`,
        )
        .run().changes;
      const recalls = db
        .prepare(
          `UPDATE recalls SET reason = '', file_name = NULL WHERE (reason <> '' OR file_name IS NOT NULL) AND EXISTS (SELECT 1 FROM recall_cases rc WHERE rc.recall_id = recalls.id)
             AND NOT EXISTS (SELECT 1 FROM recall_cases rc JOIN cases o ON o.id = rc.case_id WHERE rc.recall_id = recalls.id AND o.erased_at IS NULL)`,
        )
        .run().changes;
      return { rejections, recalls };
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
