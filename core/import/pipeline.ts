// One pass over a placement file shared by preview and import: header row, column mapping, per-row
// normalisation. Preview counts and samples; import writes the batch — in one transaction, or in parts out of
// sight until one last transaction publishes them (migration 026) — with the file read and normalised by a
// second thread (reader.ts) while this one writes (case-sink.ts).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { requestSource, type WorkerMessage, type WorkerRequest } from './protocol.js';
import { detectFormat, sha256File } from './read/source.js';
import { sourceSize, type FileSource } from './read/file-source.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import type { ImportPreview, Rejection } from '../../shared/contract/placements.js';
import { PLACEMENT_FIELDS } from '../../shared/domain/placement/fields.js';
import { compileRowNormaliser, type PlacementCase, type RowResult, type CellValue } from '../../shared/domain/placement/normalise-row.js';
import { maskIdNumber, maskMobile } from '../../shared/domain/placement/masking.js';
import { formatFen } from '../../shared/domain/placement/money.js';
import { openEncrypted, quickCheck, type Db } from '../../db/open.js';
import { sortsInRuns } from '../../db/memtemp.js';
import { batchesRepo } from '../../db/repos/batches.js';
import { auditRepo } from '../../db/repos/audit.js';
import { lendersRepo } from '../../db/repos/lenders.js';
import { caseWriter, createCaseIndexes, dropCaseIndexes, totalCases } from '../../db/repos/cases.js';
import { markCaseSearchPending, writePendingCaseSearch } from '../../db/repos/case-search.js';
import { walk, columnName, type Layout } from './walk.js';
import { startReader, type ReaderThread } from './reader-thread.js';
import { normaliseOptions } from './reader.js';
import { CaseSink } from './case-sink.js';
import { caseLoadingRepo, type Load } from '../../db/repos/case-loading.js';
import { undoLoad, undoStaleLoads } from './loading.js';
import { yieldToInteractive } from '../../db/write-priority.js';
import { FileFacts, amountBasisOf, type FileFactsSummary } from './file-facts.js';

export type { Layout } from './walk.js';

type Post = (m: WorkerMessage) => void;

const PROGRESS_EVERY = 20_000;
/**
 * A load in parts commits after this long in one transaction, then lets waiting writers (collectors'
 * calls) commit before it goes on: the longest any of them waits for the import is about this.
 */
const PART_MS = 100;
const PART_GAP_MS = 2;
/** How long an import waits for another one's load to publish (or be undone) before it gives up. */
const OTHER_LOAD_WAIT_MS = 10 * 60_000;
const MAX_LISTED_REJECTIONS = 5000;

/**
 * Page cache of the import's connection. Writing into live indexes whose keys come in random order is
 * 2–5× faster with a large cache (re-placements: every index stays). A bulk load keeps only the unique
 * index and those it appends to: half the cache does as well for files in case-number order (as lenders'
 * usually are), ~5% slower for shuffled ones (1M rows), and saves 128 MB.
 * Each CREATE INDEX after a bulk load reads the whole cases table. If the table fits in the large cache,
 * only the first read decrypts its pages; if not, no cache size helps (a scan evicts what the next needs).
 */
const IMPORT_CACHE_KIB = 262_144;
const BULK_CACHE_KIB = 131_072;
/** The page cache (and so the sorter's run size) while a bulk load builds its indexes with memtemp. */
const SORT_RUN_KIB = 2048;
const fitsLargeCache = (tableBytes: number) => tableBytes * 1.15 + 32 * 2 ** 20 <= IMPORT_CACHE_KIB * 1024;

/**
 * A bulk load's cache while rows are written: the large one if the whole cases table is expected to fit
 * in it, else the small one. Cases take ~2.1 bytes per byte of CSV; XLSX is compressed.
 */
function bulkLoadCacheKib(src: FileSource, fileBytes: number, casesBefore: number): number {
  const perFileByte = detectFormat(src) === 'xlsx' ? 13 : 2.2;
  return fitsLargeCache(fileBytes * perFileByte + casesBefore * 500) ? IMPORT_CACHE_KIB : BULK_CACHE_KIB;
}

/** The cache for rebuilding the indexes: the large one if the cases table (as measured now) fits in it. */
function indexCacheKib(db: Db, startPages: number, casesBefore: number, casesAdded: number): number {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const grown = ((db.pragma('page_count', { simple: true }) as number) - startPages) * pageSize;
  if (casesAdded <= 0 || grown <= 0) return BULK_CACHE_KIB;
  return fitsLargeCache(((casesBefore + casesAdded) * grown) / casesAdded) ? IMPORT_CACHE_KIB : BULK_CACHE_KIB;
}

/**
 * A connection of this worker. The backend checked the whole store when it opened it; `hmacCheck: false`
 * is only for a bulk load's connection, right after `verifyStore` (see openForImport).
 */
function openStore(req: WorkerRequest, forImport: boolean, hmacCheck = true): Db {
  const key = Buffer.from(req.keyHex, 'hex');
  try {
    const db = openEncrypted(req.dbFile, key, { nativeBinding: req.nativeBinding, migrate: false, quickCheck: false, hmacCheck });
    db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
    if (forImport) {
      // This connection's own settings (the backend's connection keeps its own):
      // - no foreign-key checks: each would look up the lender and the batch (twice) again for every case.
      //   The import writes only parents it has checked inside its transaction (lender, importing user) or
      //   created in it (the batch), and cases it has just found.
      // - no automatic checkpoint at COMMIT: the import checkpoints explicitly once it has committed.
      db.pragma('foreign_keys = OFF');
      db.pragma('wal_autocheckpoint = 0');
    }
    return db;
  } finally {
    key.fill(0);
  }
}

/** What the import does, decided under the write lock. */
interface ImportStart {
  /** The import's connection, inside BEGIN IMMEDIATE. */
  db: Db;
  /** A connection that checks HMACs, when `db` does not: the import's checkpoint runs on it. */
  checked: Db | null;
  /** The lender has no case yet: every row is new unless its case number repeats within the file. */
  fresh: boolean;
  casesBefore: number;
  /**
   * A large load into a comparatively small table: the secondary indexes whose keys come in random order
   * are dropped and built once at the end.
   */
  bulk: boolean;
  startPages: number;
}

function loadPlan(db: Db, lenderId: number, fileBytes: number): { fresh: boolean; casesBefore: number; bulk: boolean } {
  const fresh = caseWriter(db).countOfLender(lenderId) === 0;
  const casesBefore = totalCases(db);
  return { fresh, casesBefore, bulk: fresh && fileBytes / 150 > casesBefore };
}

/**
 * Reads every page of the store on a connection that checks HMACs (quick_check reads each b-tree page
 * and the freelist). Cheap next to a bulk load: the store is smaller than what the load adds.
 */
function verifyStore(db: Db): void {
  // Each page is read once: a small cache does (and keeps this connection small for the rest of the import).
  db.pragma('cache_size = -8192');
  const r = quickCheck(db);
  if (r !== 'ok') throw new ApiFailure('STORE_CORRUPT', `The store failed its integrity check before the import: ${r}`);
}

/**
 * Opens the import's transaction (BEGIN IMMEDIATE) and decides how it loads. `checked` is open on the store
 * and checks each page's HMAC as it reads it.
 *
 * A bulk load builds five indexes at the end, and each CREATE INDEX reads the whole cases table; with
 * SQLCipher's per-page HMAC-SHA512 check, that reading is two thirds of the index time (1M cases: ~0.85 s
 * of each 1.25 s scan). So a bulk load runs on a second connection that does not check HMACs when it
 * reads. It takes the write lock first; then `checked` reads every page of the store as it is at that
 * moment — the state the load starts from, which nobody else can change until it ends — and any page that
 * fails its HMAC stops the import. So the load reads only verified pages and those it writes itself (each
 * written page gets its HMAC as always), and a page altered on disk cannot come out of the load with a
 * valid HMAC. `checked` stays open for the checkpoint, which copies pages of other connections too.
 */
function openForImport(req: WorkerRequest, checked: Db, fileBytes: number): ImportStart {
  const plan = loadPlan(checked, req.settings.lenderId, fileBytes);
  if (plan.bulk) {
    const db = openStore(req, true, false);
    try {
      db.exec('BEGIN IMMEDIATE');
      const now = loadPlan(db, req.settings.lenderId, fileBytes);
      if (now.bulk) {
        verifyStore(checked);
        return { db, checked, ...now, startPages: db.pragma('page_count', { simple: true }) as number };
      }
      // Another import of this lender committed in between: load normally, on the checking connection.
      db.exec('ROLLBACK');
      db.close();
    } catch (e) {
      db.close();
      throw e;
    }
  }
  checked.exec('BEGIN IMMEDIATE');
  const now = loadPlan(checked, req.settings.lenderId, fileBytes);
  return { db: checked, checked: null, ...now, startPages: checked.pragma('page_count', { simple: true }) as number };
}

function refuseRepeat(batches: ReturnType<typeof batchesRepo>, lenderId: number, sha256: string): void {
  const dup = batches.bySha256(lenderId, sha256);
  if (dup) throw new ApiFailure('CONFLICT', `This file was already imported as batch ${dup.batchNo} on ${dup.importedAt.slice(0, 10)}.`);
}

/**
 * A batch given no placement date takes the file's own (its most common 委案日期), and no term end the
 * file's (its most common 委案到期日); a batch number left to the default then names that day. The rows'
 * own dates are stored with each case either way.
 */
function batchDatesFromFile(batches: ReturnType<typeof batchesRepo>, req: WorkerRequest, batchId: number, facts: FileFactsSummary): string {
  const b = req.batch!;
  const placed = !b.placementDateGiven && facts.placement ? facts.placement.common : req.settings.placementDate;
  const termEnd = b.termEndDate ?? facts.termEnd?.common ?? null;
  if (placed === req.settings.placementDate && termEnd === b.termEndDate) return b.batchNo;
  let batchNo = b.batchNo;
  if (!b.batchNoGiven && placed !== req.settings.placementDate) {
    const day = placed.replace(/-/g, '');
    for (let n = batches.countOnDate(req.settings.lenderId, placed) + 1; ; n++) {
      const candidate = `${req.settings.lenderCode}-${day}-${n}`;
      if (!batches.byNo(req.settings.lenderId, candidate)) {
        batchNo = candidate;
        break;
      }
    }
  }
  batches.setDates(batchId, batchNo, placed, termEnd);
  return batchNo;
}

/** Undoes the load of a stopped import (mode 'undo': started when its worker ended without finishing), and no other. */
export function runUndo(req: WorkerRequest): number {
  const db = openStore(req, false);
  try {
    return undoStaleLoads(db, req.loadOwner ?? '');
  } finally {
    db.close();
  }
}

/** Validates every row and reports what an import would do, without writing anything. */
export async function runPreview(req: WorkerRequest, post: Post): Promise<ImportPreview> {
  const db = openStore(req, false);
  try {
    const sha256 = await sha256File(requestSource(req));
    const writer = caseWriter(db);
    const dup = batchesRepo(db).bySha256(req.settings.lenderId, sha256);
    const rejections: Rejection[] = [];
    const mismatches: ImportPreview['amountMismatches'] = [];
    let mismatchCount = 0;
    const facts = new FileFacts();
    const sample: ImportPreview['sample'] = [];
    const seen = new Map<string, number>();
    let layout: Layout | null = null;
    let valid = 0;
    let rejectedRows = 0;
    let existing = 0;
    let total = 0;
    let normalise: (cells: readonly CellValue[]) => RowResult = () => ({ ok: false, errors: [] });
    let lastProgress = 0;
    const { info } = await walk(
      req,
      (l) => {
        layout = l;
        normalise = compileRowNormaliser(l.columns, normaliseOptions(req.settings));
      },
      (rowNo, cells) => {
        total++;
        const r = normalise(cells);
        // A total that disagrees with its components is listed with both figures, kept or refused.
        const mismatch = r.ok ? r.value.amountMismatch : (r.amountMismatch ?? null);
        if (mismatch) {
          mismatchCount++;
          if (mismatches.length < MAX_LISTED_REJECTIONS) mismatches.push({ row: rowNo, ...mismatch, action: r.ok ? 'principal' : 'reject' });
        }
        const errors = r.ok ? duplicateInFile(r.value, rowNo, seen) : r.errors;
        if (errors.length) {
          rejectedRows++;
          for (const e of errors) if (rejections.length < MAX_LISTED_REJECTIONS) rejections.push({ row: rowNo, column: columnName(layout!, e.field), reason: e.reason });
          return;
        }
        const c = (r as { value: PlacementCase }).value;
        valid++;
        facts.add(c);
        if (writer.exists(req.settings.lenderId, c.caseNo)) existing++;
        if (sample.length < 20) sample.push({ row: rowNo, values: displayValues(c) });
      },
      (p) => {
        if (p.rowsRead - lastProgress < PROGRESS_EVERY) return;
        lastProgress = p.rowsRead;
        post({ type: 'progress', phase: 'reading', ...p });
      },
    );
    const l = layout as unknown as Layout;
    const summary = facts.summary();
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
      amountBasis: amountBasisOf(l, summary),
      amountMismatches: mismatches,
      amountMismatchCount: mismatchCount,
      amountPolicy: req.settings.amountPolicy,
      fileDates: { placement: summary.placement, termEnd: summary.termEnd },
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

/**
 * Builds the indexes a bulk load dropped. Where temporary files are in memory (db/memtemp.ts), SQLite's
 * sorter works in runs of the cache's size that it merges, with a second thread: a small cache while the
 * indexes are built halved their time on 1M cases (2 MB runs; 4 MB ~10 % slower, 8 MB ~20 %; the index
 * pages are written either way). Otherwise it sorts everything in one list; a large cache helps the scans.
 */
function buildIndexes(db: Db, cacheKib: number): void {
  const runs = sortsInRuns(db);
  db.pragma(`cache_size = -${runs ? SORT_RUN_KIB : cacheKib}`);
  if (runs) db.pragma('threads = 1');
  try {
    createCaseIndexes(db, (name, ms) => profile?.(`  index ${name}`, ms));
  } finally {
    if (runs) db.pragma('threads = 0');
  }
}

/** Profiling (AGENCYDESK_IMPORT_PROFILE=1): phase times of an import on stderr. */
const profile = process.env.AGENCYDESK_IMPORT_PROFILE ? (what: string, ms: number) => console.error(`[import] ${what} ${ms.toFixed(0)} ms`) : null;

/**
 * One load at a time (its cases must be the newest ids: migration 026): waits, outside any transaction,
 * while another import's load is in progress — until it publishes, or is undone (by its import, by the
 * worker started when its import's worker died, or at the store's next unlock).
 */
async function otherLoadsDone(db: Db): Promise<void> {
  const deadline = Date.now() + OTHER_LOAD_WAIT_MS;
  while (caseLoadingRepo(db).loads().length > 0) {
    if (Date.now() > deadline) throw new ApiFailure('BUSY', 'Another import is still being written; try this one again when it has finished.');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The next part's transaction: waits out another long writer (a repayment file's) instead of failing at the busy timeout. */
function beginPart(db: Db): void {
  const deadline = Date.now() + OTHER_LOAD_WAIT_MS;
  for (;;) {
    try {
      db.exec('BEGIN IMMEDIATE');
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw e;
    }
  }
}

/**
 * Imports the file as one batch, all or nothing, and posts the result ('imported') once committed (published).
 * The reader thread starts at once and parses ahead while this thread checks the file and opens the
 * transaction; then this thread writes what it sends.
 */
export async function runImport(req: WorkerRequest, post: Post, started?: ReaderThread): Promise<void> {
  const b = req.batch!;
  const s = req.settings;
  const t0 = performance.now();
  let t = t0;
  const lap = (what: string) => {
    const now = performance.now();
    profile?.(what, now - t);
    t = now;
  };
  const reader = started ?? startReader(requestSource(req), s);
  let db: Db | null = null;
  let checked: Db | null = null;
  try {
    db = openStore(req, true);
    // An upload's plaintext size (it is stored sealed): the same file counts the same uploaded or in place.
    const fileBytes = sourceSize(requestSource(req));
    // The same file twice is refused. Its SHA-256 comes from the reader at the end, computed alongside the
    // parse; only a file the size of one this lender already sent is hashed here first, so that a repeat is
    // refused before anything is read.
    let sha256: string | null = null;
    {
      const batches = batchesRepo(db);
      if (batches.hasFileOfSize(s.lenderId, fileBytes)) refuseRepeat(batches, s.lenderId, (sha256 = await sha256File(requestSource(req))));
      if (batches.byNo(s.lenderId, b.batchNo)) throw new ApiFailure('CONFLICT', `Batch number ${b.batchNo} is already used for this lender.`);
    }
    lap('checks');
    let start: ImportStart;
    for (;;) {
      await otherLoadsDone(db);
      start = openForImport(req, db, fileBytes);
      if (caseLoadingRepo(start.db).loads().length === 0) break;
      // Another load began between the look and the lock: wait for it.
      start.db.exec('ROLLBACK');
      if (start.checked) start.db.close();
    }
    db = start.db;
    checked = start.checked;
    const { fresh, casesBefore, bulk, startPages } = start;
    // A bulk load drops and rebuilds indexes, and a dry run rolls back: each stays one transaction. Any other
    // load is written in parts, out of sight until it publishes (migration 026).
    const parts = !bulk && !b.dryRun;
    let load: Load | null = null;
    let partStart = performance.now();
    lap(bulk ? 'verify + begin' : 'begin');
    const batches = batchesRepo(db);
    // Foreign keys are not checked on this connection: the parents the import refers to are checked here,
    // under the write lock, so they stay until COMMIT.
    if (!db.prepare('SELECT 1 FROM lenders WHERE id = ?').get(s.lenderId)) throw new ApiFailure('NOT_FOUND', `No lender with id ${s.lenderId}.`);
    if (!db.prepare('SELECT 1 FROM users WHERE id = ?').get(b.importedBy)) throw new ApiFailure('NOT_FOUND', `No user with id ${b.importedBy}.`);
    let batchId = 0;
    let layout: Layout | null = null;
    let sink: CaseSink | null = null;
    try {
      let lastProgress = 0;
      let writing = 0;
      // Profiling: the writer's time between batches (the reader behind, or a batch in transit).
      let waiting = 0;
      let lastEnd = 0;
      const end = await reader.attach({
        onLayout: (l) => {
          layout = l;
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
            // Unique per lender like a hash, and never one: replaced before COMMIT.
            sourceSha256: sha256 ?? `pending:${randomUUID()}`,
            sourceBytes: fileBytes,
            sourceFormat: path.extname(req.fileName).slice(1).toLowerCase() || 'csv',
            templateName: s.templateName,
            mapping: JSON.stringify({ headers: l.headers, columns: l.columns }),
            importedAt: b.now,
            importedBy: b.importedBy,
          });
          if (parts) {
            load = { batchId, firstId: caseWriter(db!).nextId() };
            caseLoadingRepo(db!).start(batchId, load.firstId, b.now, req.loadOwner ?? '');
          }
          if (bulk) {
            dropCaseIndexes(db!);
            db!.pragma(`cache_size = -${bulkLoadCacheKib(requestSource(req), fileBytes, casesBefore)}`);
          }
          sink = new CaseSink(db!, { lenderId: s.lenderId, batchId, batchNo: b.batchNo, now: b.now, importedBy: b.importedBy, fresh, deferUpdates: parts }, l);
        },
        onBatch: (batch, p) => {
          const t1 = performance.now();
          if (lastEnd) waiting += t1 - lastEnd;
          sink!.add(batch);
          writing += (lastEnd = performance.now()) - t1;
          if (parts && lastEnd - partStart >= PART_MS) {
            db!.exec('COMMIT');
            // Users' writes first (db/write-priority.ts), then the next part.
            yieldToInteractive(PART_GAP_MS);
            beginPart(db!);
            partStart = performance.now();
          }
          if (p.rowsRead - lastProgress >= PROGRESS_EVERY) {
            lastProgress = p.rowsRead;
            post({ type: 'progress', phase: 'reading', rowsRead: p.rowsRead, bytesRead: p.bytesRead });
          }
        },
      });
      if (sha256 === null) refuseRepeat(batches, s.lenderId, (sha256 = end.sha256));
      const batchNo = batchDatesFromFile(batches, req, batchId, end.facts);
      profile?.('  of which writing rows', writing);
      profile?.('  of which waiting between batches', waiting);
      lap('read+write rows');
      const k = sink as unknown as CaseSink;
      if (s.rejectPolicy === 'block_file' && k.rejectedRows > 0) {
        throw new ApiFailure('BAD_INPUT', `${k.rejectedRows} row(s) were rejected and this lender's policy blocks the whole file: nothing was imported.`);
      }
      post({ type: 'progress', phase: 'indexing', rowsRead: k.total, bytesRead: fileBytes });
      // The batch's search rows (尾号, contacts' phones) are written right after COMMIT: owed from here.
      markCaseSearchPending(db, batchId, b.now);
      if (bulk) buildIndexes(db, indexCacheKib(db, startPages, casesBefore, k.imported));
      lap('indexes');
      if (parts) k.applyStaged();
      k.flushDashboard();
      const { total, imported, updated, rejectedRows, amountFen } = k;
      batches.finish(batchId, { total, imported, updated, rejected: rejectedRows, amountFen }, sha256);
      const l = layout as unknown as Layout;
      if (b.saveTemplateAs) {
        const mapping: Record<string, string> = {};
        for (const [key, col] of Object.entries(l.columns)) if (col !== null) mapping[key] = l.headers[col]!;
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
        detail: { lender: s.lenderCode, batchNo, file: req.fileName, sha256, imported, updated, rejected: rejectedRows, template: b.saveTemplateAs ?? s.templateName },
      });
      post({ type: 'progress', phase: 'committing', rowsRead: total, bytesRead: fileBytes });
      // A file with no usable row leaves no batch behind: fix it and import it again.
      const keep = !b.dryRun && imported + updated > 0;
      // Published: from this COMMIT every reader sees the batch's cases, all at once.
      if (keep && load) caseLoadingRepo(db).published(batchId);
      db.exec(keep ? 'COMMIT' : 'ROLLBACK');
      if (!keep && load) undoLoad(db, load);
      lap(keep ? 'commit' : 'rollback');
      const batch = keep ? batches.byId(batchId) : null;
      // Committed (synchronous=FULL: the WAL is on disk): the result goes out now, and this worker then
      // copies the batch from the WAL into the database file before it ends.
      post({ type: 'imported', result: { batch, imported, updated, rejected: rejectedRows, rejections: k.rejections, dryRun: b.dryRun, amountAdjusted: end.facts.adjusted } });
      profile?.('until the result', performance.now() - t0);
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      // What earlier parts committed is taken out again (if this fails too, the next import or unlock does it).
      if (load) undoLoad(db, load);
      throw e;
    }
    await reader.stop();
    // A few thousand cases per short transaction (so collectors' writes pass between); a kill leaves the rest owed (core catches up).
    if (!b.dryRun) {
      writePendingCaseSearch(db);
      lap('search rows');
    }
    if (checked) db.close();
    checkpoint(checked ?? db);
    lap('checkpoint');
    profile?.('total', performance.now() - t0);
  } finally {
    await reader.stop();
    if (db?.open) db.close();
    if (checked?.open) checked.close();
  }
}

/**
 * Copies the import's pages from the WAL into the database file (decrypting and re-encrypting each: a
 * third of an import's time), so that the backend's connection does not do it on its main thread at its
 * next write: while this runs, holding the checkpoint lock, the backend's own automatic checkpoints pass.
 * PASSIVE never blocks the backend's readers or writers; it is retried while another checkpoint (an
 * earlier import's) holds the lock. Then the WAL file is reset to zero bytes if nobody is reading from it
 * at that moment.
 */
function checkpoint(db: Db): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    if (!r || (r.busy === 0 && r.checkpointed >= r.log) || Date.now() > deadline) break;
    Atomics.wait(pause, 0, 0, 100);
  }
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}
