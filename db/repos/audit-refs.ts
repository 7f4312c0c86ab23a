// Rows against the audit entries that record them, both ways (migration 019): a payment, reversal, contact-log
// entry or assignment without its entry, and an entry whose row is gone (a page rolled back, a row deleted with
// the triggers dropped). Rows from before 019 carry no reference: they are matched by the id their entry names.
import type { Db } from '../open.js';
import type { AuditRefs } from '../../shared/contract/audit.js';

interface Kind {
  table: 'payments' | 'contact_attempts' | 'assignments';
  /** The audit actions that record one row of this kind, and (SQL over entry `a`) the row id they name. */
  actions: readonly string[];
  idOf: string;
  /** Which rows of the table this kind covers (SQL over row `x`). */
  rows: string;
}

const detailId = (field: string) => `json_extract(a.detail, '$.${field}')`;
const KINDS: readonly Kind[] = [
  { table: 'payments', actions: ['payments.post'], idOf: detailId('paymentId'), rows: 'x.reverses_id IS NULL' },
  { table: 'payments', actions: ['payments.reverse'], idOf: detailId('reversalId'), rows: 'x.reverses_id IS NOT NULL' },
  { table: 'contact_attempts', actions: ['contacts.log'], idOf: detailId('attemptId'), rows: 'x.corrects_id IS NULL' },
  { table: 'contact_attempts', actions: ['contacts.correct'], idOf: detailId('attemptId'), rows: 'x.corrects_id IS NOT NULL' },
  { table: 'assignments', actions: ['assign.apply', 'assign.auto', 'assign.manual', 'assign.recall'], idOf: "CAST(a.entity_id AS INTEGER)", rows: '1' },
];
const MAX_PROBLEMS = 50;

const inList = (actions: readonly string[]) => actions.map((x) => `'${x}'`).join(', ');

export function checkAuditRefs(db: Db): AuditRefs {
  const from = JSON.parse(db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'audit_refs_from'").get()?.value ?? '{}') as Record<string, number>;
  const problems: AuditRefs['problems'] = [];
  let checked = 0;
  let olderUnmatched = 0;
  const add = (p: AuditRefs['problems'][number]) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  for (const k of KINDS) {
    const older = from[k.table] ?? 0;
    checked += db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${k.table} x WHERE ${k.rows}`).get()!.n;
    // Row → entry: a row from 019 on must name an entry that records it.
    const rowSide = db
      .prepare<[number], { id: number; audit_seq: number | null; action: string | null }>(
        `SELECT x.id, x.audit_seq, a.action FROM ${k.table} x LEFT JOIN audit_log a ON a.seq = x.audit_seq
         WHERE ${k.rows} AND (x.audit_seq IS NOT NULL OR x.id > ?)
           AND (a.seq IS NULL OR a.action NOT IN (${inList(k.actions)}) OR ${k.idOf} IS NOT x.id)`,
      )
      .all(older);
    for (const r of rowSide) {
      const reason =
        r.audit_seq === null ? 'names no audit entry' : r.action === null ? `its audit entry ${r.audit_seq} is gone` : `audit entry ${r.audit_seq} (${r.action}) does not record it`;
      add({ table: k.table, rowId: r.id, seq: r.audit_seq, reason: `${k.table} row ${r.id} ${reason}` });
    }
    // Entry → row: every entry of these actions must find its row, and the row must name it back.
    const entrySide = db
      .prepare<[], { seq: number; action: string; id: number | null; row: number | null; audit_seq: number | null }>(
        `SELECT a.seq, a.action, ${k.idOf} AS id, x.id AS row, x.audit_seq FROM audit_log a LEFT JOIN ${k.table} x ON x.id = ${k.idOf} AND ${k.rows}
         WHERE a.action IN (${inList(k.actions)}) AND (x.id IS NULL OR (x.audit_seq IS NOT NULL AND x.audit_seq <> a.seq))`,
      )
      .all();
    checked += db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM audit_log a WHERE a.action IN (${inList(k.actions)})`).get()!.n;
    for (const e of entrySide) {
      const reason = e.row === null ? `its ${k.table} row ${e.id} is gone` : `${k.table} row ${e.id} names entry ${e.audit_seq} instead`;
      add({ table: k.table, rowId: e.id, seq: e.seq, reason: `audit entry ${e.seq} (${e.action}): ${reason}` });
    }
    // Older rows: named by some entry, or counted (not a failure: earlier versions may not have recorded them all).
    if (older > 0) {
      olderUnmatched += db
        .prepare<[number], { n: number }>(
          `SELECT count(*) AS n FROM ${k.table} x WHERE ${k.rows} AND x.id <= ? AND x.audit_seq IS NULL
             AND x.id NOT IN (SELECT ${k.idOf} FROM audit_log a WHERE a.action IN (${inList(k.actions)}) AND ${k.idOf} IS NOT NULL)`,
        )
        .get(older)!.n;
    }
  }
  return { ok: problems.length === 0, checked, problems, olderUnmatched };
}
