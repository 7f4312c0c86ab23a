// Chooses a text file's encoding: a BOM if present, else strict UTF-8, else strict GB18030 (a superset of
// GBK, which lenders' Excel exports often use), else the file is refused. Bad bytes are never replaced.
import { FileRejected } from './limits.js';

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface EncodingChoice {
  encoding: TextEncoding;
  /** Bytes to skip at the start (the BOM). */
  bomLength: number;
}

function decodes(encoding: TextEncoding, bytes: Uint8Array, complete: boolean): boolean {
  try {
    // stream:true tolerates a character cut at the end of the sample.
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** `sample` is the first bytes of the file; `complete` says whether it is the whole file. */
export function chooseEncoding(sample: Uint8Array, complete: boolean): EncodingChoice {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (looksBinary(sample)) throw new FileRejected('This is not a text file (it contains binary data). Expected CSV, TSV or XLSX.');
  if (decodes('utf-8', sample, complete)) return { encoding: 'utf-8', bomLength: 0 };
  if (decodes('gb18030', sample, complete)) return { encoding: 'gb18030', bomLength: 0 };
  const at = firstBadByte('gb18030', sample);
  throw new FileRejected(`The file is neither UTF-8 nor GBK/GB18030: invalid byte 0x${hex(sample[at])} at byte offset ${at}.`);
}

function looksBinary(sample: Uint8Array): boolean {
  const n = Math.min(sample.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = sample[i]!;
    if (b === 0) return true;
    if (b < 8 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return n > 0 && control / n > 0.05;
}

const hex = (b: number | undefined) => (b ?? 0).toString(16).padStart(2, '0');

/** The offset of the first byte that does not decode (binary search on prefixes). */
export function firstBadByte(encoding: TextEncoding, bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (decodes(encoding, bytes.subarray(0, mid + 1), false)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A strict streaming decoder that knows how many bytes it has consumed, so an invalid byte deep in a
 * large file is reported with its offset.
 */
export class StrictDecoder {
  private decoder: TextDecoder;
  private offset = 0;

  constructor(readonly encoding: TextEncoding) {
    this.decoder = new TextDecoder(encoding, { fatal: true });
  }

  write(chunk: Uint8Array): string {
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      this.offset += chunk.length;
      return text;
    } catch {
      const at = this.offset + firstBadByte(this.encoding, chunk);
      throw new FileRejected(`Invalid ${this.encoding.toUpperCase()} byte 0x${hex(chunk[at - this.offset])} at byte offset ${at}; nothing was imported.`);
    }
  }

  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      throw new FileRejected(`The file ends in the middle of a ${this.encoding.toUpperCase()} character (byte offset ${this.offset}).`);
    }
  }
}
