// Rows against the audit entries that record them, both ways (migrations 019 and 023): a row without its entry,
// and an entry whose row is gone (a page rolled back, a row deleted with the triggers dropped, an entry cut out of
// a rebuilt chain). Rows from before their migration carry no reference: they are matched by the id their entry
// names. Stage moves and flags have no id in their entry: the row names the entry, and entries from 023 on must
// find a row naming them.
import type { Db } from '../open.js';
import type { AuditRefs } from '../../shared/contract/audit.js';

interface Kind {
  table: string;
  /** Which rows of the table this kind covers, and the id a problem names (SQL over row `x`). */
  rows: string;
  rowId: string;
  /** Rows above this audit_refs_from mark (by x.id) must name their entry; null: rows marked 0 are older. */
  fromKey: string | null;
  /** The audit actions that may record one row of this kind, and (SQL over entry `a`, row `x`) that it is this row. */
  actions: readonly string[];
  records: string;
  /** Entry → row: by the row id the entry names (`idOf`, SQL over `a`), or by the row naming the entry. */
  entry: { idOf: string } | { actions: readonly string[]; where: string; what: string };
}

const detail = (a: string, field: string) => `json_extract(${a}.detail, '$.${field}')`;
const byId = (field: string) => ({ records: `${detail('a', field)} IS x.id`, entry: { idOf: detail('a', field) } });
const sameCase = "a.entity = 'case' AND a.entity_id = CAST(x.case_id AS TEXT)";
const KINDS: readonly Kind[] = [
  { table: 'payments', rows: 'x.reverses_id IS NULL', rowId: 'x.id', fromKey: 'payments', actions: ['payments.post'], ...byId('paymentId') },
  { table: 'payments', rows: 'x.reverses_id IS NOT NULL', rowId: 'x.id', fromKey: 'payments', actions: ['payments.reverse'], ...byId('reversalId') },
  { table: 'contact_attempts', rows: 'x.corrects_id IS NULL', rowId: 'x.id', fromKey: 'contact_attempts', actions: ['contacts.log'], ...byId('attemptId') },
  { table: 'contact_attempts', rows: 'x.corrects_id IS NOT NULL', rowId: 'x.id', fromKey: 'contact_attempts', actions: ['contacts.correct'], ...byId('attemptId') },
  {
    table: 'assignments',
    // One still being written in chunks (migration 024) gets its entry with its last chunk.
    rows: 'x.id NOT IN (SELECT assignment_id FROM assignment_pending WHERE assignment_id IS NOT NULL)',
    rowId: 'x.id',
    fromKey: 'assignments',
    actions: ['assign.apply', 'assign.auto', 'assign.manual', 'assign.recall'],
    records: 'CAST(a.entity_id AS INTEGER) IS x.id',
    entry: { idOf: 'CAST(a.entity_id AS INTEGER)' },
  },
  { table: 'legal_referrals', rows: '1', rowId: 'x.id', fromKey: 'legal_referrals', actions: ['legal.refer'], ...byId('referralId') },
  { table: 'legal_events', rows: '1', rowId: 'x.id', fromKey: 'legal_events', actions: ['legal.event'], ...byId('eventId') },
  { table: 'complaints', rows: '1', rowId: 'x.id', fromKey: 'complaints', actions: ['complaints.record'], ...byId('complaintId') },
  { table: 'plans', rows: '1', rowId: 'x.id', fromKey: 'plans', actions: ['plans.propose'], ...byId('planId') },
  { table: 'recalls', rows: '1', rowId: 'x.id', fromKey: 'recalls', actions: ['recalls.recall'], ...byId('recallId') },
  {
    // A stage move is recorded by the entry appended with it: its own (cases.move, settled, reopened) or the
    // step that moved it (a referral, a plan approved); a recall's one entry records all its cases' moves.
    table: 'case_history',
    rows: "x.kind = 'stage'",
    rowId: 'x.id',
    fromKey: 'case_history',
    actions: ['cases.move', 'cases.settled', 'cases.reopened', 'legal.refer', 'plans.approve', 'recalls.recall'],
    records: `(a.action <> 'recalls.recall' AND ${sameCase}) OR (a.action = 'recalls.recall' AND ${detail('a', 'recallId')} IS ${detail('x', 'recallId')})`,
    entry: { actions: ['cases.move', 'cases.settled', 'cases.reopened'], where: '1', what: "'a stage move of case ' || a.entity_id" },
  },
  {
    // A flag row names the entry that set it; a set flag's entry must find it unless a later entry cleared it.
    // The complaint flag comes and goes with complaints (its clearing has no entry of its own): row side only.
    table: 'case_flags',
    rows: '1',
    rowId: 'x.case_id',
    fromKey: null,
    actions: ['cases.setFlag', 'complaints.record'],
    records: `${sameCase} AND ((a.action = 'complaints.record' AND x.flag = 'complaint') OR (${detail('a', 'flag')} IS x.flag AND ${detail('a', 'on')} = 1))`,
    entry: {
      actions: ['cases.setFlag'],
      where: `${detail('a', 'on')} = 1 AND ${detail('a', 'flag')} <> 'complaint' AND NOT EXISTS (SELECT 1 FROM audit_log b WHERE b.action = 'cases.setFlag'
        AND b.seq > a.seq AND b.entity = 'case' AND b.entity_id = a.entity_id AND ${detail('b', 'flag')} IS ${detail('a', 'flag')})`,
      what: `'the ' || ${detail('a', 'flag')} || ' flag of case ' || a.entity_id`,
    },
  },
];
const MAX_PROBLEMS = 50;

const inList = (actions: readonly string[]) => actions.map((x) => `'${x}'`).join(', ');

export function checkAuditRefs(db: Db): AuditRefs {
  const from = JSON.parse(db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'audit_refs_from'").get()?.value ?? '{}') as Record<string, number>;
  const mark = (key: string) => Math.trunc(Number(from[key] ?? 0)) || 0;
  const problems: AuditRefs['problems'] = [];
  let checked = 0;
  let olderUnmatched = 0;
  const add = (p: AuditRefs['problems'][number]) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const count = (sql: string) => db.prepare<[], { n: number }>(sql).get()!.n;
  for (const k of KINDS) {
    const older = k.fromKey === null ? 0 : mark(k.fromKey);
    const newer = k.fromKey === null ? 'x.audit_seq IS NOT 0' : `x.id > ${older}`;
    checked += count(`SELECT count(*) AS n FROM ${k.table} x WHERE ${k.rows}`);
    // Row → entry: a row past its mark must name an entry that records it.
    const rowSide = db
      .prepare<[], { id: number; audit_seq: number | null; action: string | null }>(
        `SELECT ${k.rowId} AS id, x.audit_seq, a.action FROM ${k.table} x LEFT JOIN audit_log a ON a.seq = x.audit_seq
         WHERE ${k.rows} AND ((x.audit_seq IS NOT NULL AND x.audit_seq <> 0) OR ${newer})
           AND (a.seq IS NULL OR a.action NOT IN (${inList(k.actions)}) OR NOT (${k.records}))`,
      )
      .all();
    for (const r of rowSide) {
      const reason =
        r.audit_seq === null || r.audit_seq === 0 ? 'names no audit entry' : r.action === null ? `its audit entry ${r.audit_seq} is gone` : `audit entry ${r.audit_seq} (${r.action}) does not record it`;
      add({ table: k.table, rowId: r.id, seq: r.audit_seq, reason: `${k.table} row ${r.id} ${reason}` });
    }
    if ('idOf' in k.entry) {
      const idOf = k.entry.idOf;
      // Entry → row: every entry of these actions must find its row, and the row must name it back.
      const entrySide = db
        .prepare<[], { seq: number; action: string; id: number | null; row: number | null; audit_seq: number | null }>(
          `SELECT a.seq, a.action, ${idOf} AS id, x.id AS row, x.audit_seq FROM audit_log a LEFT JOIN ${k.table} x ON x.id = ${idOf} AND ${k.rows}
           WHERE a.action IN (${inList(k.actions)}) AND (x.id IS NULL OR (x.audit_seq IS NOT NULL AND x.audit_seq <> a.seq))`,
        )
        .all();
      checked += count(`SELECT count(*) AS n FROM audit_log a WHERE a.action IN (${inList(k.actions)})`);
      for (const e of entrySide) {
        const reason = e.row === null ? `its ${k.table} row ${e.id} is gone` : `${k.table} row ${e.id} names entry ${e.audit_seq} instead`;
        add({ table: k.table, rowId: e.id, seq: e.seq, reason: `audit entry ${e.seq} (${e.action}): ${reason}` });
      }
      // Older rows: named by some entry, or counted (not a failure: earlier versions may not have recorded them all).
      if (older > 0) {
        olderUnmatched += count(
          `SELECT count(*) AS n FROM ${k.table} x WHERE ${k.rows} AND x.id <= ${older} AND x.audit_seq IS NULL
             AND x.id NOT IN (SELECT ${idOf} FROM audit_log a WHERE a.action IN (${inList(k.actions)}) AND ${idOf} IS NOT NULL)`,
        );
      }
    } else {
      // Entry → row for kinds whose entry names no row: each entry from 023 on must be named by a row of its kind.
      const e = k.entry;
      const since = mark('audit_023');
      const entries = `FROM audit_log a WHERE a.action IN (${inList(e.actions)}) AND a.seq > ${since} AND (${e.where})`;
      checked += count(`SELECT count(*) AS n ${entries}`);
      const lost = db
        .prepare<[], { seq: number; action: string; what: string }>(
          `SELECT a.seq, a.action, ${e.what} AS what ${entries} AND NOT EXISTS (SELECT 1 FROM ${k.table} x WHERE x.audit_seq = a.seq AND ${k.rows})`,
        )
        .all();
      for (const l of lost) add({ table: k.table, rowId: null, seq: l.seq, reason: `audit entry ${l.seq} (${l.action}): its ${k.table} row (${l.what}) is gone` });
    }
  }
  return { ok: problems.length === 0, checked, problems, olderUnmatched };
}
