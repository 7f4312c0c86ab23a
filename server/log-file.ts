// The team server's log file, rotated by size: `server.log` is written until it passes `maxBytes`, then it
// becomes `server.log.1` (the older ones move up one, the oldest beyond `keep` is deleted) and a fresh file
// starts. Written synchronously from the thread that logs, so a line is on disk before the process can die
// and nothing needs resolving at run time (pino's worker-thread transports load their target by module name,
// which the bundled CLI cannot do). Files are 0600: addresses and user ids are not for everyone on the machine.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface LogFileOptions {
  /** Rotate once the file passes this size (default 10 MB). */
  maxBytes?: number;
  /** Rotated files kept besides the live one (default 9). */
  keep?: number;
}

export class RotatingLogFile {
  private fd: number;
  private size: number;
  readonly maxBytes: number;
  readonly keep: number;

  constructor(
    readonly file: string,
    o: LogFileOptions = {},
  ) {
    this.maxBytes = o.maxBytes ?? 10 * 1024 * 1024;
    this.keep = Math.max(1, o.keep ?? 9);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.fd = openSync(file, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  /** pino's destination interface: one serialised line at a time. */
  write(line: string): boolean {
    if (this.size > 0 && this.size + Buffer.byteLength(line) > this.maxBytes) this.rotate();
    this.size += writeSync(this.fd, line);
    return true;
  }

  private rotate(): void {
    closeSync(this.fd);
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      } catch {
        /* not there yet */
      }
    }
    renameSync(this.file, `${this.file}.1`);
    this.fd = openSync(this.file, 'a', 0o600);
    this.size = 0;
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* closed already */
    }
  }
}
