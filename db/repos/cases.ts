// Cases: the import's bulk writes and the case list's filtered, sorted pages.
import type { Db } from '../open.js';
import { CASE_INDEXES as CASE_INDEXES_002 } from '../migrations/002_placements.js';
import { CASE_INDEXES_012, OUTSTANDING_KEY } from '../migrations/012_balance_terms.js';
import { tailIds, type TailTerm } from './case-search.js';

/**
 * The day a finished case left collection (its last stage move; NULL while open), over `cases AS c`: what
 * the one aging rule (shared/domain/placement/aging.ts) stops counting at. One definition for every reader.
 */
export const ENDED_AT = `CASE WHEN c.status <> 'open' THEN (SELECT max(h.at) FROM case_history h WHERE h.case_id = c.id AND h.kind = 'stage') END AS ended_at`;

/** The case indexes as the latest migration left them (a bulk load rebuilds these definitions). */
const CASE_INDEXES: Record<string, string> = { ...CASE_INDEXES_002, ...CASE_INDEXES_012 };

/** One case as the importer writes it (column names of the cases table). */
export interface CaseRecord {
  case_no: string;
  borrower_name: string;
  id_number: string;
  gender: string | null;
  birth_date: string | null;
  province: string | null;
  mobile: string;
  home_address: string | null;
  work_address: string | null;
  registered_address: string | null;
  employer: string | null;
  product_name: string | null;
  loan_amount_fen: number | null;
  loan_date: string | null;
  due_date: string | null;
  interest_rate: string | null;
  remaining_principal_fen: number | null;
  overdue_amount_fen: number;
  overdue_principal_fen: number | null;
  overdue_interest_fen: number | null;
  overdue_penalty_fen: number | null;
  overdue_late_fee_fen: number | null;
  placement_amount_fen: number | null;
  days_overdue: number | null;
  bucket: string | null;
  overdue_periods: number | null;
  paid_periods: number | null;
  last_payment_date: string | null;
  last_payment_fen: number | null;
  notes: string | null;
  contacts: string;
  extra: string;
  /** The row's own 委案日期 / 委案到期日 (NULL: the batch's; migration 011). */
  placed_on: string | null;
  term_end_date: string | null;
}

export const CASE_COLUMNS = [
  'case_no', 'borrower_name', 'id_number', 'gender', 'birth_date', 'province', 'mobile', 'home_address', 'work_address',
  'registered_address', 'employer', 'product_name', 'loan_amount_fen', 'loan_date', 'due_date', 'interest_rate',
  'remaining_principal_fen', 'overdue_amount_fen', 'overdue_principal_fen', 'overdue_interest_fen', 'overdue_penalty_fen',
  'overdue_late_fee_fen', 'placement_amount_fen', 'days_overdue', 'bucket', 'overdue_periods', 'paid_periods',
  'last_payment_date', 'last_payment_fen', 'notes', 'contacts', 'extra', 'placed_on', 'term_end_date',
] as const satisfies readonly (keyof CaseRecord)[];

/** Prepared statements for one import transaction. */
export function caseWriter(db: Db) {
  const cols = CASE_COLUMNS.join(', ');
  const sets = CASE_COLUMNS.filter((c) => c !== 'case_no').map((c) => `${c} = @${c}`).join(', ');
  // A re-placement restates what is owed: the stored outstanding goes with the old figures (see core/money/ledger.ts refreshOutstanding).
  // A re-placed case whose personal data was erased holds the lender's data again: no longer erased, so its
  // retention runs again when it is finished (migration 020).
  const update = db.prepare(
    `UPDATE case_rows SET batch_id = @batch_id, updated_at = @now, outstanding_fen = NULL, erased_at = NULL, erasure_run_id = NULL, ${sets} WHERE id = @id`,
  );
  const find = db.prepare<[number, string], CaseRecord & { id: number; batch_id: number }>(
    `SELECT id, batch_id, ${cols} FROM case_rows WHERE lender_id = ? AND case_no = ?`,
  );
  // The importer's own lookups read case_rows: a load's cases written in earlier parts are out of sight for everyone else.
  const idOf = db.prepare<[number, string], { id: number }>('SELECT id FROM case_rows WHERE lender_id = ? AND case_no = ?');
  const history = db.prepare<[number, string, number, number, string, string]>(
    'INSERT INTO case_history (case_id, at, actor_id, batch_id, kind, detail) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const count = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM case_rows WHERE lender_id = ?');
  const nextId = db.prepare<[], { n: number }>('SELECT coalesce(max(id), 0) + 1 AS n FROM case_rows');
  return {
    update: (id: number, rec: CaseRecord, batchId: number, now: string) => void update.run({ ...rec, id, batch_id: batchId, now }),
    find: (lenderId: number, caseNo: string) => find.get(lenderId, caseNo) ?? null,
    idOf: (lenderId: number, caseNo: string) => idOf.get(lenderId, caseNo)?.id ?? null,
    exists: (lenderId: number, caseNo: string) => idOf.get(lenderId, caseNo) !== undefined,
    history: (caseId: number, at: string, actorId: number, batchId: number, kind: string, detail: unknown) =>
      void history.run(caseId, at, actorId, batchId, kind, JSON.stringify(detail)),
    countOfLender: (lenderId: number) => count.get(lenderId)!.n,
    /** The id the next inserted case gets (ids rise by one per insert inside a write transaction). */
    nextId: () => nextId.get()!.n,
  };
}

/**
 * The import's insert: lender, batch and time are the same for every case of a batch, so they are written
 * into the statement once and each case binds only its CASE_COLUMNS values, in that order (binding ~37
 * values per row is most of an insert's cost). Returns the new case's id; a case number the lender
 * already has fails with SQLITE_CONSTRAINT_UNIQUE (the unique index stays in place during every import).
 */
export function caseInserter(db: Db, lenderId: number, batchId: number, now: string): (values: readonly unknown[]) => number {
  if (!Number.isSafeInteger(lenderId) || !Number.isSafeInteger(batchId)) throw new Error('lender and batch ids must be integers');
  const at = `'${now.replace(/'/g, "''")}'`;
  const insert = db.prepare(
    `INSERT INTO case_rows (lender_id, batch_id, first_batch_id, created_at, updated_at, ${CASE_COLUMNS.join(', ')})
     VALUES (${lenderId}, ${batchId}, ${batchId}, ${at}, ${at}, ${CASE_COLUMNS.map(() => '?').join(', ')})`,
  );
  // Spread, not an array: better-sqlite3 reads an array's elements through slow V8 API calls (~1 µs a row).
  return (values) => Number(insert.run(...values).lastInsertRowid);
}

/**
 * Secondary indexes that a batch's new cases extend at one place (their batch id, their rising case id):
 * cheap to keep up during a bulk load, so they stay. The unique (case_no, lender_id) index stays too: it
 * is what finds a case number repeated within the file.
 */
const APPENDED_INDEXES: ReadonlySet<string> = new Set(['cases_batch', 'cases_open_amount', 'cases_collector', 'case_history_case']);

/** The indexes a bulk load drops and rebuilds once at the end: keys in random order, one sort beats a million inserts. */
export function bulkRebuiltIndexes(): string[] {
  return Object.keys(CASE_INDEXES).filter((name) => !APPENDED_INDEXES.has(name));
}

/** Drops the bulk-rebuilt indexes of cases, inside the import's transaction (a rollback restores them). */
export function dropCaseIndexes(db: Db): void {
  for (const name of bulkRebuiltIndexes()) db.exec(`DROP INDEX IF EXISTS ${name}`);
}

/** Builds what dropCaseIndexes dropped; `onIndex` hears how long each took (profiling). */
export function createCaseIndexes(db: Db, onIndex?: (name: string, ms: number) => void): void {
  for (const name of bulkRebuiltIndexes()) {
    const t = performance.now();
    db.exec(CASE_INDEXES[name]!.replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS').replace(' ON cases(', ' ON case_rows('));
    onIndex?.(name, performance.now() - t);
  }
}

export function totalCases(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
}

export interface CaseQuery {
  lenderId?: number | undefined;
  batchId?: number | undefined;
  bucket?: string | undefined;
  minAmountFen?: number | undefined;
  maxAmountFen?: number | undefined;
  /** Exact search: the caller has decided what kind of text it is. */
  mobile?: string | undefined;
  idNumber?: string | undefined;
  /** Case number (exact) or the start of the borrower's name. */
  text?: string | undefined;
  /** The last 4+ digits of a phone or ID number (尾号), or a contact's whole phone (search table, migration 014). */
  tail?: TailTerm | undefined;
  /** With a tail of 6+ digits: also case numbers starting with them (个案序列号 in digits). */
  tailOrCaseNo?: boolean | undefined;
  /** One collector's cases (collectors see only their own). */
  collectorId?: number | undefined;
  /** Only cases nobody holds. */
  unassigned?: boolean | undefined;
  stage?: string | undefined;
  outcome?: string | undefined;
  followUpBy?: string | undefined;
  promiseBy?: string | undefined;
  /** Cases carrying this flag (case_flags, migration 015). */
  flag?: string | undefined;
  /** Open cases whose 委案到期日 (own, else the batch's) is within these dates (inclusive, YYYY-MM-DD). */
  termEndFrom?: string | undefined;
  termEndTo?: string | undefined;
  /** outstandingFen: the stored outstanding key (migration 012), the figure of the case's last money change. */
  sort: 'outstandingFen' | 'daysOverdue' | 'caseNo' | 'borrowerName' | 'id';
  desc: boolean;
  offset: number;
  limit: number;
}

export interface CaseListRow {
  id: number;
  lender_code: string;
  case_no: string;
  batch_no: string;
  borrower_name: string;
  id_number: string;
  mobile: string;
  province: string | null;
  overdue_amount_fen: number;
  placement_amount_fen: number | null;
  days_overdue: number | null;
  bucket: string | null;
  /** Days overdue and bucket as of today are computed from these (shared/domain/placement/aging.ts). */
  placement_date: string;
  /** When a case that is not open reached its final stage. */
  ended_at: string | null;
  stage: string;
  status: string;
  collector: string | null;
  collector_name: string | null;
  linked_cases: number;
  /** The case's flags, comma-separated (null: none). */
  flags: string | null;
  /** Contacts JSON: a search names the contact whose phone matched. */
  contacts: string;
}

/** The list's amount key on alias c: sorted and filtered through the indexes on OUTSTANDING_KEY. */
const AMOUNT_KEY = OUTSTANDING_KEY.replace(/(outstanding_fen|placement_amount_fen|overdue_amount_fen)/g, 'c.$1');

const SORT_COLUMNS: Record<CaseQuery['sort'], string> = {
  // The expression of the indexes cases_lender_bucket and cases_amount (migration 012), word for word.
  outstandingFen: AMOUNT_KEY,
  daysOverdue: 'c.days_overdue',
  caseNo: 'c.case_no',
  borrowerName: 'c.borrower_name',
  id: 'c.id',
};

/**
 * Case numbers starting with `prefix`, as typed, in capitals or in small letters ('za2025' finds
 * 'ZA2025…'): ranges on the unique (case_no, lender_id) index, no index of its own to build at import.
 */
function caseNoPrefix(prefix: string, args: Record<string, unknown>): string {
  const forms = [...new Set([prefix, prefix.toUpperCase(), prefix.toLowerCase()])];
  return `(${forms
    .map((f, i) => {
      args[`cn${i}`] = f;
      args[`cn${i}End`] = `${f}\u{10FFFF}`;
      return `(c.case_no >= @cn${i} AND c.case_no < @cn${i}End)`;
    })
    .join(' OR ')})`;
}

/** Tests only: useCollectorCases off, every list sorts the matching cases (to compare both plans' rows); ownRange: the last list's plan. */
export const listTuning = { useCollectorCases: true, ownRange: false };

export function listCases(db: Db, q: CaseQuery): { total: number; rows: CaseListRow[] } {
  const where: string[] = [];
  const args: Record<string, unknown> = {};
  const add = (sql: string, key: string, value: unknown) => {
    if (value === undefined) return;
    where.push(sql);
    args[key] = value;
  };
  add('c.lender_id = @lenderId', 'lenderId', q.lenderId);
  add('c.batch_id = @batchId', 'batchId', q.batchId);
  add('c.bucket = @bucket', 'bucket', q.bucket);
  add(`${AMOUNT_KEY} >= @minAmount`, 'minAmount', q.minAmountFen);
  add(`${AMOUNT_KEY} <= @maxAmount`, 'maxAmount', q.maxAmountFen);
  add('c.mobile = @mobile', 'mobile', q.mobile);
  add('c.id_number = @idNumber', 'idNumber', q.idNumber);
  add('a.collector_id = @collectorId', 'collectorId', q.collectorId);
  add('c.stage = @stage', 'stage', q.stage);
  // The latest entry of the case's contact log (corrections included) has this outcome.
  add(
    `(SELECT a.outcome FROM contact_attempts a WHERE a.case_id = c.id ORDER BY a.started_at DESC, a.id DESC LIMIT 1) = @outcome`,
    'outcome',
    q.outcome,
  );
  // Dates compare as text: a follow-up instant before the end of that day (UTC+8), a promise date on or before it.
  add('c.next_follow_up_at < @followUpEnd', 'followUpEnd', q.followUpBy && new Date(Date.parse(`${q.followUpBy}T24:00:00+08:00`)).toISOString());
  add('c.promise_due_date <= @promiseBy', 'promiseBy', q.promiseBy);
  add('c.id IN (SELECT case_id FROM case_flags WHERE flag = @flag)', 'flag', q.flag);
  // The two index ranges the manager's home counts by (migration 016): cases_term_end for a case's own date,
  // cases_open_batch_term for the open cases going by their batch's date.
  if (q.termEndTo !== undefined) {
    where.push(`c.id IN (SELECT id FROM cases WHERE term_end_date IS NOT NULL AND term_end_date BETWEEN @teFrom AND @teTo AND status = 'open'
      UNION ALL SELECT tc.id FROM batches tb JOIN cases tc ON tc.batch_id = tb.id
        WHERE tb.term_end_date BETWEEN @teFrom AND @teTo AND tc.status = 'open' AND tc.term_end_date IS NULL)`);
    args.teFrom = q.termEndFrom ?? '0000-01-01';
    args.teTo = q.termEndTo;
  }
  // As a subquery on the id, checked from the index before any wide row is read.
  if (q.unassigned) where.push('c.id NOT IN (SELECT case_id FROM case_assignments WHERE collector_id IS NOT NULL)');
  // The search table gives a few hundred ids at most for a tail; the other filters (a collector's own) apply to those.
  if (q.tail !== undefined) {
    const tail = `c.id IN (${tailIds(q.tail, args)})`;
    where.push(q.tailOrCaseNo ? `(${tail} OR ${caseNoPrefix(q.tail.digits, args)})` : tail);
  }
  if (q.text !== undefined) {
    // A range on the name index instead of LIKE, which SQLite cannot use an index for with non-ASCII text.
    where.push(`(${caseNoPrefix(q.text, args)} OR (c.borrower_name >= @text AND c.borrower_name < @textEnd))`);
    args.text = q.text;
    args.textEnd = q.text + '\u{10FFFF}';
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  // Who holds a case lives in case_assignments (see migration 003).
  // The holder join only when a condition names it: counting 1M cases through it costs ~20× the narrowest index scan.
  const holder = /\ba\./.test(whereSql) ? 'LEFT JOIN case_assignments a ON a.case_id = c.id' : '';
  // One collector's cases and nothing else: counted in the holders' index alone (each holder row is one existing
  // case), not through 20,000 lookups into the cases table (1M cases: 12.6 ms → 0.7 ms).
  const total =
    where.length === 1 && q.collectorId !== undefined
      ? (db.prepare('SELECT count(*) AS n FROM case_assignments WHERE collector_id = ?').get(q.collectorId) as { n: number }).n
      : (db.prepare(`SELECT count(*) AS n FROM cases c ${holder} ${whereSql}`).get(args) as { n: number }).n;
  const order = `${SORT_COLUMNS[q.sort]} ${q.desc ? 'DESC' : 'ASC'}, c.id ${q.desc ? 'DESC' : 'ASC'}`;
  // A collector's own cases by amount (their usual view): the page's ids come from their range of
  // collector_cases (migration 025) in index order, and only those 50 wide rows are read. Sorting every case
  // they hold instead reads 20,000 rows spread over the whole table (1M cases: 50–65 ms a deep page, 420 ms
  // when another connection's commit has just emptied the page cache). Same rows either way.
  const own = listTuning.useCollectorCases && where.length === 1 && q.collectorId !== undefined && q.sort === 'outstandingFen';
  listTuning.ownRange = own;
  const dir = q.desc ? 'DESC' : 'ASC';
  const page = own
    ? `WHERE c.id IN (SELECT p.case_id FROM collector_cases p WHERE p.collector_id = @collectorId
         ORDER BY p.amount_key ${dir}, p.case_id ${dir} LIMIT @limit OFFSET @offset) ORDER BY ${order}`
    : `${whereSql} ORDER BY ${order} LIMIT @limit OFFSET @offset`;
  const rows = db
    .prepare(
      `SELECT c.id, l.code AS lender_code, c.case_no, b.batch_no, c.borrower_name, c.id_number, c.mobile, c.province,
         c.overdue_amount_fen, c.placement_amount_fen, c.days_overdue, c.bucket, c.stage, c.status, u.username AS collector, u.display_name AS collector_name,
         (SELECT count(*) FROM cases o WHERE o.id_number = c.id_number AND o.id <> c.id) AS linked_cases, (SELECT group_concat(f.flag) FROM case_flags f WHERE f.case_id = c.id) AS flags, c.contacts, coalesce(c.placed_on, b.placement_date) AS placement_date,
         ${ENDED_AT}
       FROM cases c JOIN lenders l ON l.id = c.lender_id JOIN batches b ON b.id = c.batch_id
       LEFT JOIN case_assignments a ON a.case_id = c.id LEFT JOIN users u ON u.id = a.collector_id
       ${page}`,
    )
    .all({ ...args, limit: q.limit, offset: q.offset }) as CaseListRow[];
  return { total, rows };
}
