// Messages between the backend and an import worker.
import type { ErrorCode } from '../../shared/contract/envelope.js';
import type { ImportPreview, ImportResult } from '../../shared/contract/placements.js';
import type { AmountMismatchPolicy } from '../../shared/domain/placement/amounts.js';
import type { FileSource } from './read/file-source.js';

export interface ImportSettings {
  lenderId: number;
  lenderCode: string;
  rejectPolicy: 'skip_rows' | 'block_file';
  sheet?: string | undefined;
  /** field key → header text (template merged with explicit choices). */
  mapping: Record<string, string>;
  /** Fields of `mapping` the user named (not from a template): their headers must be in the file. */
  explicitFields?: string[] | undefined;
  templateName: string | null;
  /** As-of date for days overdue when the file has none: the placement date. */
  placementDate: string;
  /** The lender's policy for a total that disagrees with its components. */
  amountPolicy: AmountMismatchPolicy;
  /** The import's day: a row placed after it is refused. */
  today: string;
}

/** What the readers read for this request: the file, with its key if it is a sealed upload. */
export const requestSource = (req: Pick<WorkerRequest, 'filePath' | 'fileKey'>): FileSource => ({ path: req.filePath, key: req.fileKey });

export interface WorkerRequest {
  /** 'undo': only undoes loads whose import was stopped (core/import/loading.ts). */
  mode: 'preview' | 'import' | 'undo';
  /** The job's own id for its load (case_loading.owner); mode 'undo' undoes only that one. */
  loadOwner?: string;
  dbFile: string;
  /** The master key, hex: the worker opens its own connection (same process, never written anywhere). */
  keyHex: string;
  nativeBinding?: string | undefined;
  /** The request thread's count of writes waiting for the lock (db/write-priority.ts), set at the worker's start. */
  writePriority?: SharedArrayBuffer;
  filePath: string;
  /** An upload's key (core/import/uploads.ts): the file at filePath is sealed. Memory only; wiped after use. */
  fileKey?: Uint8Array | undefined;
  fileName: string;
  settings: ImportSettings;
  /** For the audit entry the import writes in its own transaction. */
  actor: string;
  host: string;
  /** Import only. */
  batch?: {
    batchNo: string;
    termEndDate: string | null;
    importedBy: number;
    now: string;
    dryRun: boolean;
    saveTemplateAs: string | null;
    /** Neither was given: the batch takes the file's own 委案日期 (its most common one) and a number of that day. */
    placementDateGiven: boolean;
    batchNoGiven: boolean;
  };
}

export type WorkerMessage =
  | { type: 'progress'; phase: string; rowsRead: number; bytesRead: number }
  | { type: 'preview'; preview: ImportPreview }
  | { type: 'imported'; result: ImportResult }
  | { type: 'undone'; loads: number }
  | { type: 'error'; code: ErrorCode; message: string };
