// Launches the real desktop app with Playwright's Electron driver. Needs the Electron binary (downloaded on first use
// of the `electron` package, e.g. by `npm start` or `npx install-electron`) and internet access the first time for the
// Electron-ABI SQLite module (scripts/electron-native.mjs). Without the binary the suite is skipped with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_URL } from '../../electron/app-protocol.js';
import type { AgencyDeskBridge } from '../../shared/contract/bridge.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'package.json'));

/** The Electron binary if it is installed; never triggers the download that require('electron') would start. */
function electronBinary(): { path: string | null; reason: string } {
  const pkgDir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? path.join(override, rel ?? 'electron') : rel ? path.join(pkgDir, 'dist', rel) : null;
  if (candidate && existsSync(candidate)) return { path: candidate, reason: '' };
  return {
    path: null,
    reason:
      `the Electron binary is not installed (${candidate ?? path.join(pkgDir, 'path.txt')} does not exist). ` +
      'Install it with `npx install-electron` (needs internet access) and run `npm run test:e2e` again.',
  };
}

const electron = electronBinary();
if (!electron.path) console.warn(`[test/electron] skipped: ${electron.reason}`);

declare global {
  interface Window {
    agencydesk?: AgencyDeskBridge;
  }
}

describe.skipIf(!electron.path)('desktop app (Electron)', () => {
  let app: ElectronApplication;
  let page: Page;
  let tmp: string;
  let storeDir: string;
  let closed = false;

  beforeAll(async () => {
    for (const [script, args] of [
      ['build.mjs', ['--if-missing']],
      ['electron-native.mjs', []],
    ] as const) {
      const r = spawnSync(process.execPath, [path.join(root, 'scripts', script), ...args], { cwd: root, stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`scripts/${script} failed (exit ${r.status})`);
    }
    tmp = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-electron-e2e-'));
    storeDir = path.join(tmp, 'store');
    app = await _electron.launch({
      executablePath: electron.path!,
      args: ['.'],
      cwd: root,
      env: { ...process.env, AGENCYDESK_STORE: storeDir, ELECTRON_ENABLE_LOGGING: '1' } as Record<string, string>,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    if (app && !closed) await app.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('loads the bundled UI from app://agencydesk and shows the first-run setup', async () => {
    expect(page.url()).toBe(APP_URL);
    await page.getByTestId('setup-screen').waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('exposes only the bridge to the page: no require, no process, no ipcRenderer', async () => {
    const shape = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        call: typeof window.agencydesk?.call,
        methods: Array.isArray(window.agencydesk?.methods) && window.agencydesk!.methods.length > 0,
        host: window.agencydesk?.host,
        keys: Object.keys(window.agencydesk ?? {}).sort(),
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
        ipcRenderer: typeof w.ipcRenderer,
        electron: typeof w.electron,
      };
    });
    expect(shape).toEqual({
      call: 'function',
      methods: true,
      host: 'desktop',
      keys: ['call', 'host', 'methods', 'pathForFile'],
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      ipcRenderer: 'undefined',
      electron: 'undefined',
    });
  });

  it('answers API calls through IPC → utility process → core on the AGENCYDESK_STORE folder', async () => {
    const status = await page.evaluate(() => window.agencydesk!.call({ method: 'system.status', input: {} }));
    expect(status).toMatchObject({ ok: true, value: { initialized: false, unlocked: false } });
    const bad = await page.evaluate(() => window.agencydesk!.call({ method: 'no.such.method', input: {} }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(existsSync(path.join(storeDir, 'store.lock'))).toBe(true);
  });

  it('runs the window with the secure webPreferences', async () => {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const wc = BrowserWindow.getAllWindows()[0]!.webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> };
      return typeof wc.getLastWebPreferences === 'function' ? wc.getLastWebPreferences() : null;
    });
    if (prefs === null) {
      console.warn('[test/electron] webContents.getLastWebPreferences() is not available in this Electron; checked via the page instead');
    } else {
      expect(prefs).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
      });
    }
  });

  it('serves app:// with the CSP and refuses paths outside the renderer folder', async () => {
    const r = await page.evaluate(async () => {
      const ok = await fetch('app://agencydesk/index.html');
      const trav = await fetch('app://agencydesk/%2e%2e/%2e%2e/package.json');
      return { status: ok.status, csp: ok.headers.get('content-security-policy'), nosniff: ok.headers.get('x-content-type-options'), trav: trav.status };
    });
    expect(r.status).toBe(200);
    expect(r.csp).toContain("script-src 'self'");
    expect(r.nosniff).toBe('nosniff');
    expect(r.trav).toBe(404);
  });

  it('blocks navigation to other sites and new windows', async () => {
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(1500);
    expect(page.url()).toBe(APP_URL);
    // file: is not a safe external URL, so nothing is handed to the OS browser either.
    expect(await page.evaluate(() => window.open('file:///etc/hosts') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });

  it('releases the store lock when the app quits', async () => {
    await app.close();
    closed = true;
    expect(existsSync(path.join(storeDir, 'store.lock'))).toBe(false);
  });
});
