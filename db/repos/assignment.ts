// Assignment's SQL: the selected cases, who already holds each borrower, the moves (with case history),
// the assignment log and the automatic rules.
import { visibleCase } from './case-visibility.js';
import type { Db } from '../open.js';
import type { AssignRuleDef, Pool, Selection } from '../../shared/contract/assignment.js';
import type { AssignRule } from '../../shared/domain/assignment/plan.js';

/**
 * The WHERE clause for a selection over `cases AS <a>` joined with `case_assignments AS <a>a`; open cases only.
 */
function selectionWhere(sel: Selection, a: string): { sql: string; args: Record<string, unknown> } {
  const where = [`${a}.status = 'open'`];
  const args: Record<string, unknown> = {};
  const add = (cond: string, key: string, value: unknown) => {
    if (value === undefined) return;
    where.push(cond);
    args[key] = value;
  };
  add(`${a}.id IN (SELECT value FROM json_each(@caseIds))`, 'caseIds', sel.caseIds && JSON.stringify(sel.caseIds));
  add(`${a}.lender_id = @lenderId`, 'lenderId', sel.lenderId);
  add(`${a}.batch_id = @batchId`, 'batchId', sel.batchId);
  add(`${a}.bucket = @bucket`, 'bucket', sel.bucket);
  add(`${a}.overdue_amount_fen >= @minAmount`, 'minAmount', sel.minAmountFen);
  add(`${a}.overdue_amount_fen <= @maxAmount`, 'maxAmount', sel.maxAmountFen);
  add(`${a}a.collector_id = @collectorId`, 'collectorId', sel.collectorId);
  if (sel.unassignedOnly) where.push(`${a}a.collector_id IS NULL`);
  return { sql: where.join(' AND '), args };
}

/**
 * Open assigned cases with their amounts, read from two narrow places in case order: the partial index
 * cases_open_amount, then case_assignments by key (CROSS JOIN fixes that order). Looking up the wide
 * case rows per collector instead took 6.7 s for 600,000 cases.
 */
export const OPEN_WORKLOAD = `FROM case_rows c INDEXED BY cases_open_amount CROSS JOIN case_assignments a ON a.case_id = c.id
  WHERE c.status = 'open' AND a.collector_id IS NOT NULL AND ${visibleCase('c')}`;

/**
 * One selected case, as a tuple for speed: [id, amountFen, bucket, province, idNumber, collectorId, then what an
 * apply re-checks before it writes: the holder's assignment id (null: never assigned) and the stage].
 */
export type SelectedCase = [number, number, string | null, string | null, string, number | null, number | null, string];

/** A planned move and the state of the case the plan saw, which the write re-checks (recordChecked). */
export interface CheckedChange extends Change {
  /** case_assignments.assignment_id when planned (null: the case had no row). Every change of holder sets it. */
  version: number | null;
  stage: string;
  bucket: string | null;
  province: string | null;
}

export interface Change {
  caseId: number;
  from: number | null;
  to: number | null;
}

/** A chunked assignment's stored plan (migration 024); assignment_id null: still being stored, never applied. */
export interface PendingRow {
  id: number;
  assignment_id: number | null;
  chunks: number;
  moves: number;
  state: string;
}

interface RuleRow {
  id: number;
  name: string;
  lender_id: number | null;
  lender_code: string | null;
  bucket: string | null;
  rule: AssignRule;
  pool: string;
  keep_borrower: number;
  enabled: number;
  updated_at: string;
}
const toRule = (r: RuleRow): AssignRuleDef => ({
  id: r.id,
  name: r.name,
  lenderId: r.lender_id,
  lenderCode: r.lender_code,
  bucket: r.bucket,
  rule: r.rule,
  pool: JSON.parse(r.pool) as Pool,
  keepBorrower: r.keep_borrower === 1,
  enabled: r.enabled === 1,
  updatedAt: r.updated_at,
});
const SELECT_RULE = `SELECT r.id, r.name, r.lender_id, l.code AS lender_code, r.bucket, r.rule, r.pool, r.keep_borrower, r.enabled, r.updated_at
  FROM assignment_rules r LEFT JOIN lenders l ON l.id = r.lender_id`;

export interface RuleValues {
  name: string;
  lenderId: number | null;
  bucket: string | null;
  rule: AssignRule;
  pool: Pool;
  keepBorrower: boolean;
  enabled: boolean;
}

export interface SplitRow {
  case_id: number;
  case_no: string;
  lender_code: string;
  borrower_name: string;
  collector_name: string | null;
  with_case_id: number;
}

export function assignmentRepo(db: Db) {
  // The move itself is recorded by the store's triggers (assignment_moves).
  const hold = db.prepare<[number, number | null, number, string]>(
    `INSERT INTO case_assignments (case_id, collector_id, assignment_id, assigned_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (case_id) DO UPDATE SET collector_id = excluded.collector_id, assignment_id = excluded.assignment_id, assigned_at = excluded.assigned_at`,
  );
  const insertLog = db.prepare<[string, number, string, string, number | null, number, number, string]>(
    // audit_seq: the entry the caller appends right after (migration 019; checked by `check`).
    `INSERT INTO assignments (at, actor_id, kind, rule, rule_id, assigned, unassignable, detail, audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM audit_log))`,
  );
  const log = db.prepare<[number], { id: number; at: string; actor: string; kind: 'rule' | 'manual' | 'auto'; rule: string; rule_name: string | null; assigned: number; unassignable: number; detail: string; applying: number }>(
    `SELECT a.id, a.at, u.username AS actor, a.kind, a.rule, r.name AS rule_name, a.assigned, a.unassignable, a.detail,
            EXISTS (SELECT 1 FROM assignment_pending p WHERE p.assignment_id = a.id) AS applying
     FROM assignments a JOIN users u ON u.id = a.actor_id LEFT JOIN assignment_rules r ON r.id = a.rule_id ORDER BY a.id DESC LIMIT ?`,
  );
  const loads = db.prepare<[], [number, number, number]>(
    `SELECT a.collector_id, count(*), coalesce(sum(c.overdue_amount_fen), 0) ${OPEN_WORKLOAD} GROUP BY a.collector_id`,
  );
  const assignedCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM case_assignments WHERE collector_id IS NOT NULL');
  const rules = db.prepare<[], RuleRow>(`${SELECT_RULE} ORDER BY r.name`);
  const ruleById = db.prepare<[number], RuleRow>(`${SELECT_RULE} WHERE r.id = ?`);
  const insertRule = db.prepare<[string, number | null, string | null, string, string, number, number, number, string, string]>(
    `INSERT INTO assignment_rules (name, lender_id, bucket, rule, pool, keep_borrower, enabled, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateRule = db.prepare<[string, number | null, string | null, string, string, number, number, string, number]>(
    'UPDATE assignment_rules SET name = ?, lender_id = ?, bucket = ?, rule = ?, pool = ?, keep_borrower = ?, enabled = ?, updated_at = ? WHERE id = ?',
  );
  const deleteRule = db.prepare<[number]>('DELETE FROM assignment_rules WHERE id = ?');
  const casesOf = db.prepare<[string], { id: number; collector_id: number | null; status: string }>(
    'SELECT c.id, a.collector_id, c.status FROM cases c LEFT JOIN case_assignments a ON a.case_id = c.id WHERE c.id IN (SELECT value FROM json_each(?))',
  );

  const lastId = db.prepare<[], { id: number }>('SELECT coalesce(max(id), 0) AS id FROM assignments');
  const setAssigned = db.prepare<[number, number]>('UPDATE assignments SET assigned = ? WHERE id = ?');
  // A planned move is written only if the case is as the plan saw it: open, same stage, bucket and province, and
  // the same holder row (assignment id); otherwise it changes nothing and is counted as skipped.
  const SAME_CASE = "SELECT 1 FROM cases c WHERE c.id = ? AND c.status = 'open' AND c.stage = ? AND c.bucket IS ? AND c.province IS ?";
  const moveChecked = db.prepare<[number | null, number, string, number, number, number | null, number, string, string | null, string | null]>(
    `UPDATE case_assignments SET collector_id = ?, assignment_id = ?, assigned_at = ?
     WHERE case_id = ? AND assignment_id = ? AND collector_id IS ? AND EXISTS (${SAME_CASE})`,
  );
  const insertChecked = db.prepare<[number, number | null, number, string, number, string, string | null, string | null]>(
    `INSERT INTO case_assignments (case_id, collector_id, assignment_id, assigned_at)
     SELECT ?, ?, ?, ? WHERE EXISTS (${SAME_CASE}) ON CONFLICT (case_id) DO NOTHING`,
  );
  // A chunked assignment (core/assignment/apply.ts, migration 024): its row names no audit entry until its last chunk.
  const insertApplying = db.prepare<[string, number, string, string, number | null, number, number, string]>(
    'INSERT INTO assignments (at, actor_id, kind, rule, rule_id, assigned, unassignable, detail, audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)',
  );
  const setAuditSeq = db.prepare<[number]>('UPDATE assignments SET audit_seq = (SELECT coalesce(max(seq), 0) + 1 FROM audit_log) WHERE id = ?');
  const assignmentRow = db.prepare<[number], { at: string; actor_id: number; actor: string }>(
    'SELECT a.at, a.actor_id, u.username AS actor FROM assignments a JOIN users u ON u.id = a.actor_id WHERE a.id = ?',
  );
  const insertPending = db.prepare<[number, number, string, string]>('INSERT INTO assignment_pending (assignment_id, chunks, moves, state, created_at) VALUES (NULL, ?, ?, ?, ?)');
  const insertPendingMoves = db.prepare<[number, number, string]>('INSERT INTO assignment_pending_moves (pending_id, chunk, moves) VALUES (?, ?, ?)');
  const attachPending = db.prepare<[number, number]>('UPDATE assignment_pending SET assignment_id = ? WHERE id = ? AND assignment_id IS NULL');
  const pendingById = db.prepare<[number], PendingRow>('SELECT id, assignment_id, chunks, moves, state FROM assignment_pending WHERE id = ?');
  const pendingRows = db.prepare<[], PendingRow>('SELECT id, assignment_id, chunks, moves, state FROM assignment_pending ORDER BY id');
  const nextChunk = db.prepare<[number], { chunk: number; moves: string }>('SELECT chunk, moves FROM assignment_pending_moves WHERE pending_id = ? ORDER BY chunk LIMIT 1');
  const applying = db.prepare<[], { assignment_id: number; at: string; actor: string; actor_name: string; rule: string; moves: number; chunks: number; left: number }>(
    `SELECT a.id AS assignment_id, a.at, u.username AS actor, u.display_name AS actor_name, a.rule, p.moves, p.chunks,
            (SELECT count(*) FROM assignment_pending_moves m WHERE m.pending_id = p.id) AS left
     FROM assignment_pending p JOIN assignments a ON a.id = p.assignment_id JOIN users u ON u.id = a.actor_id ORDER BY p.id`,
  );
  const chunksLeft = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM assignment_pending_moves WHERE pending_id = ?');
  const deleteChunk = db.prepare<[number, number]>('DELETE FROM assignment_pending_moves WHERE pending_id = ? AND chunk = ?');
  const deleteChunks = db.prepare<[number]>('DELETE FROM assignment_pending_moves WHERE pending_id = ?');
  const setPendingState = db.prepare<[string, number]>('UPDATE assignment_pending SET state = ? WHERE id = ?');
  const deletePending = db.prepare<[number]>('DELETE FROM assignment_pending WHERE id = ?');

  /** Writes each move only if its case is still as planned; the indexes of those not written. */
  function writeMoves(id: number, at: string, changes: readonly CheckedChange[], skip: (change: CheckedChange) => boolean): number[] {
    const skipped: number[] = [];
    changes.forEach((c, i) => {
      const written =
        !skip(c) &&
        (c.version === null
          ? insertChecked.run(c.caseId, c.to, id, at, c.caseId, c.stage, c.bucket, c.province)
          : moveChecked.run(c.to, id, at, c.caseId, c.version, c.from, c.caseId, c.stage, c.bucket, c.province)
        ).changes === 1;
      if (!written) skipped.push(i);
    });
    return skipped;
  }

  const available = db.prepare<[string], { id: number }>(
    `SELECT u.id FROM users u LEFT JOIN collector_profiles p ON p.user_id = u.id
     WHERE u.id IN (SELECT value FROM json_each(?)) AND u.role = 'collector' AND u.status = 'active' AND coalesce(p.absent, 0) = 0`,
  );

  const splits = db.prepare<{ moving: string; picked: string; to: number | null }>(
    `SELECT o.id AS case_id, o.case_no, l.code AS lender_code, o.borrower_name, u.display_name AS collector_name, min(m.id) AS with_case_id
     FROM cases m JOIN cases o ON o.id_number = m.id_number AND o.id <> m.id AND o.status = 'open'
       JOIN lenders l ON l.id = o.lender_id LEFT JOIN case_assignments a ON a.case_id = o.id LEFT JOIN users u ON u.id = a.collector_id
     WHERE m.id IN (SELECT value FROM json_each(@moving)) AND o.id NOT IN (SELECT value FROM json_each(@picked)) AND a.collector_id IS NOT @to
     GROUP BY o.id ORDER BY o.id_number, o.id LIMIT 500`,
  );

  const holdersOf = db
    .prepare<[string], [number, number]>(
      "SELECT o.id, a.collector_id FROM cases o JOIN case_assignments a ON a.case_id = o.id WHERE o.id_number = ? AND o.status = 'open' AND a.collector_id IS NOT NULL",
    )
    .raw();

  return {
    /** The selected open cases, lightest columns only (a million fit in ~150 MB). */
    selected(sel: Selection): SelectedCase[] {
      const w = selectionWhere(sel, 'c');
      // Selections by lender, bucket or amount are large shares of all cases: reading the table in order
      // beats an index's random lookups (1M cases: 2.4 s against 6.2 s). A batch's cases are contiguous,
      // so its index is in table order already; picked ids and one collector's cases are few.
      const scan = sel.caseIds === undefined && sel.batchId === undefined && sel.collectorId === undefined ? 'NOT INDEXED' : '';
      return db
        .prepare(`SELECT c.id, c.overdue_amount_fen, c.bucket, c.province, c.id_number, ca.collector_id, ca.assignment_id, c.stage FROM case_rows c ${scan} LEFT JOIN case_assignments ca ON ca.case_id = c.id WHERE ${w.sql} AND ${visibleCase('c')} ORDER BY c.id`)
        .raw()
        .all(w.args) as SelectedCase[];
    },

    /**
     * Borrower (ID number) → the collector holding most of their open cases outside the selection.
     * One indexed lookup per borrower; skipped when nobody holds anything outside the selection.
     */
    holders(selected: readonly SelectedCase[]): Map<string, number> {
      const out = new Map<string, number>();
      const inSelection = selected.reduce((n, c) => (c[5] === null ? n : n + 1), 0);
      if (assignedCount.get()!.n <= inSelection) return out;
      const ids = new Set<number>();
      const borrowers = new Set<string>();
      for (const c of selected) {
        ids.add(c[0]);
        borrowers.add(c[4]);
      }
      for (const idNumber of borrowers) {
        const counts = new Map<number, number>();
        for (const [caseId, collector] of holdersOf.all(idNumber)) if (!ids.has(caseId)) counts.set(collector, (counts.get(collector) ?? 0) + 1);
        let best: [number, number] | null = null;
        for (const [collector, n] of counts) if (!best || n > best[1] || (n === best[1] && collector < best[0])) best = [collector, n];
        if (best) out.set(idNumber, best[0]);
      }
      return out;
    },

    /** collector id → [open cases, open amount] over every open case. */
    loads(): Map<number, [number, number]> {
      return new Map(loads.raw().all().map(([id, n, amt]) => [id, [n, amt] as [number, number]]));
    },

    casesByIds(ids: number[]) {
      return casesOf.all(JSON.stringify(ids));
    },

    /**
     * The open cases of the same borrowers (ID number) as `moving` that are not among `picked` and are held by
     * someone other than `to` (null: the pool): what a manual move would split from them. Through cases_id_number.
     */
    splitsOf(moving: number[], picked: number[], to: number | null): SplitRow[] {
      return splits.all({ moving: JSON.stringify(moving), picked: JSON.stringify(picked), to }) as SplitRow[];
    },

    /** Writes an assignment: the log row and each case's new holder (the store's triggers record each move). */
    record(
      entry: { at: string; actorId: number; kind: 'rule' | 'manual' | 'auto'; rule: string; ruleId: number | null; unassignable: number; detail: Record<string, unknown> },
      changes: readonly Change[],
    ): number {
      const id = Number(
        insertLog.run(entry.at, entry.actorId, entry.kind, entry.rule, entry.ruleId, changes.length, entry.unassignable, JSON.stringify(entry.detail)).lastInsertRowid,
      );
      for (const c of changes) hold.run(c.caseId, c.to, id, entry.at);
      return id;
    },

    /** The newest assignment's id (0: none): any change of holder since a plan was made raises it. */
    lastId: (): number => lastId.get()!.id,

    /** Of these collectors, those who may receive cases now (active, not absent). */
    available: (ids: readonly number[]): Set<number> => new Set(available.all(JSON.stringify(ids)).map((r) => r.id)),

    /**
     * Writes an assignment whose moves were planned earlier, outside this transaction: each move only if its
     * case is still as planned (see moveChecked). Returns the new id and the indexes of the moves not written.
     * Prepared statements only, nothing planned here: this runs under the write lock.
     */
    recordChecked(
      entry: { at: string; actorId: number; kind: 'rule' | 'manual' | 'auto'; rule: string; ruleId: number | null; unassignable: number; detail: Record<string, unknown> },
      changes: readonly CheckedChange[],
      skip: (change: CheckedChange) => boolean = () => false,
    ): { id: number; skipped: number[] } {
      const id = Number(
        insertLog.run(entry.at, entry.actorId, entry.kind, entry.rule, entry.ruleId, changes.length, entry.unassignable, JSON.stringify(entry.detail)).lastInsertRowid,
      );
      const skipped = writeMoves(id, entry.at, changes, skip);
      if (skipped.length) setAssigned.run(changes.length - skipped.length, id);
      return { id, skipped };
    },

    // A chunked assignment (migration 024, core/assignment/apply.ts): its stored plan, chunk by chunk.
    /** The assignments row of a chunked assignment: `assigned` is the planned count until its last chunk. */
    insertApplying(entry: { at: string; actorId: number; kind: 'rule' | 'auto'; rule: string; ruleId: number | null; assigned: number; unassignable: number; detail: Record<string, unknown> }): number {
      return Number(
        insertApplying.run(entry.at, entry.actorId, entry.kind, entry.rule, entry.ruleId, entry.assigned, entry.unassignable, JSON.stringify(entry.detail)).lastInsertRowid,
      );
    },
    /** Its final count and the audit entry appended right after (in the same transaction). */
    finishApplying(id: number, assigned: number): void {
      setAssigned.run(assigned, id);
      setAuditSeq.run(id);
    },
    assignmentRow: (id: number) => assignmentRow.get(id) ?? null,
    /** A plan being stored (no assignment yet); returns its pending id. */
    insertPending: (chunks: number, moves: number, state: string, at: string): number => Number(insertPending.run(chunks, moves, state, at).lastInsertRowid),
    insertPendingMoves: (pendingId: number, chunk: number, moves: string): void => void insertPendingMoves.run(pendingId, chunk, moves),
    /** The stored plan becomes the assignment's: from here on it is applied, whoever finishes it. */
    attachPending: (pendingId: number, assignmentId: number): boolean => attachPending.run(assignmentId, pendingId).changes === 1,
    pendingById: (id: number): PendingRow | null => pendingById.get(id) ?? null,
    pendingRows: (): PendingRow[] => pendingRows.all(),
    /** Assignments under way (attached plans), with the parts left to write. */
    applying: () => applying.all(),
    nextChunk: (pendingId: number) => nextChunk.get(pendingId) ?? null,
    chunksLeft: (pendingId: number): number => chunksLeft.get(pendingId)!.n,
    /** false: the chunk was written already (by whoever deleted it). */
    deleteChunk: (pendingId: number, chunk: number): boolean => deleteChunk.run(pendingId, chunk).changes === 1,
    setPendingState: (pendingId: number, state: string): void => void setPendingState.run(state, pendingId),
    deletePending(pendingId: number): void {
      deleteChunks.run(pendingId);
      deletePending.run(pendingId);
    },
    /** Writes moves planned earlier, each only if its case is still as planned; the indexes of those not written. */
    writeMoves,

    log(limit: number) {
      return log.all(limit).map((r) => ({
        id: r.id,
        at: r.at,
        actor: r.actor,
        kind: r.kind,
        rule: r.rule,
        ruleName: r.rule_name,
        assigned: r.assigned,
        applying: r.applying === 1,
        unassignable: r.unassignable,
        detail: JSON.parse(r.detail) as Record<string, unknown>,
      }));
    },

    rules: (): AssignRuleDef[] => rules.all().map(toRule),
    ruleById: (id: number): AssignRuleDef | null => {
      const r = ruleById.get(id);
      return r ? toRule(r) : null;
    },
    saveRule(id: number | undefined, v: RuleValues, actorId: number, now: string): number {
      const args = [v.name, v.lenderId, v.bucket, v.rule, JSON.stringify(v.pool), v.keepBorrower ? 1 : 0, v.enabled ? 1 : 0] as const;
      if (id === undefined) return Number(insertRule.run(...args, actorId, now, now).lastInsertRowid);
      updateRule.run(...args, now, id);
      return id;
    },
    deleteRule: (id: number): boolean => deleteRule.run(id).changes > 0,
  };
}
export type AssignmentRepo = ReturnType<typeof assignmentRepo>;
