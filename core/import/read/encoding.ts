// Chooses a text file's encoding: a BOM if present, else strict UTF-8, else strict GB18030 (a superset of
// GBK, which lenders' Excel exports often use), else the file is refused. Bad bytes are never replaced.
import { FileRejected } from './limits.js';
import { messageText } from '../../../shared/contract/messages.js';

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
  if (looksBinary(sample)) throw new FileRejected(messageText('fileBinary'));
  if (decodes('utf-8', sample, complete)) return { encoding: 'utf-8', bomLength: 0 };
  if (decodes('gb18030', sample, complete)) return { encoding: 'gb18030', bomLength: 0 };
  // Name the bad byte in the encoding that reads furthest: that is what the file is (a UTF-8 file fails
  // GB18030 within a few characters, at a byte that is perfectly good UTF-8).
  const [encoding, at] = (['utf-8', 'gb18030'] as const)
    .map((e) => [e, badOffset(e, sample, complete)] as const)
    .reduce((a, b) => (b[1] > a[1] ? b : a));
  throw new FileRejected(messageText('fileEncodingUnknown', { encoding: encoding.toUpperCase(), byte: hex(sample[at]), offset: at }));
}

/** Where decoding fails: the first bad byte, or for a complete sample ending inside a character, that character's start. */
function badOffset(encoding: TextEncoding, bytes: Uint8Array, complete: boolean): number {
  const at = firstBadByte(encoding, bytes);
  return at < bytes.length || !complete ? Math.min(at, bytes.length - 1) : incompleteTail(encoding, bytes);
}

/** The offset where the character left incomplete at the end of `bytes` starts. */
function incompleteTail(encoding: TextEncoding, bytes: Uint8Array): number {
  for (let k = 1; k <= 4 && k <= bytes.length; k++) if (decodes(encoding, bytes.subarray(0, bytes.length - k), true)) return bytes.length - k;
  return Math.max(0, bytes.length - 1);
}

/** A byte below 0x30 is a character of its own in UTF-8 and GB18030 alike (never part of another). */
function afterLastBoundary(chunk: Uint8Array): Uint8Array {
  let i = chunk.length - 1;
  while (i >= 0 && chunk[i]! >= 0x30) i--;
  return chunk.slice(i + 1);
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
  /** File offset of the next byte to come. */
  private offset: number;
  /** The previous chunk's bytes since its last character boundary: a character may continue into the next. */
  private carry: Uint8Array = new Uint8Array(0);

  /** `start`: the file offset of the first byte written (the BOM's length), so offsets are the file's. */
  constructor(
    readonly encoding: TextEncoding,
    start = 0,
  ) {
    this.decoder = new TextDecoder(encoding, { fatal: true });
    this.offset = start;
  }

  write(chunk: Uint8Array): string {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      // Decode again from the last boundary before the chunk, so a character split across chunks is whole.
      const bytes = Buffer.concat([this.carry, chunk]);
      const i = Math.min(firstBadByte(this.encoding, bytes), bytes.length - 1);
      const at = this.offset - this.carry.length + i;
      throw new FileRejected(messageText('fileInvalidByte', { encoding: this.encoding.toUpperCase(), byte: hex(bytes[i]), offset: at }));
    }
    this.offset += chunk.length;
    const tail = afterLastBoundary(chunk);
    this.carry = tail.length === chunk.length ? Buffer.concat([this.carry, tail]).subarray(-LONGEST_CARRY) : tail;
    return text;
  }

  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      const start = this.offset - this.carry.length + incompleteTail(this.encoding, this.carry);
      throw new FileRejected(messageText('fileTruncatedChar', { encoding: this.encoding.toUpperCase(), offset: start }));
    }
  }
}

/** A carry never needs more than a line's worth (lines are capped at 4 MB by the reader; 64 KB is plenty for one character's context). */
const LONGEST_CARRY = 64 * 1024;
