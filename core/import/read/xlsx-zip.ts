// Random access to an XLSX's zip: the directory is read and checked first (a truncated file or a zip bomb is
// refused up front), then any part can be read or streamed in any order. Nothing is written anywhere: exceljs's
// streaming reader spooled a sheet that came before sharedStrings.xml to os.tmpdir() in plain text.
import type yauzl from 'yauzl';
import { FileRejected, LIMITS } from './limits.js';
import { openZipSource, type Src } from './file-source.js';
import { ApiFailure } from '../../../shared/contract/failure.js';

export interface XlsxZip {
  has(name: string): boolean;
  size(name: string): number;
  /** The whole part as text, refused if it inflates past `maxBytes`. */
  text(name: string, maxBytes: number): Promise<string>;
  /** The part as a stream of inflated chunks. */
  stream(name: string): Promise<NodeJS.ReadableStream & { destroy(): void }>;
  close(): void;
}

async function openZip(src: Src): Promise<yauzl.ZipFile> {
  try {
    return await openZipSource(src, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true });
  } catch (err) {
    if (err instanceof ApiFailure) throw err; // a sealed upload that failed its check: its own message
    throw new FileRejected(`This is not a readable XLSX file (${(err as Error).message}); it may be truncated or damaged.`);
  }
}

/** Reads the zip's directory, refusing zip bombs by the declared sizes before anything is inflated. */
export async function openXlsxZip(src: Src): Promise<XlsxZip> {
  const zip = await openZip(src);
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      let total = 0;
      zip.on('entry', (e: yauzl.Entry) => {
        total += e.uncompressedSize;
        if (total > LIMITS.maxInflatedBytes) return reject(new FileRejected(`The XLSX would inflate to more than ${LIMITS.maxInflatedBytes / 2 ** 30} GB: refused as a zip bomb.`));
        if (e.compressedSize > 0 && e.uncompressedSize / e.compressedSize > LIMITS.maxCompressionRatio && e.uncompressedSize > 10 * 1024 * 1024) {
          return reject(new FileRejected(`${e.fileName} inflates ${Math.round(e.uncompressedSize / e.compressedSize)}× its size: refused as a zip bomb.`));
        }
        entries.set(e.fileName.replace(/^\/+/, ''), e);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (e: Error) => reject(e instanceof ApiFailure ? e : new FileRejected(`The XLSX file is damaged: ${e.message}`)));
      zip.readEntry();
    });
  } catch (e) {
    zip.close();
    throw e;
  }
  if (!entries.has('xl/workbook.xml')) {
    zip.close();
    throw new FileRejected('This zip file is not an Excel workbook (no xl/workbook.xml).');
  }
  const entry = (name: string) => {
    const e = entries.get(name);
    if (!e) throw new FileRejected(`The XLSX file has no ${name}.`);
    return e;
  };
  const stream = (name: string) =>
    new Promise<NodeJS.ReadableStream & { destroy(): void }>((resolve, reject) => {
      zip.openReadStream(entry(name), (err, s) => (err || !s ? reject(err instanceof ApiFailure ? err : new FileRejected(`The XLSX file is damaged (${name}): ${err?.message ?? 'unreadable'}`)) : resolve(s)));
    });
  return {
    has: (name) => entries.has(name),
    size: (name) => entry(name).uncompressedSize,
    stream,
    async text(name, maxBytes) {
      if (entry(name).uncompressedSize > maxBytes) throw new FileRejected(`${name} is larger than ${Math.round(maxBytes / 2 ** 20)} MB: refused.`);
      const chunks: Buffer[] = [];
      let size = 0;
      const s = await stream(name);
      try {
        for await (const chunk of s) {
          size += (chunk as Buffer).length;
          if (size > maxBytes) throw new FileRejected(`${name} is larger than ${Math.round(maxBytes / 2 ** 20)} MB: refused.`);
          chunks.push(chunk as Buffer);
        }
      } catch (e) {
        s.destroy();
        throw e instanceof FileRejected || e instanceof ApiFailure ? e : new FileRejected(`The XLSX file is damaged (${name}): ${(e as Error).message}`);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    close: () => zip.close(),
  };
}
