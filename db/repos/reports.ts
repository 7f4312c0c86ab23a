// Reports' SQL: the signing keys, per-lender report settings, the packages produced, and the cursors an
// export reads (cases of a lender or batch; their payments, plans, contact log and legal referrals).
import { visibleCase } from './case-visibility.js';
import type { Db } from '../open.js';
import { ENDED_AT } from './cases.js';
import type { MoneyCase, PaymentRow, PlanRow } from './money.js';

export interface SigningKeyRow {
  id: number;
  public_pem: string;
  private_der: Buffer;
  fingerprint: string;
  created_at: string;
  retired_at: string | null;
}

/** A case as the status report reads it: its money facts and what the lender sees of it. */
export interface ReportCaseRow extends MoneyCase {
  batch_no: string;
  id_number: string;
  mobile: string;
  bucket: string;
  collector: string | null;
  /** Days overdue when placed (the file's count), null when the file gave none. */
  days_overdue: number | null;
  /** When a closed case left collection (its last stage move), null while open. */
  ended_at: string | null;
}

/** A payment as reports read it (its case's number comes from the case). */
export type ReportPaymentRow = Omit<PaymentRow, 'case_no'>;

export interface ReportAttemptRow {
  id: number;
  case_id: number;
  started_at: string;
  channel: string;
  party: string;
  relation: string | null;
  number: string | null;
  direction: string;
  duration_sec: number;
  outcome: string;
  note: string;
  promise_amount_fen: number | null;
  promise_date: string | null;
  collector: string;
  next_follow_up_at: string | null;
  corrects_id: number | null;
  corrected: number;
}

export interface Scope {
  lenderId: number;
  /** Only the cases of this batch (their current batch). */
  batchId: number | null;
}

export function reportsRepo(db: Db) {
  const keys = db.prepare<[], SigningKeyRow>('SELECT * FROM signing_keys ORDER BY id DESC');
  const insertKey = db.prepare<[string, Buffer, string, string, number | null]>('INSERT INTO signing_keys (public_pem, private_der, fingerprint, created_at, created_by) VALUES (?, ?, ?, ?, ?)');
  const retire = db.prepare<[string]>('UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL');
  const settings = db.prepare<[number], { code: string; name: string; export_template: string; pii_full: number; public_key_pem: string | null }>(
    'SELECT code, name, export_template, pii_full, public_key_pem FROM lenders WHERE id = ?',
  );
  const setTemplate = db.prepare<[string, number]>('UPDATE lenders SET export_template = ? WHERE id = ?');
  const setPii = db.prepare<[number, number]>('UPDATE lenders SET pii_full = ? WHERE id = ?');
  const setLenderKey = db.prepare<[string | null, number]>('UPDATE lenders SET public_key_pem = ? WHERE id = ?');
  const lenderKeys = db.prepare<[], { code: string; name: string; public_key_pem: string }>('SELECT code, name, public_key_pem FROM lenders WHERE public_key_pem IS NOT NULL');
  const insertExport = db.prepare(
    `INSERT INTO report_exports (lender_id, batch_id, period_from, period_to, path, files, fingerprint, manifest_sha256, schedule_id, generated_by, generated_at)
     VALUES (@lender_id, @batch_id, @period_from, @period_to, @path, @files, @fingerprint, @manifest_sha256, @schedule_id, @generated_by, @generated_at)`,
  );
  const exportsOf = db.prepare<[number | null, number | null, number], { id: number; lender: string; batch_no: string | null; period_from: string | null; period_to: string | null; path: string; fingerprint: string; generated_by: string | null; generated_at: string; files: string }>(
    `SELECT e.id, l.code AS lender, b.batch_no, e.period_from, e.period_to, e.path, e.fingerprint, u.username AS generated_by, e.generated_at, e.files
     FROM report_exports e JOIN lenders l ON l.id = e.lender_id LEFT JOIN batches b ON b.id = e.batch_id LEFT JOIN users u ON u.id = e.generated_by
     WHERE (? IS NULL OR e.lender_id = ?) ORDER BY e.id DESC LIMIT ?`,
  );
  const exportById = db.prepare<[number], { id: number; lender_id: number; path: string }>('SELECT id, lender_id, path FROM report_exports WHERE id = ?');

  // Every cursor runs in case id order straight off an index or the table (no sort of a million rows in a
  // temporary b-tree): CROSS JOIN keeps SQLite's loop order as written, `+` keeps it off the lender index.
  const IN_SCOPE = '(+c.lender_id = @lenderId AND (@batchId IS NULL OR +c.batch_id = @batchId))';
  // The case cursor reads the cases table (and each case's assignment) only: batch numbers, the lender's
  // terms and collectors' usernames are few and looked up in maps — three b-tree probes a row fewer.
  // A closed case's last stage move: its days overdue are counted to the day it left (placement/aging.ts).
  const ENDED = ENDED_AT;
  const CASE_COLS = `c.id, c.lender_id, c.case_no, c.batch_id, c.borrower_name, c.id_number, c.mobile, c.bucket, c.stage, c.status, ca.collector_id,
       c.overdue_amount_fen, c.placement_amount_fen, c.overdue_principal_fen, c.overdue_interest_fen, c.overdue_penalty_fen, c.overdue_late_fee_fen, c.terms, c.days_overdue, c.placed_on, ${ENDED}`;
  // A chunk of cases comes as ONE value: SQLite writes the chunk's rows as a JSON array of arrays, and the
  // thread that formats the chunk parses it. Turning a million wide rows into JS values through
  // better-sqlite3 (17 values a row, each through V8's API) cost the reading thread ~5 s; the JSON costs
  // SQLite ~1 s and JSON.parse ~1 s on whichever thread formats. Keyset paging (`id > @after`) keeps
  // each page an index (or rowid) range: a batch's index holds its cases in id order, a lender's cases
  // are read off the table in id order.
  const CASE_NAMES = CASE_COLS.replace(ENDED, 'ended_at').replace(/\b(c|ca)\./g, ''); // the same columns, outside the page's subquery
  const chunkSql = (from: string, where: string) =>
    `SELECT json_group_array(json_array(${CASE_NAMES})) AS rows, json_group_array(id) AS ids, max(id) AS last
     FROM (SELECT ${CASE_COLS} FROM ${from} LEFT JOIN case_assignments ca ON ca.case_id = c.id WHERE ${where} ${IN_SCOPE} AND c.id > @after ORDER BY c.id LIMIT @size)`;
  const batchChunk = db.prepare<Scope & { after: number; size: number }, { rows: string; ids: string; last: number | null }>(chunkSql('case_rows c INDEXED BY cases_batch', `c.batch_id = @batchId AND ${visibleCase('c')} AND`));
  const lenderChunk = db.prepare<Scope & { after: number; size: number }, { rows: string; ids: string; last: number | null }>(chunkSql('case_rows c NOT INDEXED', `${visibleCase('c')} AND`));
  const batchesOf = db.prepare<[number], { id: number; batch_no: string; placement_date: string }>('SELECT id, batch_no, placement_date FROM batches WHERE lender_id = ?');
  const lenderTerms = db.prepare<[number], { default_terms: string }>('SELECT default_terms FROM lenders WHERE id = ?');
  const usernames = db.prepare<[], { id: number; username: string }>('SELECT id, username FROM users');
  // A chunk's payments and contact log, also as JSON text (in case order), each with the one column
  // counting them needs (the day of a payment, the start of a contact) as a JSON list — better-sqlite3
  // would spend ~6 µs a row turning them into JS values. They are read by the chunk's range of case
  // ids straight off their case index, without joining the wide cases table; when other cases' ids fall
  // in between (another lender's, another batch's), by the chunk's own ids.
  // No ORDER BY: the case index is read in order, and its entries are (case id, day, rowid), the order the
  // report needs (a sort would cost a third more; bundlesOf checks the order).
  const entries = (select: string, from: string, key: string, caseCol: string) => {
    const sql = (only: string) =>
      `SELECT json_group_array(json_array(${select})) AS rows, json_group_array(${key}) AS keys FROM ${from}
       WHERE ${caseCol} BETWEEN @lo AND @hi ${only}`;
    return { range: db.prepare<ChunkIds, { rows: string; keys: string }>(sql('')), ids: db.prepare<ChunkIds, { rows: string; keys: string }>(sql(`AND ${caseCol} IN (SELECT value FROM json_each(@ids))`)) };
  };
  const payments = entries(
    'p.id, p.case_id, p.paid_on, p.amount_fen, p.channel, p.payer, p.reference, p.note, p.source, p.entered_by, p.entered_at, p.reverses_id, r.id',
    'payments p INDEXED BY payments_case LEFT JOIN payments r ON r.reverses_id = p.id',
    'p.paid_on',
    'p.case_id',
  );
  const attempts = entries(
    `a.id, a.case_id, a.started_at, a.channel, a.party, a.relation, a.number, a.direction, a.duration_sec, a.outcome, a.note,
       a.promise_amount_fen, a.promise_date, a.collector_id, a.next_follow_up_at, a.corrects_id,
       EXISTS (SELECT 1 FROM contact_attempts x WHERE x.corrects_id = a.id)`,
    'contact_attempts a INDEXED BY contact_attempts_case',
    'a.started_at',
    'a.case_id',
  );
  const entriesOf = (st: ReturnType<typeof entries>, c: ChunkIds): { rows: string; keys: string[] } => {
    const contiguous = c.hi - c.lo + 1 === c.count;
    const { rows, keys } = (contiguous ? st.range : st.ids).get(c)!;
    return { rows, keys: JSON.parse(keys) as string[] };
  };
  const plans = db.prepare<Scope, PlanRow>(
    `SELECT p.*, c.case_no, c.borrower_name, pu.username AS proposed_by_name, du.username AS decided_by_name
     FROM plans p JOIN cases c ON c.id = p.case_id JOIN users pu ON pu.id = p.proposed_by LEFT JOIN users du ON du.id = p.decided_by
     WHERE ${IN_SCOPE} ORDER BY p.case_id, p.id`,
  );
  const returns = db.prepare<Scope, { case_id: number; case_no: string; recalled_at: string; recall_id: number; source: string; reason: string; stage_before: string; paid_fen: number }>(
    `SELECT rc.case_id, c.case_no, r.recalled_at, r.id AS recall_id, r.source, rc.reason, rc.stage_before,
       (SELECT coalesce(sum(p.amount_fen), 0) FROM payments p WHERE p.case_id = c.id) AS paid_fen
     FROM recall_cases rc JOIN recalls r ON r.id = rc.recall_id JOIN cases c ON c.id = rc.case_id
     WHERE ${IN_SCOPE} ORDER BY r.id, c.case_no`,
  );
  const legal = db.prepare<Scope, { case_id: number; status: string }>(
    `SELECT r.case_id, r.status FROM legal_referrals r JOIN cases c ON c.id = r.case_id WHERE ${IN_SCOPE} ORDER BY r.case_id, r.id`,
  );

  return {
    keys: (): SigningKeyRow[] => keys.all(),
    addKey: (publicPem: string, privateDer: Buffer, fingerprint: string, at: string, by: number | null): void => void insertKey.run(publicPem, privateDer, fingerprint, at, by),
    retireCurrent: (at: string): void => void retire.run(at),
    lender: (id: number) => settings.get(id) ?? null,
    setTemplate: (lenderId: number, json: string): void => void setTemplate.run(json, lenderId),
    setPiiFull: (lenderId: number, on: boolean): void => void setPii.run(on ? 1 : 0, lenderId),
    lenderKeys: () => lenderKeys.all(),
    setLenderKey: (lenderId: number, pem: string | null): void => void setLenderKey.run(pem, lenderId),
    addExport: (e: { lender_id: number; batch_id: number | null; period_from: string | null; period_to: string | null; path: string; files: string; fingerprint: string; manifest_sha256: string; schedule_id: number | null; generated_by: number | null; generated_at: string }): number =>
      Number(insertExport.run(e).lastInsertRowid),
    exports: (lenderId: number | null, limit: number) => exportsOf.all(lenderId, lenderId, limit),
    exportById: (id: number) => exportById.get(id),
    /** What turns raw rows into report rows: the lender's batches, users' names and the lender's terms (few; read once). */
    rowContext(s: Scope): RowContext {
      return {
        batches: new Map(batchesOf.all(s.lenderId).map((b) => [b.id, { batch_no: b.batch_no, placement_date: b.placement_date }])),
        users: new Map(usernames.all().map((u) => [u.id, u.username])),
        lenderTerms: lenderTerms.get(s.lenderId)?.default_terms ?? '{}',
      };
    },
    /** The cases in scope in id order, `size` at a time: each chunk's raw rows (see caseRow) as JSON text, and their ids. */
    *caseChunks(s: Scope, size: number): Generator<{ rows: string; ids: ChunkIds }> {
      const page = s.batchId === null ? lenderChunk : batchChunk;
      for (let after = 0; ; ) {
        const { rows, ids, last } = page.get({ ...s, after, size })!;
        if (last === null) return;
        const list = JSON.parse(ids) as number[];
        // The aggregate sees the page's rows in the order the page yields them (id order); merging the
        // payments and contact log depends on it, so it is checked rather than assumed.
        for (let i = 1; i < list.length; i++) if (list[i]! <= list[i - 1]!) throw new Error('internal: a page of cases came out of id order');
        yield { rows, ids: { lo: list[0]!, hi: last, count: list.length, ids } };
        after = last;
      }
    },
    plans: (s: Scope): PlanRow[] => plans.all(s),
    /** A chunk's payments as JSON text of raw rows (see paymentRow) in case order, and their days. */
    chunkPayments: (c: ChunkIds) => entriesOf(payments, c),
    /** A chunk's contact log as JSON text of raw rows (see attemptRow) in case order, and their starts. */
    chunkAttempts: (c: ChunkIds) => entriesOf(attempts, c),
    legal: (s: Scope) => legal.all(s),
    /** Cases returned to the lender (退案), with the recall's date, reason and the stage each had. */
    returns: (s: Scope) => returns.iterate(s),
  };
}

/** A chunk's cases: the lowest and highest id, how many, and all their ids as a JSON list. */
export interface ChunkIds {
  lo: number;
  hi: number;
  count: number;
  ids: string;
}

export interface RowContext {
  batches: Map<number, { batch_no: string; placement_date: string }>;
  users: Map<number, string>;
  lenderTerms: string;
}

/** Where a payment's or contact entry's raw row keeps its id, its case's id and its day (payments) or start (contacts). */
export const RAW = { id: 0, ofCase: 1, at: 2 } as const;

/** One raw row of CASE_COLS (in that order) as a ReportCaseRow. */
export function caseRow(a: unknown[], ctx: RowContext): ReportCaseRow {
  const collectorId = a[10] as number | null;
  const batch = ctx.batches.get(a[3] as number)!;
  return {
    id: a[0] as number,
    lender_id: a[1] as number,
    case_no: a[2] as string,
    batch_no: batch.batch_no,
    borrower_name: a[4] as string,
    id_number: a[5] as string,
    mobile: a[6] as string,
    bucket: a[7] as string,
    stage: a[8] as string,
    status: a[9] as string,
    collector_id: collectorId,
    collector: collectorId === null ? null : (ctx.users.get(collectorId) ?? null),
    // The row's own 委案日期 (migration 011), else its batch's.
    placed_on: (a[19] as string | null | undefined) ?? batch.placement_date,
    overdue_amount_fen: a[11] as number,
    placement_amount_fen: a[12] as number | null,
    overdue_principal_fen: a[13] as number | null,
    overdue_interest_fen: a[14] as number | null,
    overdue_penalty_fen: a[15] as number | null,
    overdue_late_fee_fen: a[16] as number | null,
    terms: a[17] as string,
    days_overdue: (a[18] as number | null | undefined) ?? null,
    ended_at: (a[20] as string | null | undefined) ?? null,
    lender_terms: ctx.lenderTerms,
    approval: '',
    compliance: '',
  };
}

export function paymentRow(a: unknown[], { users }: RowContext): ReportPaymentRow {
  return {
    id: a[0] as number,
    case_id: a[1] as number,
    paid_on: a[2] as string,
    amount_fen: a[3] as number,
    channel: a[4] as string,
    payer: a[5] as string,
    reference: a[6] as string,
    note: a[7] as string,
    source: a[8] as PaymentRow['source'],
    entered_by_name: users.get(a[9] as number) ?? '',
    entered_at: a[10] as string,
    reverses_id: a[11] as number | null,
    reversed_by_id: a[12] as number | null,
  };
}

export function attemptRow(a: unknown[], { users }: RowContext): ReportAttemptRow {
  return {
    id: a[0] as number,
    case_id: a[1] as number,
    started_at: a[2] as string,
    channel: a[3] as string,
    party: a[4] as string,
    relation: a[5] as string | null,
    number: a[6] as string | null,
    direction: a[7] as string,
    duration_sec: a[8] as number,
    outcome: a[9] as string,
    note: a[10] as string,
    promise_amount_fen: a[11] as number | null,
    promise_date: a[12] as string | null,
    collector: users.get(a[13] as number) ?? '',
    next_follow_up_at: a[14] as string | null,
    corrects_id: a[15] as number | null,
    corrected: a[16] as number,
  };
}
