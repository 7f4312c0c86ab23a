// `npm start`: find the Electron binary, build dist/, make the Electron-ABI SQLite module, launch the app.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

function explainMissing(detail) {
  console.error(
    '\nAgencyDesk cannot start the desktop app: the Electron program is not installed on this machine. ' +
      'The `electron` npm package only holds a small launcher; it downloads the real Electron binary (about 100 MB, ' +
      'from github.com, or from ELECTRON_MIRROR if set) the first time it is used, and that download failed or is not ' +
      'possible here (no internet access, or a proxy blocks it). Connect to the internet and run `npx install-electron` ' +
      '(or set ELECTRON_MIRROR, e.g. https://npmmirror.com/mirrors/electron/, and retry `npm start`). ' +
      'Meanwhile the same application runs in your browser with `npm run web`.' +
      (detail ? `\n\n(detail: ${detail})` : '') +
      '\n',
  );
  process.exit(1);
}

/** The installed binary, without triggering a download (what require('electron') would return). */
function installedElectron() {
  const pkgDir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(pkgDir, 'path.txt');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron';
    const p = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel);
    return existsSync(p) ? p : null;
  }
  if (!existsSync(pathFile)) return null;
  const p = path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(p) ? p : null;
}

function resolveElectron() {
  const found = installedElectron();
  if (found) return found;
  // `require('electron')` downloads the binary when it is missing (and throws when it cannot).
  try {
    const p = require('electron');
    if (typeof p === 'string' && existsSync(p)) return p;
    explainMissing(`electron resolved to ${String(p)}, which does not exist`);
  } catch (e) {
    explainMissing(e instanceof Error ? e.message : String(e));
  }
  return null;
}

const electronBinary = resolveElectron();

function step(script, args = []) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', script), ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

step('build.mjs');
step('electron-native.mjs');

const child = spawn(electronBinary, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', windowsHide: false });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
