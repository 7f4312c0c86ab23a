// One process per store: a lock file holding the owner's pid. A lock left by a killed process is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import { ApiFailure } from '../shared/contract/failure.js';

interface LockInfo {
  pid: number;
  hostname: string;
  host: string;
  since: string;
}

export interface StoreLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireStoreLock(file: string, host: string): StoreLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      const info: LockInfo = { pid: process.pid, hostname: os.hostname(), host, since: new Date().toISOString() };
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(file);
        } catch {
          /* already gone */
        }
        process.off('exit', release);
      };
      process.on('exit', release);
      return { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let info: LockInfo | null = null;
      try {
        info = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
      } catch {
        info = null; // half-written by a process killed mid-write: stale
      }
      const stale = info === null || (info.hostname === os.hostname() && !alive(info.pid));
      if (!stale && info) {
        throw new ApiFailure(
          'STORE_BUSY',
          `The store is in use by another AgencyDesk (${info.host}, pid ${info.pid}, since ${info.since}). Close it first.`,
        );
      }
      try {
        unlinkSync(file);
      } catch {
        /* raced with another taker; retry */
      }
    }
  }
  throw new ApiFailure('STORE_BUSY', 'The store is being opened by another AgencyDesk.');
}
