import type { Db } from '../open.js';
import type { Batch } from '../../shared/contract/placements.js';

interface Row {
  id: number;
  lender_id: number;
  lender_code: string;
  batch_no: string;
  placement_date: string;
  term_end_date: string | null;
  source_name: string;
  source_sha256: string;
  rows_total: number;
  rows_imported: number;
  rows_updated: number;
  rows_rejected: number;
  amount_fen: number;
  imported_at: string;
  imported_by: string;
}
const toBatch = (r: Row): Batch => ({
  id: r.id,
  lenderId: r.lender_id,
  lenderCode: r.lender_code,
  batchNo: r.batch_no,
  placementDate: r.placement_date,
  termEndDate: r.term_end_date,
  sourceName: r.source_name,
  sourceSha256: r.source_sha256,
  rowsTotal: r.rows_total,
  rowsImported: r.rows_imported,
  rowsUpdated: r.rows_updated,
  rowsRejected: r.rows_rejected,
  amountFen: r.amount_fen,
  importedAt: r.imported_at,
  importedBy: r.imported_by,
});
const SELECT = `SELECT b.*, l.code AS lender_code, u.username AS imported_by FROM batches b
  JOIN lenders l ON l.id = b.lender_id JOIN users u ON u.id = b.imported_by`;

export interface NewBatch {
  lenderId: number;
  batchNo: string;
  placementDate: string;
  termEndDate: string | null;
  sourceName: string;
  sourceSha256: string;
  sourceBytes: number;
  sourceFormat: string;
  templateName: string | null;
  mapping: string;
  importedAt: string;
  importedBy: number;
}

export function batchesRepo(db: Db) {
  const byId = db.prepare<[number], Row>(`${SELECT} WHERE b.id = ?`);
  const bySha = db.prepare<[number, string], Row>(`${SELECT} WHERE b.lender_id = ? AND b.source_sha256 = ?`);
  const byNo = db.prepare<[number, string], Row>(`${SELECT} WHERE b.lender_id = ? AND b.batch_no = ?`);
  // A batch still loading (migration 026) is listed once it publishes, with its cases.
  const notLoading = 'NOT EXISTS (SELECT 1 FROM case_loading l WHERE l.batch_id = b.id)';
  const all = db.prepare<[], Row>(`${SELECT} WHERE ${notLoading} ORDER BY b.id DESC`);
  const ofLender = db.prepare<[number], Row>(`${SELECT} WHERE b.lender_id = ? AND ${notLoading} ORDER BY b.id DESC`);
  const countOfDay = db.prepare<[number, string], { n: number }>('SELECT count(*) AS n FROM batches WHERE lender_id = ? AND placement_date = ?');
  const insert = db.prepare(
    `INSERT INTO batches (lender_id, batch_no, placement_date, term_end_date, source_name, source_sha256, source_bytes, source_format,
       template_name, mapping, rows_total, rows_imported, rows_updated, rows_rejected, amount_fen, imported_at, imported_by)
     VALUES (@lenderId, @batchNo, @placementDate, @termEndDate, @sourceName, @sourceSha256, @sourceBytes, @sourceFormat,
       @templateName, @mapping, 0, 0, 0, 0, 0, @importedAt, @importedBy)`,
  );
  const finish = db.prepare<[number, number, number, number, number, string, number]>(
    'UPDATE batches SET rows_total = ?, rows_imported = ?, rows_updated = ?, rows_rejected = ?, amount_fen = ?, source_sha256 = ? WHERE id = ?',
  );
  const sameSize = db.prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM batches WHERE lender_id = ? AND source_bytes = ?');
  const addRejection = db.prepare<[number, number, string, string, string]>(
    'INSERT INTO import_rejections (batch_id, row_no, column_name, reason, raw) VALUES (?, ?, ?, ?, ?)',
  );
  const rejections = db.prepare<[number], { row_no: number; column_name: string; reason: string; raw: string }>(
    'SELECT row_no, column_name, reason, raw FROM import_rejections WHERE batch_id = ? ORDER BY row_no, rowid',
  );
  const mappingOf = db.prepare<[number], { mapping: string }>('SELECT mapping FROM batches WHERE id = ?');
  const setDates = db.prepare<[string, string, string | null, number]>('UPDATE batches SET batch_no = ?, placement_date = ?, term_end_date = ? WHERE id = ?');
  const one = (r: Row | undefined) => (r ? toBatch(r) : null);
  return {
    byId: (id: number) => one(byId.get(id)),
    bySha256: (lenderId: number, sha: string) => one(bySha.get(lenderId, sha)),
    byNo: (lenderId: number, no: string) => one(byNo.get(lenderId, no)),
    list: (lenderId?: number) => (lenderId ? ofLender.all(lenderId) : all.all()).map(toBatch),
    countOnDate: (lenderId: number, date: string) => countOfDay.get(lenderId, date)!.n,
    create: (b: NewBatch) => Number(insert.run(b).lastInsertRowid),
    /** Counts, and the file's SHA-256 (an import learns it at the end: a batch is created with a placeholder). */
    finish: (id: number, c: { total: number; imported: number; updated: number; rejected: number; amountFen: number }, sha256: string) =>
      void finish.run(c.total, c.imported, c.updated, c.rejected, c.amountFen, sha256, id),
    /** The batch's number and dates once the file's own dates are known (an import that was given none). */
    setDates: (id: number, batchNo: string, placementDate: string, termEndDate: string | null) => void setDates.run(batchNo, placementDate, termEndDate, id),
    /** Whether a batch of this lender came from a file of this many bytes (only then can a file repeat one). */
    hasFileOfSize: (lenderId: number, bytes: number) => sameSize.get(lenderId, bytes)!.n > 0,
    addRejection: (batchId: number, row: number, column: string, reason: string, raw: string[]) =>
      void addRejection.run(batchId, row, column, reason, JSON.stringify(raw)),
    rejections: (batchId: number) =>
      rejections.all(batchId).map((r) => ({ row: r.row_no, column: r.column_name, reason: r.reason, raw: JSON.parse(r.raw) as string[] })),
    /** The header texts the batch was imported with (its mapping's stored headers). */
    headersOf: (batchId: number): string[] => {
      const m = mappingOf.get(batchId);
      return m ? ((JSON.parse(m.mapping) as { headers?: string[] }).headers ?? []) : [];
    },
  };
}
