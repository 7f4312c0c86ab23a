// What every HTTP host does with an upload (the loopback web host and the team server): stream the body
// into the place the backend gave it, capped and sealed (encrypted under the upload's own in-memory key as
// it arrives: core/import/sealed-file.ts), and leave nothing behind if it fails or is too large.
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ApiError, Envelope } from '../shared/contract/envelope.js';
import { MAX_CASE_FILE_BYTES } from '../shared/contract/casework.js';
import { messageText } from '../shared/contract/messages.js';
import { UPLOAD_PURPOSE_HEADER as UPLOAD_PURPOSE_HEADER_NAME, type UploadPurpose } from '../shared/contract/uploads.js';
import type { UploadTarget } from '../core/import/uploads.js';

/** A placement or repayment file; case files are smaller but share the route. */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * What an upload is for, as the page says in the X-AgencyDesk-Upload-Purpose header, and the most each may
 * be. A client that names none (older pages, the desktop forwarder) gets the largest: a placement file. The
 * consumer checks its own limit again (cases.attach refuses a case file over MAX_CASE_FILE_BYTES).
 */
export const UPLOAD_LIMITS: Record<UploadPurpose, number> = {
  placement: MAX_UPLOAD_BYTES,
  repayment: 256 * 1024 * 1024,
  recall: 256 * 1024 * 1024,
  'case-file': MAX_CASE_FILE_BYTES,
  package: MAX_UPLOAD_BYTES,
};
export { type UploadPurpose };
export const UPLOAD_PURPOSE_HEADER = UPLOAD_PURPOSE_HEADER_NAME.toLowerCase();

export function uploadPurpose(header: unknown): UploadPurpose | null {
  if (header === undefined) return 'placement';
  return typeof header === 'string' && Object.hasOwn(UPLOAD_LIMITS, header) ? (header as UploadPurpose) : null;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
export const tooLarge = (maxBytes: number): ApiError => ({ code: 'BAD_INPUT', message: messageText('uploadTooLarge', { mb: mb(maxBytes) }), key: 'uploadTooLarge', params: { mb: mb(maxBytes) } });

/**
 * Streams `body` into `target.path`. `refuse(size)` is asked as bytes arrive (the team server's per-user
 * quota); its error, or the size cap, stops the upload: the partial file is removed and 413 answered.
 */
export async function receiveUpload(
  body: NodeJS.ReadableStream,
  target: UploadTarget,
  maxBytes = MAX_UPLOAD_BYTES,
  refuse: (size: number) => ApiError | null = () => null,
): Promise<{ status: number; envelope: Envelope<{ uploadId: string; bytes: number }> }> {
  let size = 0;
  let refusal: ApiError | null = null;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      refusal = size > maxBytes ? tooLarge(maxBytes) : refuse(size);
      cb(refusal ? new Error('refused') : null, chunk);
    },
  });
  try {
    // Counted (and capped) in plaintext bytes; only ciphertext reaches the disk.
    await pipeline(body, cap, target.seal(), createWriteStream(target.path, { mode: 0o600 }));
  } catch {
    target.discard();
    return { status: 413, envelope: { ok: false, error: refusal ?? { code: 'BAD_INPUT', message: `The upload failed or is larger than ${maxBytes / 2 ** 30} GB.` } } };
  }
  return { status: 200, envelope: { ok: true, value: { uploadId: target.uploadId, bytes: size } } };
}
