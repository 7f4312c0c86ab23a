// Casework's SQL: a case as the work screen needs it, stage changes, the contact log and its daily
// counts for the guardrails, and managers' overrides.
import type { Db } from '../open.js';

export interface WorkCase {
  id: number;
  lender_id: number;
  stage: string;
  status: string;
  id_number: string;
  mobile: string;
  contacts: string;
  quiet_hours_consent: number;
  compliance: string;
  collector_id: number | null;
  /** When the case came to the agency (first imported). */
  placed_at: string;
  /** When the current holder got it (their latest move in assignment_moves); null in the pool. */
  held_since: string | null;
}

export interface AttemptRow {
  id: number;
  case_id: number;
  logged_at: string;
  started_at: string;
  collector: string;
  collector_id: number;
  entered_by: number;
  entered_by_name: string;
  channel: string;
  party: 'borrower' | 'contact';
  contact_slot: number | null;
  relation: string | null;
  number: string | null;
  direction: 'outbound' | 'inbound';
  duration_sec: number;
  outcome: string;
  recording_ref: string | null;
  note: string;
  next_follow_up_at: string | null;
  promise_amount_fen: number | null;
  promise_date: string | null;
  promise_count: number | null;
  promise_every_months: number | null;
  companions: string;
  override_id: number | null;
  override_rule: string | null;
  /** A manager's reason for logging it after the window (migration 014). */
  late_reason: string | null;
  corrects_id: number | null;
  corrected_by_id: number | null;
}

export interface CaseFileRow {
  id: number;
  case_id: number;
  name: string;
  mime: string;
  bytes: number;
  sha256: string;
  note: string;
  uploaded_by: string;
  uploaded_at: string;
}

export interface TemplateRow {
  id: number;
  name: string;
  kind: 'sms' | 'letter';
  audience: 'borrower' | 'third_party';
  language: 'zh-CN' | 'en';
  body: string;
  updated_at: string;
}

export type NewAttempt = Omit<AttemptRow, 'id' | 'collector' | 'entered_by_name' | 'override_rule' | 'corrected_by_id' | 'late_reason'> & { late_reason?: string | null };

/** An attempt the compliance report looks at twice: entered late, or its times against quiet hours. */
export interface TimedAttemptRow {
  id: number;
  case_id: number;
  case_no: string;
  lender_id: number;
  collector: string;
  entered_by_name: string;
  channel: string;
  direction: string;
  started_at: string;
  logged_at: string;
  late_reason: string | null;
}

// Outcome codes are the agency's own (settings), so the counting statements take them as a JSON list.
const IN_CODES = 'SELECT value FROM json_each(?)';
// An entry a later one corrects no longer counts; its correction counts instead.
const CURRENT = 'NOT EXISTS (SELECT 1 FROM contact_attempts x WHERE x.corrects_id = a.id)';

export function caseworkRepo(db: Db) {
  const work = db.prepare<[number], WorkCase>(
    `SELECT c.id, c.lender_id, c.stage, c.status, c.id_number, c.mobile, c.contacts, c.quiet_hours_consent, l.compliance, ca.collector_id,
       c.created_at AS placed_at,
       (SELECT max(s.at) FROM assignment_moves m JOIN assignments s ON s.id = m.assignment_id WHERE m.case_id = c.id AND m.to_collector = ca.collector_id) AS held_since
     FROM cases c JOIN lenders l ON l.id = c.lender_id LEFT JOIN case_assignments ca ON ca.case_id = c.id WHERE c.id = ?`,
  );
  const setStage = db.prepare<[string, string, string | null, string, number]>('UPDATE case_rows SET stage = ?, status = ?, pause_reason = ?, updated_at = ? WHERE id = ?');
  // A stage move names the entry its caller appends next in this transaction (migration 023; checked by `check`).
  const history = db.prepare<[number, string, number, string, string]>(
    'INSERT INTO case_history (case_id, at, actor_id, kind, detail, audit_seq) VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM audit_log))',
  );
  const connected = db.prepare<[string, string, string, string], { n: number }>(
    `SELECT count(*) AS n FROM contact_attempts a JOIN cases c ON c.id = a.case_id
     WHERE c.id_number = ? AND a.channel = 'phone' AND a.party = 'borrower' AND a.direction = 'outbound' AND a.outcome IN (${IN_CODES})
       AND a.started_at >= ? AND a.started_at < ? AND ${CURRENT}`,
  );
  const unanswered = db.prepare<[string, string, string, string], { n: number }>(
    `SELECT count(*) AS n FROM contact_attempts a WHERE a.number = ? AND a.channel = 'phone' AND a.direction = 'outbound' AND a.outcome IN (${IN_CODES})
       AND a.started_at >= ? AND a.started_at < ? AND ${CURRENT}`,
  );
  const SELECT_ATTEMPT = `SELECT a.*, u.username AS collector, e.username AS entered_by_name, o.rule AS override_rule, (SELECT x.id FROM contact_attempts x WHERE x.corrects_id = a.id) AS corrected_by_id
     FROM contact_attempts a JOIN users u ON u.id = a.collector_id JOIN users e ON e.id = a.entered_by LEFT JOIN compliance_overrides o ON o.id = a.override_id`;
  const ofCase = db.prepare<[number], AttemptRow>(`${SELECT_ATTEMPT} WHERE a.case_id = ? ORDER BY a.started_at DESC, a.id DESC`);
  const byId = db.prepare<[number], AttemptRow>(`${SELECT_ATTEMPT} WHERE a.id = ?`);
  const insert = db.prepare(
    `INSERT INTO contact_attempts (case_id, logged_at, started_at, collector_id, entered_by, channel, party, contact_slot, relation, number, direction,
       duration_sec, outcome, recording_ref, note, next_follow_up_at, promise_amount_fen, promise_date, promise_count, promise_every_months, companions, override_id, corrects_id, late_reason, audit_seq)
     VALUES (@case_id, @logged_at, @started_at, @collector_id, @entered_by, @channel, @party, @contact_slot, @relation, @number, @direction,
       @duration_sec, @outcome, @recording_ref, @note, @next_follow_up_at, @promise_amount_fen, @promise_date, @promise_count, @promise_every_months, @companions, @override_id, @corrects_id, @late_reason,
       (SELECT coalesce(max(seq), 0) + 1 FROM audit_log))`,
  );
  const followUp = db.prepare<[string, number]>('UPDATE case_rows SET next_follow_up_at = ? WHERE id = ?');
  const promise = db.prepare<[string, number]>('UPDATE case_rows SET promise_due_date = ? WHERE id = ?');
  const override = db.prepare<[number], { id: number; case_id: number; rule: string; expires_at: string; used: number }>(
    'SELECT o.id, o.case_id, o.rule, o.expires_at, EXISTS (SELECT 1 FROM contact_attempts a WHERE a.override_id = o.id) AS used FROM compliance_overrides o WHERE o.id = ?',
  );
  const openOverrides = db.prepare<[number, string], { id: number; rule: string }>(
    `SELECT o.id, o.rule FROM compliance_overrides o WHERE o.case_id = ? AND o.expires_at > ?
       AND NOT EXISTS (SELECT 1 FROM contact_attempts a WHERE a.override_id = o.id) ORDER BY o.id`,
  );
  const addOverride = db.prepare<[number, string, string, number, string, string]>(
    'INSERT INTO compliance_overrides (case_id, rule, reason, granted_by, granted_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const lenderIds = db.prepare<[], { id: number }>('SELECT id FROM lenders');
  const compliance = db.prepare<[number], { compliance: string }>('SELECT compliance FROM lenders WHERE id = ?');
  const setCompliance = db.prepare<[string, number]>('UPDATE lenders SET compliance = ? WHERE id = ?');
  const reportAttempts = db.prepare<[string, string, string], { collector: string; attempts: number; connected: number }>(
    `SELECT u.username AS collector, count(*) AS attempts,
       sum(a.channel = 'phone' AND a.outcome IN (${IN_CODES})) AS connected
     FROM contact_attempts a JOIN users u ON u.id = a.collector_id
     WHERE a.started_at >= ? AND a.started_at < ? AND ${CURRENT} GROUP BY u.username`,
  );
  const reportOverrides = db.prepare<[string, string], { collector: string; rule: string; n: number }>(
    `SELECT u.username AS collector, o.rule, count(*) AS n FROM contact_attempts a JOIN users u ON u.id = a.collector_id
     JOIN compliance_overrides o ON o.id = a.override_id WHERE a.started_at >= ? AND a.started_at < ? GROUP BY 1, 2`,
  );
  const reportRefusals = db.prepare<[string, string], { collector: string; rule: string; n: number }>(
    `SELECT l.actor AS collector, r.value AS rule, count(*) AS n FROM audit_log l, json_each(l.detail, '$.rules') r
     WHERE l.action = 'contacts.refused' AND l.at >= ? AND l.at < ? GROUP BY 1, 2`,
  );
  // Per collector, borrower and local day (UTC+8): connected calls, to find the days at the limit.
  const perBorrowerDay = db.prepare<[string, string, string], { collector: string; n: number; lender_id: number }>(
    `SELECT u.username AS collector, count(*) AS n, c.lender_id FROM contact_attempts a JOIN users u ON u.id = a.collector_id JOIN cases c ON c.id = a.case_id
     WHERE a.outcome IN (${IN_CODES}) AND a.started_at >= ? AND a.started_at < ? AND a.channel = 'phone' AND a.party = 'borrower'
       AND ${CURRENT}
     GROUP BY u.username, c.id_number, date(a.started_at, '+8 hours')`,
  );
  // Entries of the period entered after the window (minutes), or with a late reason; and outbound entries
  // on real-time channels whose claimed or entry time falls in their lender's quiet hours. @zones: per
  // lender [id, UTC offset in minutes, quietFrom, quietUntil]; core re-checks each row it gets.
  const inQuiet = (t: string) =>
    `(CASE WHEN z.qf <= z.qu THEN time(${t}, z.off || ' minutes') >= z.qf AND time(${t}, z.off || ' minutes') < z.qu
       ELSE time(${t}, z.off || ' minutes') >= z.qf OR time(${t}, z.off || ' minutes') < z.qu END)`;
  const timed = db.prepare<{ from: string; to: string; window: number; zones: string }, TimedAttemptRow>(
    `WITH z AS (SELECT value ->> 0 AS lender_id, value ->> 1 AS off, value ->> 2 AS qf, value ->> 3 AS qu FROM json_each(@zones))
     SELECT a.id, a.case_id, c.case_no, c.lender_id, u.username AS collector, e.username AS entered_by_name, a.channel, a.direction,
       a.started_at, a.logged_at, a.late_reason
     FROM contact_attempts a JOIN cases c ON c.id = a.case_id JOIN z ON z.lender_id = c.lender_id
       JOIN users u ON u.id = a.collector_id JOIN users e ON e.id = a.entered_by
     WHERE a.started_at >= @from AND a.started_at < @to AND a.corrects_id IS NULL
       AND (a.late_reason IS NOT NULL OR (julianday(a.logged_at) - julianday(a.started_at)) * 1440 > @window
         OR (a.direction = 'outbound' AND a.channel IN ('phone', 'sms', 'field_visit', 'app_message') AND (${inQuiet('a.started_at')} OR ${inQuiet('a.logged_at')})))
     ORDER BY a.started_at, a.id`,
  );
  const outcomeUse = db.prepare<[], { outcome: string; n: number }>('SELECT outcome, count(*) AS n FROM contact_attempts GROUP BY outcome');
  const templates = db.prepare<[], TemplateRow>('SELECT * FROM message_templates ORDER BY kind, language, name');
  const template = db.prepare<[number], TemplateRow>('SELECT * FROM message_templates WHERE id = ?');
  const insertTemplate = db.prepare('INSERT INTO message_templates (name, kind, audience, language, body, updated_at) VALUES (@name, @kind, @audience, @language, @body, @now)');
  const updateTemplate = db.prepare('UPDATE message_templates SET name = @name, kind = @kind, audience = @audience, language = @language, body = @body, updated_at = @now WHERE id = @id');
  const deleteTemplate = db.prepare<[number]>('DELETE FROM message_templates WHERE id = ?');
  const escalation = db.prepare<[number], { escalation: string }>('SELECT escalation FROM lenders WHERE id = ?');
  const setEscalation = db.prepare<[string, number]>('UPDATE lenders SET escalation = ? WHERE id = ?');
  const FILE_COLS = 'f.id, f.case_id, f.name, f.mime, f.bytes, f.sha256, f.note, u.username AS uploaded_by, f.uploaded_at';
  const files = db.prepare<[number], CaseFileRow>(`SELECT ${FILE_COLS} FROM case_files f JOIN users u ON u.id = f.uploaded_by WHERE f.case_id = ? ORDER BY f.id DESC`);
  const file = db.prepare<[number], CaseFileRow & { data: Buffer }>(`SELECT ${FILE_COLS}, f.data FROM case_files f JOIN users u ON u.id = f.uploaded_by WHERE f.id = ?`);
  const addFile = db.prepare(
    'INSERT INTO case_files (case_id, name, mime, bytes, sha256, note, data, uploaded_by, uploaded_at) VALUES (@caseId, @name, @mime, @bytes, @sha256, @note, @data, @by, @at)',
  );
  return {
    files: (caseId: number): CaseFileRow[] => files.all(caseId),
    file: (id: number) => file.get(id) ?? null,
    addFile: (f: { caseId: number; name: string; mime: string; bytes: number; sha256: string; note: string; data: Buffer; by: number; at: string }): number =>
      Number(addFile.run(f).lastInsertRowid),
    lenderEscalation: (lenderId: number): string | null => escalation.get(lenderId)?.escalation ?? null,
    setLenderEscalation: (lenderId: number, json: string): void => void setEscalation.run(json, lenderId),
    templates: (): TemplateRow[] => templates.all(),
    template: (id: number): TemplateRow | null => template.get(id) ?? null,
    saveTemplate(id: number | undefined, t: Omit<TemplateRow, 'id' | 'updated_at'>, now: string): number {
      if (id === undefined) return Number(insertTemplate.run({ ...t, now }).lastInsertRowid);
      updateTemplate.run({ ...t, now, id });
      return id;
    },
    deleteTemplate: (id: number): boolean => deleteTemplate.run(id).changes > 0,
    /** `connectedCodes`: the agency's outcome codes of the connected class. */
    complianceReport: (from: string, to: string, connectedCodes: readonly string[]) => ({
      attempts: reportAttempts.all(JSON.stringify(connectedCodes), from, to),
      overrides: reportOverrides.all(from, to),
      refusals: reportRefusals.all(from, to),
      borrowerDays: perBorrowerDay.all(JSON.stringify(connectedCodes), from, to),
    }),
    /** The period's entries to judge for late entry (over `windowMinutes`) and quiet-hour claims. */
    timedAttempts: (from: string, to: string, windowMinutes: number, zones: [number, number, string, string][]): TimedAttemptRow[] =>
      timed.all({ from, to, window: windowMinutes, zones: JSON.stringify(zones) }),
    lenderIds: (): number[] => lenderIds.all().map((l) => l.id),
    lenderCompliance: (lenderId: number): string | null => compliance.get(lenderId)?.compliance ?? null,
    setLenderCompliance: (lenderId: number, json: string): void => void setCompliance.run(json, lenderId),
    workCase: (id: number): WorkCase | null => work.get(id) ?? null,
    setStage(id: number, stage: string, status: string, pauseReason: string | null, actorId: number, now: string, detail: Record<string, unknown>): void {
      setStage.run(stage, status, pauseReason, now, id);
      history.run(id, now, actorId, 'stage', JSON.stringify(detail));
    },
    connectedCallsOn: (idNumber: string, from: string, to: string, codes: readonly string[]): number => connected.get(idNumber, JSON.stringify(codes), from, to)!.n,
    unansweredOn: (number: string, from: string, to: string, codes: readonly string[]): number => unanswered.get(number, JSON.stringify(codes), from, to)!.n,
    /** How many contact-log entries used each outcome code. */
    outcomeUse: (): Map<string, number> => new Map(outcomeUse.all().map((r) => [r.outcome, r.n])),
    attemptsOf: (caseId: number): AttemptRow[] => ofCase.all(caseId),
    attempt: (id: number): AttemptRow | null => byId.get(id) ?? null,
    addAttempt: (a: NewAttempt): number => Number(insert.run({ ...a, late_reason: a.late_reason ?? null }).lastInsertRowid),
    setFollowUp: (caseId: number, at: string): void => void followUp.run(at, caseId),
    setPromiseDate: (caseId: number, date: string): void => void promise.run(date, caseId),
    override: (id: number) => override.get(id) ?? null,
    openOverrides: (caseId: number, now: string) => openOverrides.all(caseId, now),
    addOverride: (caseId: number, rule: string, reason: string, by: number, now: string, expires: string): number =>
      Number(addOverride.run(caseId, rule, reason, by, now, expires).lastInsertRowid),
  };
}
