// Bounds that keep a hostile or broken file from costing more than a clear error.
export const LIMITS = {
  maxColumns: 1000,
  /** Longest run of bytes without a line break (a 1 GB single line must not be buffered). */
  maxLineBytes: 4 * 1024 * 1024,
  maxRows: 5_000_000,
  /** XLSX: total declared uncompressed size of the zip's entries. */
  maxInflatedBytes: 2 * 1024 * 1024 * 1024,
  /** XLSX: an entry that inflates more than this many times its compressed size is a zip bomb. */
  maxCompressionRatio: 400,
  /** Bytes read to choose the encoding before streaming the rest. */
  sniffBytes: 1024 * 1024,
} as const;

/** A file we refuse to read, with the reason a user sees. */
export class FileRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRejected';
  }
}
