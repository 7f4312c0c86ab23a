// A package is written where nobody mistakes it for a finished one: into `.NAME.<pid>.partial/` beside
// its final place, zipped (if asked) into `.NAME.zip.<pid>.partial`, and renamed to `NAME` / `NAME.zip`
// only once it is signed. A kill -9 at any point leaves only dot-named .partial entries, which the next
// export into that folder (and every backend start, for the store's exports folder) removes. The pid in
// the name keeps a sweep from removing what another live process (or this one) is still writing.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { zipFolder } from './zip-folder.js';

const PARTIAL = /^\.(.+)\.(\d+)\.partial$/;
/** Partial paths this process is writing right now. */
const active = new Set<string>();

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the partial packages in `dir` that no running export is writing; returns their names. */
export function sweepPartialPackages(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const m = PARTIAL.exec(n);
    if (!m) continue;
    const full = path.join(dir, n);
    const pid = Number(m[2]);
    if (active.has(full) || (pid !== process.pid && alive(pid))) continue;
    rmSync(full, { recursive: true, force: true });
    removed.push(n);
  }
  return removed;
}

export interface StagedPackage {
  /** The folder the package is written into (partial until published). */
  dir: string;
  /** The name of the package (its folder, and the folder inside its .zip). */
  name: string;
  /** Where it will be when published. */
  finalPath: string;
  zip: boolean;
}

const partialOf = (outDir: string, name: string) => path.join(outDir, `.${name}.${process.pid}.partial`);

/**
 * Sweeps stale partial packages in `outDir`, picks a name nothing uses (`-2`, `-3` … after `base`, never
 * overwriting a package) and creates its partial folder now, so a second export in the same second sees
 * the name taken.
 */
export function stagePackage(outDir: string, base: string, zip: boolean): StagedPackage {
  mkdirSync(outDir, { recursive: true });
  sweepPartialPackages(outDir);
  const taken = (n: string) => existsSync(path.join(outDir, n)) || existsSync(path.join(outDir, `${n}.zip`)) || existsSync(partialOf(outDir, n)) || existsSync(partialOf(outDir, `${n}.zip`));
  let name = base;
  for (let n = 2; taken(name); n++) name = `${base}-${n}`;
  const dir = partialOf(outDir, name);
  mkdirSync(dir);
  active.add(dir);
  return { dir, name, finalPath: path.join(outDir, zip ? `${name}.zip` : name), zip };
}

/** Moves a signed package to its final name (zipping it first if asked); returns its path. */
export async function publishPackage(p: StagedPackage): Promise<string> {
  const outDir = path.dirname(p.dir);
  if (!p.zip) {
    renameSync(p.dir, p.finalPath);
    active.delete(p.dir);
    return p.finalPath;
  }
  const partialZip = partialOf(outDir, `${p.name}.zip`);
  active.add(partialZip);
  try {
    await zipFolder(p.dir, partialZip, p.name);
    renameSync(partialZip, p.finalPath);
  } finally {
    rmSync(partialZip, { force: true });
    active.delete(partialZip);
  }
  discardPackage(p);
  return p.finalPath;
}

/** Removes a package that will not be published (a failure before or while signing). */
export function discardPackage(p: StagedPackage): void {
  rmSync(p.dir, { recursive: true, force: true });
  active.delete(p.dir);
}
