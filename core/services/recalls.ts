// Recalls (退案): each listed case closes as "returned" with the reason (its stage before is kept), in one
// transaction per recall: all the listed cases that can be returned are, or none (a dry run, or a file
// with no usable row). Cases already settled, closed or returned, and unknown case numbers, are listed
// with the reason they were skipped.
import { ApiFailure } from '../../shared/contract/failure.js';
import { isFinal } from '../../shared/domain/casework/stages.js';
import { fieldIndex } from '../../shared/domain/placement/auto-map.js';
import { normalizeHeader } from '../../shared/domain/placement/header-normalize.js';
import { HEADER_SCAN_ROWS } from '../../shared/domain/placement/header-row.js';
import { RECALL_FIELDS } from '../../shared/domain/recalls/fields.js';
import { readRows, sha256File } from '../import/read/source.js';
import type { Src } from '../import/read/file-source.js';
import { cellText, type Cell } from '../import/read/rows.js';
import { FileRejected } from '../import/read/limits.js';
import { resolveFile } from './import.js';
import type { Ctx, Handler } from '../context.js';
import type { RecallRow } from '../../db/repos/recalls.js';

const MAX_RECALL_ROWS = 200_000;

interface Rejection {
  row: number | null;
  caseNo: string | null;
  caseId: number | null;
  reason: string;
}

const toRecall = (r: RecallRow) => ({
  id: r.id,
  lender: r.lender,
  source: r.source,
  fileName: r.file_name,
  reason: r.reason,
  cases: r.cases,
  rejections: JSON.parse(r.rejections) as Rejection[],
  recalledBy: r.recalled_by,
  recalledAt: r.recalled_at,
});

/** Returns the cases in one transaction and records the recall; nothing is written on a dry run or when no case can be returned. */
function recall(ctx: Ctx, lenderId: number, items: { caseId: number; stage: string; reason: string }[], rejections: Rejection[], meta: { source: 'file' | 'selection'; fileName: string | null; sha256: string | null; reason: string; dryRun: boolean }) {
  if (meta.dryRun || items.length === 0) return { recallId: null, recalled: meta.dryRun ? items.length : 0, rejections, dryRun: meta.dryRun };
  const r = ctx.store.repos;
  const now = ctx.now().toISOString();
  const recallId = r.db.transaction(() => {
    const id = r.recalls.add({ lender_id: lenderId, source: meta.source, file_name: meta.fileName, sha256: meta.sha256, reason: meta.reason, cases: items.length, rejections: JSON.stringify(rejections), recalled_by: ctx.user!.id, recalled_at: now });
    for (const it of items) {
      r.recalls.addCase(id, it.caseId, it.stage, it.reason);
      r.casework.setStage(it.caseId, 'returned', 'returned', null, ctx.user!.id, now, { from: it.stage, to: 'returned', reason: it.reason, recallId: id });
    }
    ctx.audit('recalls.recall', 'lender', lenderId, { recallId: id, source: meta.source, fileName: meta.fileName, sha256: meta.sha256, cases: items.length, skipped: rejections.length, reason: meta.reason });
    return id;
  })();
  return { recallId, recalled: items.length, rejections, dryRun: false };
}

const bySelection: Handler<'recalls.bySelection'> = (input, ctx) => {
  const r = ctx.store.repos;
  const items: { caseId: number; stage: string; reason: string }[] = [];
  const rejections: Rejection[] = [];
  let lenderId: number | null = null;
  for (const id of new Set(input.caseIds)) {
    const c = r.recalls.caseById(id);
    if (!c) rejections.push({ row: null, caseNo: null, caseId: id, reason: 'no such case' });
    else if (lenderId !== null && c.lender_id !== lenderId) throw new ApiFailure('BAD_INPUT', 'A recall returns cases to one lender: pick cases of one lender.');
    else {
      lenderId = c.lender_id;
      if (isFinal(c.stage)) rejections.push({ row: null, caseNo: c.case_no, caseId: id, reason: `already ${c.stage}` });
      else items.push({ caseId: id, stage: c.stage, reason: input.reason });
    }
  }
  if (lenderId === null) throw new ApiFailure('NOT_FOUND', 'None of these cases exists.');
  return recall(ctx, lenderId, items, rejections, { source: 'selection', fileName: null, sha256: null, reason: input.reason, dryRun: input.dryRun });
};

/** The rows of a recall file: the header row is the first (of 20) naming a case-number column. */
async function readRecallFile(filePath: Src): Promise<{ headerRow: number; caseCol: number; reasonCol: number; rows: Cell[][] }> {
  const rows: Cell[][] = [];
  await readRows(filePath, (batch) => {
    for (const row of batch.rows) rows.push(row);
    if (rows.length > MAX_RECALL_ROWS + HEADER_SCAN_ROWS) throw new FileRejected(`A recall file holds at most ${MAX_RECALL_ROWS.toLocaleString('en')} rows.`);
  });
  const { lookup } = fieldIndex(RECALL_FIELDS);
  for (let h = 0; h < Math.min(rows.length, HEADER_SCAN_ROWS); h++) {
    const fields = (rows[h] ?? []).map((c) => lookup.get(normalizeHeader(cellText(c)))?.field ?? -1);
    const caseCol = fields.indexOf(0);
    if (caseCol >= 0) return { headerRow: h, caseCol, reasonCol: fields.indexOf(1), rows };
  }
  throw new FileRejected('No case-number column found (e.g. 合同号, 案件编号, 借据号, Case No.) in the first 20 rows.');
}

const importFile: Handler<'recalls.importFile'> = async (input, ctx) => {
  const r = ctx.store.repos;
  if (!r.lenders.byId(input.lenderId)) throw new ApiFailure('NOT_FOUND', `No lender with id ${input.lenderId}.`);
  const file = resolveFile(ctx, input.file);
  let sha256: string;
  try {
    sha256 = await sha256File(file.source);
  } catch (e) {
    if (e instanceof FileRejected) throw new ApiFailure('BAD_INPUT', e.message);
    throw e;
  }
  const seen = r.recalls.fileSeen(input.lenderId, sha256);
  if (seen !== null) throw new ApiFailure('CONFLICT', `This file was recalled already (recall #${seen}).`);
  let read;
  try {
    read = await readRecallFile(file.source);
  } catch (e) {
    if (e instanceof FileRejected) throw new ApiFailure('BAD_INPUT', e.message);
    throw e;
  }
  const items: { caseId: number; stage: string; reason: string }[] = [];
  const rejections: Rejection[] = [];
  const listed = new Set<number>();
  for (let i = read.headerRow + 1; i < read.rows.length; i++) {
    const row = read.rows[i]!;
    const caseNo = cellText(row[read.caseCol]).trim();
    if (caseNo === '') {
      if (row.some((c) => cellText(c).trim() !== '')) rejections.push({ row: i + 1, caseNo: null, caseId: null, reason: 'no case number' });
      continue;
    }
    const c = r.recalls.caseByNo(input.lenderId, caseNo);
    if (!c) rejections.push({ row: i + 1, caseNo, caseId: null, reason: 'no such case from this lender' });
    else if (listed.has(c.id)) rejections.push({ row: i + 1, caseNo, caseId: c.id, reason: 'listed twice' });
    else if (isFinal(c.stage)) rejections.push({ row: i + 1, caseNo, caseId: c.id, reason: `already ${c.stage}` });
    else {
      listed.add(c.id);
      const own = read.reasonCol >= 0 ? cellText(row[read.reasonCol]).trim() : '';
      items.push({ caseId: c.id, stage: c.stage, reason: own || input.reason });
    }
  }
  return recall(ctx, input.lenderId, items, rejections, { source: 'file', fileName: file.fileName, sha256, reason: input.reason, dryRun: input.dryRun });
};

const list: Handler<'recalls.list'> = ({ lenderId, limit }, ctx) => ({ recalls: ctx.store.repos.recalls.list(lenderId ?? null, limit).map(toRecall) });

const get: Handler<'recalls.get'> = ({ recallId }, ctx) => {
  const r = ctx.store.repos.recalls;
  const rec = r.recall(recallId);
  if (!rec) throw new ApiFailure('NOT_FOUND', `No recall with id ${recallId}.`);
  return {
    recall: toRecall(rec),
    cases: r.casesOf(recallId).map((c) => ({ caseId: c.case_id, caseNo: c.case_no, borrowerName: c.borrower_name, stageBefore: c.stage_before, reason: c.reason, overdueAmountFen: c.overdue_amount_fen })),
  };
};

export const recallHandlers = { 'recalls.bySelection': bySelection, 'recalls.importFile': importFile, 'recalls.list': list, 'recalls.get': get };
