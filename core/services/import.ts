// Placement import: preview and start run in a worker (see core/import/jobs.ts); these handlers resolve
// the file, the lender, the mapping (saved template + the user's choices) and the batch defaults.
import { existsSync, statSync } from 'node:fs';
import { requireFreeSpace } from '../disk-space.js';
import path from 'node:path';
import { ApiFailure } from '../../shared/contract/failure.js';
import type { FileRef } from '../../shared/contract/placements.js';
import { dayIn } from '../../shared/domain/casework/today.js';
import type { Ctx, Handler } from '../context.js';
import type { ImportSettings, WorkerRequest } from '../import/protocol.js';
import { previewInWorker } from '../import/jobs.js';
import { removeUpload, uploadSource, UPLOAD_ONLY_HOSTS } from '../import/uploads.js';
import { sourceSize, type FileSource } from '../import/read/file-source.js';
import { runAutoRules } from './assignment.js';
import { PLACEMENT_FIELDS } from '../../shared/domain/placement/fields.js';
import { normalizeHeader } from '../../shared/domain/placement/header-normalize.js';

/**
 * The file a call names. `source` is what readers read: an upload comes with its key (a copy: whoever hands
 * it to a worker wipes it after), a picked file in place without one.
 */
export function resolveFile(ctx: Ctx, file: FileRef): { filePath: string; fileName: string; uploadId: string | null; source: FileSource } {
  if ('uploadId' in file) {
    const source = uploadSource(ctx.store.files.dir, file.uploadId);
    return { filePath: source.path, fileName: path.basename(file.name) || 'upload', uploadId: file.uploadId, source };
  }
  // A browser or a desk on the network must not make the store's machine read its own files (a collector
  // could attach the store's key slots to a case and download them): they upload instead.
  if (UPLOAD_ONLY_HOSTS.includes(ctx.host)) throw new ApiFailure('FORBIDDEN', `The ${ctx.host === 'server' ? 'team server' : 'web host'} imports uploaded files only.`);
  const p = path.resolve(file.path);
  if (!existsSync(p) || !statSync(p).isFile()) throw new ApiFailure('NOT_FOUND', `No file at ${p}.`);
  return { filePath: p, fileName: path.basename(p), uploadId: null, source: { path: p } };
}

/**
 * The template's mapping with the user's choices over it. A column the user gave to a field is taken from
 * whichever field the template gave it to (the user moved it), and every field the user named must be a
 * placement field.
 */
function mergeMapping(template: Record<string, string>, explicit: Record<string, string>): Record<string, string> {
  const unknown = Object.keys(explicit).filter((k) => !PLACEMENT_FIELDS.some((f) => f.key === k));
  if (unknown.length) throw new ApiFailure('BAD_INPUT', `Unknown placement field(s) in the mapping: ${unknown.join(', ')}.`);
  const taken = new Set(Object.values(explicit).map(normalizeHeader));
  const merged: Record<string, string> = {};
  for (const [k, h] of Object.entries(template)) if (!taken.has(normalizeHeader(h))) merged[k] = h;
  return { ...merged, ...explicit };
}

function settingsFor(ctx: Ctx, input: { lenderId: number; sheet?: string | undefined; templateName?: string | undefined; mapping?: Record<string, string> | undefined }, placementDate: string): ImportSettings {
  const r = ctx.store.repos;
  const lender = r.lenders.byId(input.lenderId);
  if (!lender) throw new ApiFailure('NOT_FOUND', `No lender with id ${input.lenderId}.`);
  const templates = r.lenders.templates(lender.id);
  let template: { name: string; mapping: Record<string, string> } | undefined;
  if (input.templateName) {
    template = templates.find((t) => t.name === input.templateName);
    if (!template) throw new ApiFailure('NOT_FOUND', `${lender.code} has no template named ${input.templateName}.`);
  } else {
    // The next file from the same lender maps itself: its most recently saved template is the start.
    template = templates[0];
  }
  return {
    lenderId: lender.id,
    lenderCode: lender.code,
    rejectPolicy: lender.rejectPolicy,
    sheet: input.sheet,
    mapping: mergeMapping(template?.mapping ?? {}, input.mapping ?? {}),
    explicitFields: Object.keys(input.mapping ?? {}),
    templateName: template?.name ?? null,
    placementDate,
    amountPolicy: lender.amountMismatchPolicy,
    today: today(ctx),
  };
}

function baseRequest(ctx: Ctx, mode: 'preview' | 'import', file: ReturnType<typeof resolveFile>, settings: ImportSettings): WorkerRequest {
  return {
    mode,
    dbFile: ctx.store.files.db,
    keyHex: ctx.store.masterKey.toString('hex'),
    nativeBinding: ctx.store.nativeBinding,
    filePath: file.filePath,
    fileKey: file.source.key ?? undefined,
    fileName: file.fileName,
    settings,
    actor: ctx.user!.username,
    host: ctx.hostLabel,
  };
}

// The agency's calendar day (not UTC's: between 00:00 and 08:00 in China that is still yesterday).
const today = (ctx: Ctx) => dayIn(ctx.now());

const preview: Handler<'import.preview'> = async (input, ctx) => {
  const file = resolveFile(ctx, input.file);
  return previewInWorker(baseRequest(ctx, 'preview', file, settingsFor(ctx, input, today(ctx))));
};

const start: Handler<'import.start'> = (input, ctx) => {
  const r = ctx.store.repos;
  const file = resolveFile(ctx, input.file);
  const placementDate = input.placementDate ?? today(ctx);
  const settings = settingsFor(ctx, input, placementDate);
  const batchNo = input.batchNo ?? `${settings.lenderCode}-${placementDate.replace(/-/g, '')}-${r.batches.countOnDate(settings.lenderId, placementDate) + 1}`;
  if (r.batches.byNo(settings.lenderId, batchNo)) throw new ApiFailure('CONFLICT', `Batch number ${batchNo} is already used for this lender.`);
  const req: WorkerRequest = {
    ...baseRequest(ctx, 'import', file, settings),
    batch: {
      batchNo,
      termEndDate: input.termEndDate ?? null,
      importedBy: ctx.user!.id,
      now: ctx.now().toISOString(),
      dryRun: input.dryRun,
      saveTemplateAs: input.saveTemplateAs ?? null,
      placementDateGiven: input.placementDate !== undefined,
      batchNoGiven: input.batchNo !== undefined,
    },
  };
  // The store grows by about twice the file (rows, indexes, search rows) and the WAL holds it once more.
  const fileBytes = sourceSize(file.source);
  if (!input.dryRun) requireFreeSpace(ctx.store.files.dir, 3 * fileBytes);
  const jobId = ctx.jobs.start(req, fileBytes, async (result) => {
    if (file.uploadId && !input.dryRun) removeUpload(ctx.store.files.dir, file.uploadId);
    // The new batch's automatic assignment rules run now; what they did is added to the job's result.
    if (!input.dryRun && result.batch) {
      try {
        result.autoAssigned = await runAutoRules(ctx, { id: result.batch.id, lenderId: result.batch.lenderId });
      } catch (e) {
        result.autoAssigned = [{ rule: '*', assigned: 0, error: e instanceof Error ? e.message : String(e) }];
      }
    }
  });
  return { jobId };
};

const status: Handler<'import.status'> = ({ jobId }, ctx) => ctx.jobs.get(jobId);

const cancel: Handler<'import.cancel'> = ({ jobId }, ctx) => {
  const job = ctx.jobs.cancel(jobId);
  ctx.store.repos.db.transaction(() => ctx.audit('import.cancel', 'import', jobId))();
  return job;
};

export const importHandlers = {
  'import.preview': preview,
  'import.start': start,
  'import.status': status,
  'import.cancel': cancel,
};
