// The writing half of an import, inside its transaction: new cases, re-placed cases (updated, with the
// change in their history), cases repeated within the file and rows the normaliser refused.
import { dashboardTally, type DashboardTally } from '../../db/repos/dashboard-import.js';
import type { Db } from '../../db/open.js';
import { batchesRepo } from '../../db/repos/batches.js';
import { caseInserter, caseWriter, CASE_COLUMNS, type CaseRecord } from '../../db/repos/cases.js';
import type { Rejection } from '../../shared/contract/placements.js';
import { CaseBatchReader, CASE_NO, OVERDUE_AMOUNT, VALUES_PER_CASE, type CaseBatch, type RejectedRow } from './case-batch.js';
import { diffCase } from './case-record.js';
import { moneyRepo } from '../../db/repos/money.js';
import { refreshOutstanding } from '../money/ledger.js';
import { dayIn } from '../../shared/domain/casework/today.js';
import { columnName, type Layout } from './walk.js';
import { caseLoadingRepo } from '../../db/repos/case-loading.js';

const MAX_LISTED_REJECTIONS = 5000;

/** File row number of each case this import wrote: new cases' ids rise by one, so mostly a typed array. */
class RowOfCase {
  private rows = new Int32Array(1 << 16);
  private n = 0;
  private others = new Map<number, number>();

  constructor(private readonly firstNewId: number) {}

  set(id: number, row: number): void {
    const k = id - this.firstNewId;
    if (k !== this.n) {
      this.others.set(id, row);
      return;
    }
    if (k >= this.rows.length) {
      const bigger = new Int32Array(this.rows.length * 2);
      bigger.set(this.rows);
      this.rows = bigger;
    }
    this.rows[this.n++] = row;
  }

  get(id: number): number | undefined {
    const k = id - this.firstNewId;
    return k >= 0 && k < this.n ? this.rows[k] : this.others.get(id);
  }
}

export interface SinkSettings {
  lenderId: number;
  batchId: number;
  batchNo: string;
  now: string;
  importedBy: number;
  /** The lender has no case yet: every case is new unless its number repeats within the file. */
  fresh: boolean;
  /**
   * The load is written in parts (pipeline.ts): re-placed cases' new values wait in case_loading_updates
   * and are applied by applyStaged in the last part, so that none shows before the batch publishes.
   */
  deferUpdates?: boolean;
}

export class CaseSink {
  total = 0;
  imported = 0;
  updated = 0;
  rejectedRows = 0;
  amountFen = 0;
  readonly rejections: Rejection[] = [];
  private readonly values: unknown[] = new Array(VALUES_PER_CASE);
  private readonly insert: (values: readonly unknown[]) => number;
  private readonly writer: ReturnType<typeof caseWriter>;
  private readonly batches: ReturnType<typeof batchesRepo>;
  private readonly rowOf: RowOfCase;
  private money: ReturnType<typeof moneyRepo> | null = null;
  /** Cases re-placed by this load whose new values wait (deferUpdates): a second row for one is a repeat. */
  private readonly staged = new Set<number>();
  private loading: ReturnType<typeof caseLoadingRepo> | null = null;
  private readonly dashboard: DashboardTally;

  constructor(
    private readonly db: Db,
    private readonly s: SinkSettings,
    private readonly layout: Layout,
  ) {
    this.writer = caseWriter(db);
    this.batches = batchesRepo(db);
    const insert = caseInserter(db, s.lenderId, s.batchId, s.now);
    const tally = (this.dashboard = dashboardTally(db, s.batchId));
    // The dashboard's summary tables get the new cases' totals at the end (flushDashboard), not a trigger per row.
    this.insert = (values) => {
      const id = insert(values);
      tally.add(values);
      return id;
    };
    this.rowOf = new RowOfCase(this.writer.nextId());
  }

  /** Puts the new cases into the dashboard's summary tables (once, before COMMIT). */
  flushDashboard(): void {
    this.dashboard.flush();
  }

  /** Writes one batch from the reader, in file row order. */
  add(batch: CaseBatch): void {
    const rd = new CaseBatchReader(batch);
    const rejected = batch.rejected;
    let r = 0;
    const v = this.values;
    while (rd.next(v)) {
      const rowNo = rd.rowNo;
      while (r < rejected.length && rejected[r]!.row < rowNo) this.reject(rejected[r++]!);
      this.addCase(rowNo, v, rd);
    }
    while (r < rejected.length) this.reject(rejected[r++]!);
    this.total += batch.n + rejected.length;
  }

  private addCase(rowNo: number, v: unknown[], rd: CaseBatchReader): void {
    const s = this.s;
    const caseNo = v[CASE_NO] as string;
    if (s.fresh) {
      let id: number;
      try {
        id = this.insert(v);
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
        return this.repeated(rowNo, caseNo, this.writer.idOf(s.lenderId, caseNo), rd);
      }
      this.rowOf.set(id, rowNo);
      this.imported++;
    } else {
      const before = this.writer.find(s.lenderId, caseNo);
      if (!before) {
        this.rowOf.set(this.insert(v), rowNo);
        this.imported++;
      } else if (before.batch_id === s.batchId) {
        return this.repeated(rowNo, caseNo, before.id, rd);
      } else if (s.deferUpdates) {
        if (this.staged.has(before.id)) return this.repeated(rowNo, caseNo, before.id, rd);
        (this.loading ??= caseLoadingRepo(this.db)).stage(s.batchId, rowNo, before.id, v);
        this.staged.add(before.id);
        this.rowOf.set(before.id, rowNo);
        this.updated++;
      } else {
        this.replace(before, v);
        this.rowOf.set(before.id, rowNo);
        this.updated++;
      }
    }
    this.amountFen += v[OVERDUE_AMOUNT] as number;
  }

  /** A case placed before takes this file's values, and its history says what changed. */
  private replace(before: CaseRecord & { id: number }, v: readonly unknown[]): void {
    const s = this.s;
    const rec = {} as Record<string, unknown>;
    for (let k = 0; k < VALUES_PER_CASE; k++) rec[CASE_COLUMNS[k]!] = v[k];
    const after = rec as unknown as CaseRecord;
    this.writer.update(before.id, after, s.batchId, s.now);
    // The list's stored outstanding follows the new placement (money rows after it still count).
    refreshOutstanding((this.money ??= moneyRepo(this.db)), before.id, dayIn(new Date(s.now)));
    this.writer.history(before.id, s.now, s.importedBy, s.batchId, 'replaced', { batchNo: s.batchNo, changes: diffCase(before, after) });
  }

  /** deferUpdates: the re-placed cases take their new values (in the publishing transaction), compared with what they hold now. */
  applyStaged(): void {
    for (const r of (this.loading ??= caseLoadingRepo(this.db)).staged(this.s.batchId)) {
      const v = JSON.parse(r.vals) as unknown[];
      const before = this.writer.find(this.s.lenderId, v[CASE_NO] as string);
      if (before) this.replace(before, v);
    }
  }

  /** A case number that appears again in the file: the first one counts, this row is rejected. */
  private repeated(rowNo: number, caseNo: string, firstId: number | null, rd: CaseBatchReader): void {
    const first = firstId === null ? undefined : this.rowOf.get(firstId);
    const raw = rd.rawCells() ?? [caseNo];
    this.reject({ row: rowNo, errors: [{ field: 'caseNo', reason: `case number ${caseNo} appears again (first at row ${first ?? '?'})` }], raw });
  }

  private reject(r: RejectedRow): void {
    this.rejectedRows++;
    for (const e of r.errors) {
      const column = columnName(this.layout, e.field);
      this.batches.addRejection(this.s.batchId, r.row, column, e.reason, r.raw);
      if (this.rejections.length < MAX_LISTED_REJECTIONS) this.rejections.push({ row: r.row, column, reason: e.reason });
    }
  }
}
