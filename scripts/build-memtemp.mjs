// Compiles db/memtemp (the SQLite VFS that keeps temporary files in memory; see memtemp.c) with node-gyp into
// db/memtemp/build/Release/agencydesk_memtemp.node. Skipped when that file is newer than its sources.
// It is optional: without it the store keeps SQLite's temporary data in memory the slower way
// (temp_store=MEMORY), so a machine without a C toolchain still installs, tests and runs; a warning says so.
// Plain C against SQLite's extension API, no Node API: the same file loads in Node and in Electron.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNodeGyp } from './node-gyp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'db', 'memtemp');
const out = path.join(dir, 'build', 'Release', 'agencydesk_memtemp.node');
const sources = ['memtemp.c', 'binding.gyp'].map((f) => path.join(dir, f));

export function buildMemtemp() {
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  if (existsSync(out) && statSync(out).mtimeMs >= newest) return true;
  const nodeGyp = findNodeGyp();
  // node-gyp wants Node's headers even for plain C: this Node's own, when it has them, spares a download.
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  const local = !process.env.npm_config_nodedir && existsSync(path.join(prefix, 'include', 'node', 'common.gypi'));
  const args = [nodeGyp, 'rebuild', '--release', ...(local ? [`--nodedir=${prefix}`] : [])];
  const r = nodeGyp ? spawnSync(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }) : null;
  if (r?.status === 0 && existsSync(out)) {
    console.log(`built ${path.relative(root, out)}`);
    return true;
  }
  console.warn(
    `[memtemp] WARNING: could not compile db/memtemp (${nodeGyp ? `node-gyp exited with ${r?.status}` : 'node-gyp not found'}).\n` +
      '  AgencyDesk works without it, but sorts and index builds (imports) are slower. It needs a C compiler\n' +
      '  (build-essential / Xcode command line tools / Visual Studio Build Tools).' +
      (r ? `\n${(r.stderr || r.stdout).trim().split('\n').slice(-8).join('\n')}` : ''),
  );
  return false;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildMemtemp();
