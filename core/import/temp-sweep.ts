// Earlier versions read XLSX with exceljs's streaming reader, which spooled a worksheet to os.tmpdir() as
// tmp-<pid>-<random> in plain text; a crash or kill left it there with borrowers' names, IDs and phones.
// At start, such files of processes that no longer run are removed. Only files that are unmistakably a
// spooled worksheet (that name, a dead pid, SpreadsheetML worksheet XML) are touched.
import { closeSync, openSync, readSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, someone else's
  }
}

function head(file: string, bytes: number): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Removes worksheet spools left by dead processes in the temp folder; returns the files removed. */
export function sweepSpooledSheets(dir = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = /^tmp-(\d+)-[A-Za-z0-9]{12}$/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const file = path.join(dir, name);
    try {
      if (!statSync(file).isFile()) continue;
      const text = head(file, 4096);
      if (!/<(\w+:)?(worksheet|sheetData|row)[\s>]/.test(text) || !/spreadsheetml|<(\w+:)?c r="/.test(text)) continue;
      rmSync(file, { force: true });
      removed.push(file);
    } catch {
      // not ours to read, or gone
    }
  }
  return removed;
}
