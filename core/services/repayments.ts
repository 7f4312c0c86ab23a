// Lender repayment files (回款): preview, import (one transaction: the file, every row as reported, matches
// to the agency's own payments, payments posted for the rest through recordPayment so plans complete and
// cases settle as with any payment), the files imported, and reconciliation for a period.
// The file is read in the backend process (repayment files are small: up to MAX_REPAYMENT_ROWS rows), then
// the plan and the writes run synchronously in one transaction.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { RepaymentFile } from '../../shared/contract/repayments.js';
import type { Rejection } from '../../shared/contract/placements.js';
import { REPAYMENT_FIELDS, type RepaymentFieldKey } from '../../shared/domain/repayments/fields.js';
import { channelOf } from '../../shared/domain/repayments/channel.js';
import { reconcile, sumFen } from '../../shared/domain/repayments/reconcile.js';
import { MATCH_WINDOW_DAYS } from '../../shared/domain/repayments/match.js';
import { addDays } from '../../shared/domain/money/plans.js';
import type { Ctx, Handler } from '../context.js';
import type { RepaymentFileRow } from '../../db/repos/repayments.js';
import { FileRejected } from '../import/read/limits.js';
import { sha256File } from '../import/read/source.js';
import { removeUpload } from '../import/uploads.js';
import { readRepayments, type ReadRepayments } from '../repayments/read.js';
import { planRows, type RepaymentPlan } from '../repayments/plan.js';
import { recordPayment } from './payments.js';
import { resolveFile } from './import.js';
import { today } from '../money/ledger.js';

const toFile = (f: RepaymentFileRow): RepaymentFile => ({
  id: f.id,
  lenderId: f.lender_id,
  lenderCode: f.lender_code,
  fileName: f.file_name,
  sha256: f.sha256,
  importedBy: f.imported_by_name,
  importedAt: f.imported_at,
  rowsTotal: f.rows_total,
  matched: f.matched,
  posted: f.posted,
  rejected: f.rejected,
  amountFen: f.amount_fen,
});

const label = (field: RepaymentFieldKey) => REPAYMENT_FIELDS.find((f) => f.key === field)!;

interface Loaded {
  lender: { id: number; code: string };
  file: ReturnType<typeof resolveFile>;
  sha256: string;
  read: ReadRepayments;
}

async function load(ctx: Ctx, input: { lenderId: number; file: Parameters<typeof resolveFile>[1]; sheet?: string | undefined; mapping?: Record<string, string> | undefined }): Promise<Loaded> {
  const lender = ctx.store.repos.lenders.byId(input.lenderId);
  if (!lender) throw new ApiFailure('NOT_FOUND', `No lender with id ${input.lenderId}.`);
  const file = resolveFile(ctx, input.file);
  try {
    const sha256 = await sha256File(file.source);
    const read = await readRepayments(file.source, { sheet: input.sheet, mapping: input.mapping ?? {} });
    return { lender, file, sha256, read };
  } catch (e) {
    if (e instanceof FileRejected) throw new ApiFailure('BAD_INPUT', e.message);
    throw e;
  }
}

function columnOf(read: ReadRepayments) {
  return (field: RepaymentFieldKey) => {
    const col = read.layout.columns[field];
    return col === null ? label(field).labelZh : read.layout.headers[col] || `column ${col + 1}`;
  };
}

/** Every rejection in file order: the reader's (bad values) and the plan's (against the store). */
const allRejections = (read: ReadRepayments, plan: RepaymentPlan): Rejection[] => [...read.rejections, ...plan.rejections].sort((a, b) => a.row - b.row);

const preview: Handler<'repayments.preview'> = async (input, ctx) => {
  const r = ctx.store.repos;
  const { read, sha256 } = await load(ctx, input);
  const plan = read.layout.missingRequired.length ? { rows: [], rejections: [] } : planRows(r, input.lenderId, read.rows, today(ctx), columnOf(read));
  const dup = r.repayments.fileBySha(input.lenderId, sha256);
  const rejections = allRejections(read, plan);
  return {
    format: read.info.format,
    encoding: read.info.encoding ?? null,
    sheets: read.info.sheets ?? [],
    sheet: read.info.sheet ?? null,
    headerRow: read.layout.headerRow,
    headers: read.layout.headers,
    mapping: read.layout.columns,
    missingRequired: read.layout.missingRequired,
    sample: plan.rows.slice(0, 20).map((x) => ({ row: x.row, caseNo: x.caseNo, caseId: x.caseId, amountFen: x.amountFen, paidOn: x.paidOn, outcome: x.outcome, paymentId: x.matchId })),
    totalRows: read.totalRows,
    matched: plan.rows.filter((x) => x.outcome === 'matched').length,
    posted: plan.rows.filter((x) => x.outcome === 'posted').length,
    rejected: rejections.length,
    amountFen: sumFen(plan.rows),
    rejections,
    duplicateOf: dup ? { fileId: dup.id, fileName: dup.file_name, importedAt: dup.imported_at } : null,
    sha256,
  };
};

const importFile: Handler<'repayments.import'> = async (input, ctx) => {
  const r = ctx.store.repos;
  const { lender, file, sha256, read } = await load(ctx, input);
  if (read.layout.missingRequired.length) {
    throw new ApiFailure('BAD_INPUT', `Map the columns first: ${read.layout.missingRequired.map((k) => `${label(k).labelZh} (${label(k).labelEn})`).join(', ')}.`);
  }
  const dup = r.repayments.fileBySha(lender.id, sha256);
  if (dup) throw new ApiFailure('CONFLICT', `This file was already imported for ${lender.code} on ${dup.imported_at.slice(0, 10)} as ${dup.file_name} (file #${dup.id}).`);
  const day = today(ctx);
  const out = r.db.transaction(() => {
    // Planned inside the transaction, so what is matched is what the store holds when it is written.
    const plan = planRows(r, lender.id, read.rows, day, columnOf(read));
    const rejections = allRejections(read, plan);
    const matched = plan.rows.filter((x) => x.outcome === 'matched').length;
    const counts = { totalRows: read.totalRows, matched, posted: plan.rows.length - matched, rejected: rejections.length, amountFen: sumFen(plan.rows), rejections };
    // A dry run, or a file with no usable row, leaves nothing behind (the file can be imported later,
    // e.g. once the placement its cases come in has been imported).
    if (input.dryRun || plan.rows.length === 0) return { file: null, ...counts, settled: 0 };
    const now = ctx.now().toISOString();
    const fileId = r.repayments.addFile({
      lender_id: lender.id,
      file_name: file.fileName,
      sha256,
      imported_by: ctx.user!.id,
      imported_at: now,
      rows_total: read.totalRows,
      matched: counts.matched,
      posted: counts.posted,
      rejected: counts.rejected,
      rejections: JSON.stringify(rejections),
    });
    let settled = 0;
    for (const row of plan.rows) {
      let paymentId = row.matchId;
      if (row.outcome === 'matched') {
        r.money.history(row.caseId, now, ctx.user!.id, 'payment_matched', { paymentId, fileId, row: row.row, amountFen: row.amountFen, paidOn: row.paidOn });
      } else {
        const p = recordPayment(ctx, {
          caseId: row.caseId,
          paidOn: row.paidOn,
          amountFen: row.amountFen,
          channel: channelOf(row.channel),
          payer: row.payer,
          reference: row.reference,
          note: `${file.fileName} row ${row.row}`,
          source: 'lender_file',
          fileId,
          fileRow: row.row,
        });
        paymentId = p.id;
        if (p.settled) settled++;
      }
      r.repayments.addRow({ file_id: fileId, row_no: row.row, case_id: row.caseId, paid_on: row.paidOn, amount_fen: row.amountFen, channel: row.channel, payer: row.payer, reference: row.reference, payment_id: paymentId });
    }
    ctx.audit('repayments.import', 'lender', lender.id, { fileId, fileName: file.fileName, sha256, rows: read.totalRows, matched: counts.matched, posted: counts.posted, rejected: counts.rejected, amountFen: counts.amountFen, settled });
    return { file: toFile(r.repayments.file(fileId)!), ...counts, settled };
  })();
  if (file.uploadId && !input.dryRun && out.file) removeUpload(ctx.store.files.dir, file.uploadId);
  return { ...out, dryRun: input.dryRun };
};

const files: Handler<'repayments.files'> = ({ lenderId, limit }, ctx) => ({ files: ctx.store.repos.repayments.files(lenderId, limit).map(toFile) });

const fileDetail: Handler<'repayments.file'> = ({ fileId }, ctx) => {
  const r = ctx.store.repos.repayments;
  const f = r.file(fileId);
  if (!f) throw new ApiFailure('NOT_FOUND', `No repayment file with id ${fileId}.`);
  return {
    file: toFile(f),
    rows: r.rowsOf(fileId).map((x) => ({ row: x.row_no, caseNo: x.case_no, caseId: x.case_id, amountFen: x.amount_fen, paidOn: x.paid_on, outcome: x.source === 'agency' ? ('matched' as const) : ('posted' as const), paymentId: x.payment_id })),
    rejections: JSON.parse(f.rejections) as Rejection[],
  };
};

const reconcileHandler: Handler<'repayments.reconcile'> = ({ lenderId, from, to }, ctx) => {
  const r = ctx.store.repos;
  if (!r.lenders.byId(lenderId)) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  // A window beyond the period's edges, so a pair that straddles an edge is still seen as a pair.
  const wideFrom = addDays(from, -MATCH_WINDOW_DAYS);
  const wideTo = addDays(to, MATCH_WINDOW_DAYS);
  const reported = r.repayments.reported(lenderId, wideFrom, wideTo).map((x) => ({
    id: x.id,
    caseId: x.case_id,
    caseNo: x.case_no,
    paidOn: x.paid_on,
    amountFen: x.amount_fen,
    fileId: x.file_id,
    fileName: x.file_name,
    row: x.row_no,
    reference: x.reference,
    paymentId: x.payment_id,
    matchedAgency: x.payment_source === 'agency',
    reversed: x.reversed === 1,
  }));
  const agency = r.repayments.agencyPayments(lenderId, wideFrom, wideTo).map((x) => ({ id: x.id, caseId: x.case_id, caseNo: x.case_no, paidOn: x.paid_on, amountFen: x.amount_fen, reference: x.reference, linked: x.linked === 1 }));
  const g = reconcile(reported, agency, from, to);
  const row = ({ matchedAgency: _m, ...x }: (typeof reported)[number]) => x;
  const pay = ({ linked: _l, ...x }: (typeof agency)[number]) => x;
  return {
    lenderId,
    from,
    to,
    matched: { count: g.matched.length, totalFen: sumFen(g.matched), items: g.matched.map(row) },
    lenderOnly: { count: g.lenderOnly.length, totalFen: sumFen(g.lenderOnly), items: g.lenderOnly.map(row) },
    agencyOnly: { count: g.agencyOnly.length, totalFen: sumFen(g.agencyOnly), items: g.agencyOnly.map(pay) },
    mismatches: {
      count: g.mismatches.length,
      lenderFen: sumFen(g.mismatches.map((m) => m.lender)),
      agencyFen: sumFen(g.mismatches.map((m) => m.agency)),
      items: g.mismatches.map((m) => ({ caseId: m.caseId, caseNo: m.caseNo, lender: row(m.lender), agency: pay(m.agency), differenceFen: m.differenceFen })),
    },
  };
};

export const repaymentHandlers = {
  'repayments.preview': preview,
  'repayments.import': importFile,
  'repayments.files': files,
  'repayments.file': fileDetail,
  'repayments.reconcile': reconcileHandler,
};
