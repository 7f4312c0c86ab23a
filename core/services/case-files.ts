// Files attached to a case: read from the picked path (desktop, CLI) or the web upload, stored in the
// encrypted store with their SHA-256; listing is for whoever may read the case, downloads are audited.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ApiFailure } from '../../shared/contract/failure.js';
import { MAX_CASE_FILE_BYTES } from '../../shared/contract/casework.js';
import type { Ctx, Handler } from '../context.js';
import type { CaseFileRow } from '../../db/repos/casework.js';
import { resolveFile } from './import.js';
import { removeUpload } from '../import/uploads.js';
import { readAll, sourceSize } from '../import/read/file-source.js';

const MIME: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.txt': 'text/plain',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.m4a': 'audio/mp4',
};

/** `child`: the case was reached through one of its files, so a refusal names the file, not the case. */
function visibleCase(ctx: Ctx, caseId: number, child?: string): void {
  const c = ctx.store.repos.queue.caseById(caseId);
  const user = ctx.user!;
  if (!c || (user.role === 'collector' && c.collector_id !== user.id)) throw new ApiFailure('NOT_FOUND', child ? `No ${child}.` : `No case with id ${caseId}.`);
}

export const toFile = (f: CaseFileRow) => ({
  id: f.id,
  caseId: f.case_id,
  name: f.name,
  mime: f.mime,
  bytes: f.bytes,
  sha256: f.sha256,
  note: f.note,
  uploadedBy: f.uploaded_by,
  uploadedAt: f.uploaded_at,
});

const attach: Handler<'cases.attach'> = async (input, ctx) => {
  visibleCase(ctx, input.caseId);
  const file = resolveFile(ctx, input.file);
  const size = sourceSize(file.source);
  if (size === 0) throw new ApiFailure('BAD_INPUT', 'The file is empty.');
  if (size > MAX_CASE_FILE_BYTES) throw new ApiFailure('BAD_INPUT', `The file is larger than ${MAX_CASE_FILE_BYTES / 1024 / 1024} MB.`);
  // An upload is decrypted in memory only, straight into the (encrypted) store.
  const data = await readAll(file.source);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const r = ctx.store.repos;
  const mime = MIME[path.extname(file.fileName).toLowerCase()] ?? 'application/octet-stream';
  const id = r.db.transaction(() => {
    const newId = r.casework.addFile({ caseId: input.caseId, name: file.fileName, mime, bytes: size, sha256, note: input.note, data, by: ctx.user!.id, at: ctx.now().toISOString() });
    ctx.audit('cases.attach', 'case', input.caseId, { fileId: newId, name: file.fileName, bytes: size, sha256 });
    return newId;
  })();
  if (file.uploadId) removeUpload(ctx.store.files.dir, file.uploadId);
  return toFile(r.casework.file(id)!);
};

const files: Handler<'cases.files'> = ({ caseId }, ctx) => {
  visibleCase(ctx, caseId);
  return { files: ctx.store.repos.casework.files(caseId).map(toFile) };
};

const content: Handler<'cases.fileContent'> = ({ fileId }, ctx) => {
  const r = ctx.store.repos;
  const f = r.casework.file(fileId);
  if (!f) throw new ApiFailure('NOT_FOUND', `No file with id ${fileId}.`);
  visibleCase(ctx, f.case_id, `file with id ${fileId}`);
  r.db.transaction(() => ctx.audit('cases.fileContent', 'case', f.case_id, { fileId, name: f.name })).immediate();
  return { name: f.name, mime: f.mime, base64: f.data.toString('base64') };
};

export const caseFileHandlers = { 'cases.attach': attach, 'cases.files': files, 'cases.fileContent': content };
