// Messages between the backend and an export worker (see export-job.ts).
import type { ErrorCode } from '../../shared/contract/envelope.js';
import type { PackageSpec, UnsignedPackage } from './package.js';

export interface ExportRequest {
  dbFile: string;
  /** The master key, hex: the worker opens its own connection (same process, never written anywhere). */
  keyHex: string;
  nativeBinding?: string | undefined;
  /** The package folder to create. */
  dir: string;
  /** Everything but the audit head, which the worker reads in its own snapshot. */
  spec: Omit<PackageSpec, 'auditHead'>;
}

export type ExportMessage = { type: 'done'; result: UnsignedPackage } | { type: 'error'; code: ErrorCode; message: string };
