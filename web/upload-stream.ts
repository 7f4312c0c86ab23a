// What every HTTP host does with an upload (the loopback web host and the team server): stream the body
// into the place the backend gave it, capped, and leave nothing behind if it fails or is too large.
import { createWriteStream, rmSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Envelope } from '../shared/contract/envelope.js';

/** A placement or repayment file; case files are smaller but share the route. */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

export async function receiveUpload(
  body: NodeJS.ReadableStream,
  target: { uploadId: string; path: string },
  maxBytes = MAX_UPLOAD_BYTES,
): Promise<{ status: number; envelope: Envelope<{ uploadId: string; bytes: number }> }> {
  let size = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      cb(size > maxBytes ? new Error('too large') : null, chunk);
    },
  });
  try {
    await pipeline(body, cap, createWriteStream(target.path, { mode: 0o600 }));
  } catch {
    rmSync(target.path, { force: true });
    return { status: 413, envelope: { ok: false, error: { code: 'BAD_INPUT', message: `The upload failed or is larger than ${maxBytes / 2 ** 30} GB.` } } };
  }
  return { status: 200, envelope: { ok: true, value: { uploadId: target.uploadId, bytes: size } } };
}
