// Makes an Electron-ABI copy of better-sqlite3-multiple-ciphers' native module at
//   native/electron/<electronVersion>/better_sqlite3.node
// without touching node_modules (whose build serves the system Node, which the tests use).
// Steps: copy the package to a temp folder, try `prebuild-install --runtime electron` (downloads the prebuilt binary
// from the package's GitHub releases), else compile it with node-gyp against Electron's headers.
// Options: --target=<electron version> (default: installed electron), --arch=<arch> (default: this machine), --force.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNodeGyp } from './node-gyp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const PKG = 'better-sqlite3-multiple-ciphers';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const electronVersion = arg('target') ?? JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const arch = arg('arch') ?? process.arch;
const force = process.argv.includes('--force');

const outDir = path.join(root, 'native', 'electron', electronVersion);
const outFile = path.join(outDir, 'better_sqlite3.node');

if (existsSync(outFile) && !force) {
  console.log(`[electron-native] ${path.relative(root, outFile)} is already there (use --force to rebuild).`);
  process.exit(0);
}

const pkgDir = path.dirname(require.resolve(`${PKG}/package.json`));

// npm passes its config to scripts as npm_config_* variables; `nodedir`, `target`, `runtime`, `disturl`… would point
// node-gyp / prebuild-install at the system Node instead of Electron. The child processes get a clean set.
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));

function run(cmd, args, cwd) {
  console.log(`[electron-native] $ ${[path.basename(cmd), ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, env: childEnv, stdio: 'inherit' });
  if (r.error) console.error(`[electron-native] ${r.error.message}`);
  return r.status === 0;
}

const work = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-electron-native-'));
const copy = path.join(work, PKG);
let ok = false;
try {
  // Sources only: the Node build in build/ must not be mistaken for the Electron one.
  cpSync(pkgDir, copy, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(pkgDir, src).split(path.sep);
      return rel[0] !== 'build' && rel[0] !== 'node_modules' && rel[0] !== 'prebuilds';
    },
  });
  const built = path.join(copy, 'build', 'Release', 'better_sqlite3.node');

  console.log(`[electron-native] building ${PKG} for Electron ${electronVersion} (${process.platform}-${arch})`);
  const prebuildInstall = require.resolve('prebuild-install/bin.js');
  ok = run(process.execPath, [prebuildInstall, '--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--verbose'], copy) && existsSync(built);

  if (!ok) {
    console.log('[electron-native] no prebuilt binary could be downloaded; compiling with node-gyp against the Electron headers');
    const nodeGyp = findNodeGyp();
    if (!nodeGyp) {
      console.error('[electron-native] node-gyp was not found (neither in node_modules nor bundled with npm).');
    } else {
      ok =
        run(
          process.execPath,
          [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron'],
          copy,
        ) && existsSync(built);
    }
  }

  if (ok) {
    mkdirSync(outDir, { recursive: true });
    copyFileSync(built, outFile);
    console.log(`[electron-native] wrote ${path.relative(root, outFile)}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (!ok) {
  console.error(
    `[electron-native] FAILED: could not get ${PKG} for Electron ${electronVersion}.\n` +
      '  Both need internet access: prebuild-install downloads from github.com (the package\'s releases), node-gyp\n' +
      '  downloads Electron\'s headers from electronjs.org and needs a C++ toolchain (Python 3, make/g++ or Visual Studio).\n' +
      '  The web host (`npm run web`) and the CLI do not need this.',
  );
  process.exit(1);
}
