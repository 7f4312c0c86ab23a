// Builds every host into dist/: the renderer with Vite, the Node and Electron entry points with esbuild;
// and the store's native SQLite extension (scripts/build-memtemp.mjs), when its sources changed.
// `--if-missing` skips the build when dist/ is already there (used by `npm run web`);
// `--only=node,electron,renderer` builds just those parts (for quick iteration).
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { buildMemtemp } from './build-memtemp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const entries = ['web/server.mjs', 'cli/main.mjs', 'workers/import.mjs', 'workers/export.mjs', 'workers/backup.mjs', 'workers/offload.mjs', 'workers/erase.mjs', 'workers/rekey.mjs', 'electron/main.mjs', 'electron/backend-host.mjs', 'electron/preload.cjs', 'renderer/index.html'];

buildMemtemp();
if (process.argv.includes('--if-missing') && entries.every((e) => existsSync(path.join(dist, e)))) process.exit(0);

const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const parts = new Set(onlyArg ? onlyArg.slice(7).split(',') : ['node', 'electron', 'renderer']);
if (!onlyArg) rmSync(dist, { recursive: true, force: true });

// Native and Electron modules stay outside the bundles: they are loaded at run time.
const external = ['better-sqlite3-multiple-ciphers', 'electron'];
// ESM bundles may contain CommonJS code that calls require(): give it one.
const banner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', external, logLevel: 'warning', absWorkingDir: root };

const jobs = [];
if (parts.has('node') || parts.has('electron')) {
  // Every host (web, CLI, Electron's backend) finds the import, export, backup, offload, rekey and erasure workers in dist/workers/.
  jobs.push(esbuild({ ...common, format: 'esm', banner, entryPoints: { 'workers/import': 'core/import/worker.ts', 'workers/export': 'core/reports/export-worker.ts', 'workers/backup': 'core/backup-worker.ts', 'workers/offload': 'core/offload/worker.ts', 'workers/rekey': 'core/rekey-worker.ts', 'workers/erase': 'core/privacy/erase-worker.ts' }, outdir: dist, outExtension: { '.js': '.mjs' } }));
}
if (parts.has('node')) {
  jobs.push(esbuild({ ...common, format: 'esm', banner, entryPoints: { 'web/server': 'web/server.ts', 'cli/main': 'cli/main.ts' }, outdir: dist, outExtension: { '.js': '.mjs' } }));
}
if (parts.has('electron')) {
  jobs.push(esbuild({ ...common, format: 'esm', banner, entryPoints: { 'electron/main': 'electron/main.ts', 'electron/backend-host': 'electron/backend-host.ts' }, outdir: dist, outExtension: { '.js': '.mjs' } }));
  // A sandboxed preload must be a single CommonJS file that requires only 'electron'.
  jobs.push(esbuild({ ...common, format: 'cjs', entryPoints: { 'electron/preload': 'electron/preload.ts' }, outdir: dist, outExtension: { '.js': '.cjs' } }));
}
await Promise.all(jobs);
if (parts.has('renderer')) await viteBuild({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
console.log('built dist/');
