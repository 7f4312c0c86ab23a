// One pass over a placement file shared by preview and import: header row, column mapping, per-row
// normalisation. Preview counts and samples; import writes the batch in a single transaction.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { WorkerMessage, WorkerRequest } from './protocol.js';
import { readRows, sha256File } from './read/source.js';
import { cellText, type Cell } from './read/rows.js';
import { FileRejected } from './read/limits.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import type { ImportPreview, ImportResult, Rejection } from '../../shared/contract/placements.js';
import { PLACEMENT_FIELDS } from '../../shared/domain/placement/fields.js';
import { autoMap, applyTemplate } from '../../shared/domain/placement/auto-map.js';
import { findHeaderRow } from '../../shared/domain/placement/header-row.js';
import { compileRowNormaliser, STORED_FIELDS, type PlacementCase, type RowResult, type CellValue } from '../../shared/domain/placement/normalise-row.js';
import { maskIdNumber, maskMobile } from '../../shared/domain/placement/masking.js';
import { formatFen } from '../../shared/domain/placement/money.js';
import { openEncrypted, type Db } from '../../db/open.js';
import { batchesRepo } from '../../db/repos/batches.js';
import { auditRepo } from '../../db/repos/audit.js';
import { lendersRepo } from '../../db/repos/lenders.js';
import { caseWriter, createCaseIndexes, dropCaseIndexes, totalCases, type CaseRecord } from '../../db/repos/cases.js';
import { toCaseRecord, diffCase } from './case-record.js';

type Post = (m: WorkerMessage) => void;

export interface Layout {
  headerRowNo: number;
  headers: string[];
  columns: Record<string, number | null>;
  missingRequired: string[];
  /** Columns whose values go to the case's extra data (no stored field claims them). */
  keep: number[];
}

const HEADER_SCAN_ROWS = 20;
const PROGRESS_EVERY = 20_000;
const MAX_LISTED_REJECTIONS = 5000;

function layoutOf(headerRowNo: number, headerCells: Cell[], mapping: Record<string, string>): Layout {
  const headers = headerCells.map(cellText);
  const m = Object.keys(mapping).length ? applyTemplate(headers, mapping) : autoMap(headers);
  const columns: Record<string, number | null> = {};
  for (const f of PLACEMENT_FIELDS) columns[f.key] = m.mapping[f.key] ?? null;
  // Columns of fields a case does not store (batch no., ID type, …) and unmapped ones stay in extra data.
  const stored = new Set(Object.entries(columns).filter(([k, c]) => c !== null && STORED_FIELDS.has(k)).map(([, c]) => c as number));
  const keep = headers.map((_, i) => i).filter((i) => !stored.has(i));
  return { headerRowNo, headers, columns, missingRequired: m.missingRequired, keep };
}

const isBlankRow = (cells: Cell[]) => cells.every((c) => cellText(c) === '');

/** Reads the file, calling `onRow` for every non-blank data row after the header. */
async function walk(req: WorkerRequest, post: Post, onLayout: (l: Layout) => void, onRow: (rowNo: number, cells: Cell[]) => void, cancelled: () => boolean) {
  let layout: Layout | null = null;
  const pending: { rowNo: number; cells: Cell[] }[] = [];
  let rowsRead = 0;
  let lastBytes = 0;
  const decide = () => {
    const texts = pending.map((r) => r.cells.map(cellText));
    const found = findHeaderRow(texts);
    if (found.index < 0) throw new FileRejected(`No header row found in the first ${HEADER_SCAN_ROWS} rows: ${found.reason ?? 'no row names enough placement fields'}.`);
    const header = pending[found.index]!;
    layout = layoutOf(header.rowNo, header.cells, req.settings.mapping);
    onLayout(layout);
    for (const r of pending.slice(found.index + 1)) if (!isBlankRow(r.cells)) onRow(r.rowNo, r.cells);
  };
  const info = await readRows(
    req.filePath,
    (batch) => {
      if (cancelled()) throw new FileRejected('Cancelled.');
      for (let i = 0; i < batch.rows.length; i++) {
        const rowNo = batch.firstRow + i;
        const cells = batch.rows[i]!;
        if (!layout) {
          pending.push({ rowNo, cells });
          if (pending.length >= HEADER_SCAN_ROWS) decide();
        } else if (!isBlankRow(cells)) onRow(rowNo, cells);
      }
      rowsRead += batch.rows.length;
      lastBytes = batch.bytesRead || lastBytes;
      if (rowsRead % PROGRESS_EVERY < batch.rows.length) post({ type: 'progress', phase: 'reading', rowsRead, bytesRead: lastBytes });
    },
    { sheet: req.settings.sheet },
  );
  if (!layout) {
    if (pending.length === 0) throw new FileRejected('The file has no rows.');
    decide();
  }
  return { info, layout: layout as unknown as Layout, rowsRead };
}

function columnName(layout: Layout, field: string): string {
  const col = layout.columns[field];
  if (col !== null && col !== undefined) return layout.headers[col] || `column ${col + 1}`;
  return PLACEMENT_FIELDS.find((f) => f.key === field)?.labelZh ?? field;
}

function openStore(req: WorkerRequest): Db {
  const key = Buffer.from(req.keyHex, 'hex');
  try {
    const db = openEncrypted(req.dbFile, key, { nativeBinding: req.nativeBinding, migrate: false });
    db.pragma('cache_size = -262144'); // 256 MiB: encrypted bulk writes are 2–5× faster with a large cache
    return db;
  } finally {
    key.fill(0);
  }
}

/** Validates every row and reports what an import would do, without writing anything. */
export async function runPreview(req: WorkerRequest, post: Post): Promise<ImportPreview> {
  const db = openStore(req);
  try {
    const sha256 = await sha256File(req.filePath);
    const writer = caseWriter(db);
    const dup = batchesRepo(db).bySha256(req.settings.lenderId, sha256);
    const rejections: Rejection[] = [];
    const sample: ImportPreview['sample'] = [];
    const seen = new Map<string, number>();
    let layout: Layout | null = null;
    let valid = 0;
    let rejectedRows = 0;
    let existing = 0;
    let total = 0;
    let normalise: (cells: readonly CellValue[]) => RowResult = () => ({ ok: false, errors: [] });
    const { info } = await walk(
      req,
      post,
      (l) => {
        layout = l;
        normalise = compileRowNormaliser(l.columns, { asOf: req.settings.placementDate });
      },
      (rowNo, cells) => {
        total++;
        const r = normalise(cells);
        const errors = r.ok ? duplicateInFile(r.value, rowNo, seen) : r.errors;
        if (errors.length) {
          rejectedRows++;
          for (const e of errors) if (rejections.length < MAX_LISTED_REJECTIONS) rejections.push({ row: rowNo, column: columnName(layout!, e.field), reason: e.reason });
          return;
        }
        const c = (r as { value: PlacementCase }).value;
        valid++;
        if (writer.exists(req.settings.lenderId, c.caseNo)) existing++;
        if (sample.length < 20) sample.push({ row: rowNo, values: displayValues(c) });
      },
      () => false,
    );
    const l = layout as unknown as Layout;
    return {
      format: info.format,
      encoding: info.encoding ?? null,
      sheets: info.sheets ?? [],
      sheet: info.sheet ?? null,
      headerRow: l.headerRowNo,
      headers: l.headers,
      mapping: l.columns,
      missingRequired: l.missingRequired,
      templateUsed: req.settings.templateName,
      sample,
      totalRows: total,
      validRows: valid,
      rejectedRows,
      existingCases: existing,
      rejections,
      duplicateOf: dup ? { batchId: dup.id, batchNo: dup.batchNo } : null,
      sha256,
    };
  } finally {
    db.close();
  }
}

function duplicateInFile(c: PlacementCase, rowNo: number, seen: Map<string, number>): { field: string; reason: string }[] {
  const first = seen.get(c.caseNo);
  if (first !== undefined) return [{ field: 'caseNo', reason: `case number ${c.caseNo} appears again (first at row ${first})` }];
  seen.set(c.caseNo, rowNo);
  return [];
}

/** What the preview shows of a row: normalised, with ID and phone masked. */
function displayValues(c: PlacementCase): Record<string, string> {
  return {
    caseNo: c.caseNo,
    borrowerName: c.borrowerName,
    idNumber: maskIdNumber(c.idNumber),
    mobile: maskMobile(c.mobile),
    overdueAmount: formatFen(c.overdueAmountFen),
    daysOverdue: c.daysOverdue === null ? '' : String(c.daysOverdue),
    bucket: c.bucket ?? '',
    province: c.province ?? '',
    dueDate: c.dueDate ?? '',
    contacts: String(c.contacts.length),
  };
}

/** Imports the file as one batch inside one transaction. */
export async function runImport(req: WorkerRequest, post: Post): Promise<ImportResult> {
  const b = req.batch!;
  const s = req.settings;
  const db = openStore(req);
  const batches = batchesRepo(db);
  const writer = caseWriter(db);
  try {
    const sha256 = await sha256File(req.filePath);
    const dup = batches.bySha256(s.lenderId, sha256);
    if (dup) throw new ApiFailure('CONFLICT', `This file was already imported as batch ${dup.batchNo} on ${dup.importedAt.slice(0, 10)}.`);
    if (batches.byNo(s.lenderId, b.batchNo)) throw new ApiFailure('CONFLICT', `Batch number ${b.batchNo} is already used for this lender.`);
    const fileBytes = statSync(req.filePath).size;
    db.exec('BEGIN IMMEDIATE');
    let batchId = 0;
    const rejections: Rejection[] = [];
    const seen = new Map<string, number>();
    let imported = 0;
    let updated = 0;
    let rejectedRows = 0;
    let total = 0;
    let amountFen = 0;
    let layout: Layout | null = null;
    let normalise: (cells: readonly CellValue[]) => RowResult = () => ({ ok: false, errors: [] });
    // With no case of this lender yet, every row is new: skip the per-row lookup.
    const fresh = writer.countOfLender(s.lenderId) === 0;
    // A large load into a comparatively small table: build the secondary indexes once, at the end.
    const bulk = fresh && fileBytes / 150 > totalCases(db);
    try {
      const { info } = await walk(
        req,
        post,
        (l) => {
          layout = l;
          normalise = compileRowNormaliser(l.columns, { asOf: s.placementDate });
          if (l.missingRequired.length) {
            const names = l.missingRequired.map((k) => PLACEMENT_FIELDS.find((f) => f.key === k)?.labelZh ?? k);
            throw new ApiFailure('BAD_INPUT', `Required fields are not mapped to any column: ${names.join(', ')}. Map them and try again.`);
          }
          batchId = batches.create({
            lenderId: s.lenderId,
            batchNo: b.batchNo,
            placementDate: s.placementDate,
            termEndDate: b.termEndDate,
            sourceName: req.fileName,
            sourceSha256: sha256,
            sourceBytes: fileBytes,
            sourceFormat: path.extname(req.fileName).slice(1).toLowerCase() || 'csv',
            templateName: s.templateName,
            mapping: JSON.stringify({ headers: l.headers, columns: l.columns }),
            importedAt: b.now,
            importedBy: b.importedBy,
          });
          if (bulk) dropCaseIndexes(db);
        },
        (rowNo, cells) => {
          total++;
          const r = normalise(cells);
          const errors = r.ok ? duplicateInFile(r.value, rowNo, seen) : r.errors;
          if (errors.length) {
            rejectedRows++;
            const raw = cells.map(cellText);
            for (const e of errors) {
              const column = columnName(layout!, e.field);
              batches.addRejection(batchId, rowNo, column, e.reason, raw);
              if (rejections.length < MAX_LISTED_REJECTIONS) rejections.push({ row: rowNo, column, reason: e.reason });
            }
            return;
          }
          const c = (r as { value: PlacementCase }).value;
          const rec: CaseRecord = toCaseRecord(c, layout!.headers, cells, layout!.keep);
          amountFen += rec.overdue_amount_fen;
          const before = fresh ? null : writer.find(s.lenderId, c.caseNo);
          if (!before) {
            writer.insert(rec, s.lenderId, batchId, b.now);
            imported++;
          } else {
            writer.update(before.id, rec, batchId, b.now);
            writer.history(before.id, b.now, b.importedBy, batchId, 'replaced', { batchNo: b.batchNo, changes: diffCase(before, rec) });
            updated++;
          }
        },
        () => false,
      );
      void info;
      if (s.rejectPolicy === 'block_file' && rejectedRows > 0) {
        throw new ApiFailure('BAD_INPUT', `${rejectedRows} row(s) were rejected and this lender's policy blocks the whole file: nothing was imported.`);
      }
      post({ type: 'progress', phase: 'indexing', rowsRead: total, bytesRead: fileBytes });
      if (bulk) createCaseIndexes(db);
      batches.finish(batchId, { total, imported, updated, rejected: rejectedRows, amountFen });
      const l = layout as unknown as Layout;
      if (b.saveTemplateAs) {
        const mapping: Record<string, string> = {};
        for (const [k, col] of Object.entries(l.columns)) if (col !== null) mapping[k] = l.headers[col]!;
        lendersRepo(db).saveTemplate(s.lenderId, b.saveTemplateAs, mapping, b.now);
      }
      auditRepo(db).append({
        at: b.now,
        actorId: b.importedBy,
        actor: req.actor,
        host: req.host,
        action: b.dryRun ? 'import.dryRun' : 'import.batch',
        entity: 'batch',
        entityId: String(batchId),
        detail: { lender: s.lenderCode, batchNo: b.batchNo, file: req.fileName, sha256, imported, updated, rejected: rejectedRows, template: b.saveTemplateAs ?? s.templateName },
      });
      post({ type: 'progress', phase: 'committing', rowsRead: total, bytesRead: fileBytes });
      // A file with no usable row leaves no batch behind: fix it and import it again.
      if (b.dryRun || imported + updated === 0) db.exec('ROLLBACK');
      else db.exec('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
    const batch = b.dryRun || imported + updated === 0 ? null : batches.byId(batchId);
    return { batch, imported, updated, rejected: rejectedRows, rejections, dryRun: b.dryRun };
  } finally {
    db.close();
  }
}
