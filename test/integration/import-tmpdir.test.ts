// No plaintext in the temp folder (issue 17, finding 5). exceljs's streaming reader spooled a sheet to
// os.tmpdir() whenever it came before sharedStrings.xml (Excel's order) or held inline strings, and a kill -9
// left the file there with names, ID numbers and phones. Here the real backend imports such files in a child
// process whose TMPDIR is an empty folder, killed at random moments; the folder is searched for the file's
// personal data all the while and after.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir } from '../helpers/store.js';
import { personalXlsx } from '../helpers/xlsx-personal.js';
import { leaks } from '../helpers/leaks.js';
import { readRows } from '../../core/import/read/source.js';
import type { Cell } from '../../core/import/read/rows.js';

const CHILD = path.resolve('test/helpers/import-child.ts');
const RUNS = Number(process.env.AGENCYDESK_TMPDIR_RUNS ?? 3); // per file shape: 2 shapes → 6 kills by default

let root: string;
let storeDir: string;
const files: Record<string, { file: string; needles: string[] }> = {};

beforeAll(async () => {
  root = tempDir('agencydesk-tmpdir-');
  const s = await makeStore({ storeDir: path.join(root, 'store') });
  await s.admin.call('lenders.create', { code: 'TMP', name: '临时' });
  storeDir = s.dir;
  s.close();
  for (const mode of ['shared', 'inline'] as const) {
    const x = personalXlsx(40_000, mode === 'shared' ? 11 : 12, mode);
    const file = path.join(root, `${mode}.xlsx`);
    writeFileSync(file, x.bytes);
    files[mode] = { file, needles: x.needles };
  }
}, 120_000);
afterAll(() => removeDir(root));


/** Imports files[key] in a child with TMPDIR = an empty folder; kills it `killAfterMs` after the job started (null: let it finish). */
/** A fresh file of the same shape (an import that finished would make the same file a duplicate). */
function freshFile(mode: 'shared' | 'inline', seed: number): string {
  const x = personalXlsx(40_000, seed, mode);
  const file = path.join(root, `${mode}-${seed}.xlsx`);
  writeFileSync(file, x.bytes);
  files[file] = { file, needles: x.needles };
  return file;
}

async function importWatched(key: string, killAfterMs: number | null): Promise<{ seen: string[]; after: string[]; out: string; files: number; ms: number }> {
  const tmp = path.join(root, `tmp-${path.basename(key)}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(tmp);
  const { file, needles } = files[key]!;
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, storeDir, 'TMP', file], {
    env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, TSX_DISABLE_CACHE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  let started = false;
  let startedAt = Date.now();
  const killer =
    killAfterMs === null
      ? null
      : (async () => {
          // Count from the moment the job runs, so every kill lands inside the import.
          while (!out.includes('started') && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
          started = true;
          await new Promise((r) => setTimeout(r, killAfterMs));
          child.kill('SIGKILL');
        })();
  const seen = new Set<string>();
  let maxFiles = 0;
  let done = false;
  void exited.then(() => (done = true));
  let sawStart = false;
  while (!done) {
    if (!sawStart && out.includes('started')) (sawStart = true), (startedAt = Date.now());
    for (const l of leaks(tmp, needles)) seen.add(l);
    maxFiles = Math.max(maxFiles, readdirSync(tmp).length);
    await new Promise((r) => setTimeout(r, 3));
  }
  await killer;
  expect(killAfterMs === null || started).toBe(true);
  return { seen: [...seen], after: leaks(tmp, needles), out, files: Math.max(maxFiles, readdirSync(tmp).length), ms: Date.now() - startedAt };
}

describe('XLSX reading never spools to the temp folder', () => {
  it.each(['shared', 'inline'])('reads an Excel-ordered / inline-string workbook (%s) to the last row, the same as the file', async (mode) => {
    const rows: Cell[][] = [];
    const info = await readRows(files[mode]!.file, (b) => void rows.push(...b.rows));
    expect(info).toMatchObject({ format: 'xlsx', sheet: '委案明细', sheets: ['委案明细'] });
    expect(rows).toHaveLength(40_001);
    expect(rows[0]![1]).toBe('客户姓名');
    // A mobile typed as a number comes back as the number; names and IDs as text.
    expect(typeof rows[1]![3]).toBe('number');
    expect(String(rows[1]![3])).toMatch(/^1\d{10}$/);
    expect(rows[1]![2]).toMatch(/^\d{17}[\dX]$/);
  });

  const duration: Record<string, number> = {};
  it.each(['shared', 'inline'])('an import of a %s workbook that runs to the end leaves nothing in TMPDIR, then or during', async (mode) => {
    const r = await importWatched(mode, null);
    duration[mode] = r.ms;
    expect(r.out).toMatch(/done done/);
    expect(r.seen).toEqual([]);
    expect(r.after).toEqual([]);
  }, 180_000);

  it.each(['shared', 'inline'] as const)(`killed at random moments (${RUNS}× per shape, %s): no personal data in TMPDIR during or after`, async (mode) => {
    for (let i = 0; i < RUNS; i++) {
      const file = freshFile(mode, 100 + i);
      // Random moments spread over the whole import (one in each slice of it): exceljs began spooling only
      // seconds in, after the workbook's other parts, and kept the file to the end.
      const at = Math.floor(((i + Math.random()) / RUNS) * (duration[mode] ?? 10_000));
      const r = await importWatched(file, at);
      expect({ at, seen: r.seen, after: r.after, started: r.out.includes('started'), failed: /done failed/.test(r.out) }, r.out).toEqual({ at, seen: [], after: [], started: true, failed: false });
    }
  }, 300_000);
});
