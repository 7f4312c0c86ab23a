// Electron main process (dist/electron/main.mjs). Kept thin: the decisions live in the pure, unit-tested modules
// next to it (app-protocol, navigation, ipc-router, backend-client, window-options, menu-template, native-binding).
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, utilityProcess, type UtilityProcess } from 'electron';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_CHANNEL, OFFICE_CHANNEL, SAVE_PACKAGE_CHANNEL, UPLOAD_CHANNEL } from '../shared/contract/bridge.js';
import { createOfficeForwarder, readOfficeConfig, type OfficeForwarder } from './office-server.js';
import { createOfficeIpc } from './office-ipc.js';
import { copyFile } from 'node:fs/promises';
import { zipFolder } from '../core/reports/zip-folder.js';
import { createDownloadHandler } from './downloads.js';
import { createSavePackageHandler } from './save-package.js';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_URL, serveAppRequest } from './app-protocol.js';
import { decideNavigation, decideWindowOpen } from './navigation.js';
import { createIpcRouter, createTrustedSenderCheck } from './ipc-router.js';
import { createBackendClient, type BackendClient } from './backend-client.js';
import { hostArgs } from './backend-protocol.js';
import { mainWindowOptions } from './window-options.js';
import { menuTemplate } from './menu-template.js';
import { nativeBindingFor } from './native-binding.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // dist/electron
const appRoot = path.resolve(here, '..', '..');
const rendererDir = path.resolve(here, '..', 'renderer');
const preloadPath = path.join(here, 'preload.cjs');
const backendEntry = path.join(here, 'backend-host.mjs');

function storeDir(): string {
  const fromEnv = process.env.AGENCYDESK_STORE;
  return fromEnv ? path.resolve(fromEnv) : path.join(app.getPath('userData'), 'store');
}

// Must happen before 'ready'.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let backend: UtilityProcess | null = null;
let client: BackendClient | null = null;
/** Set when this desk works on an office's team server instead of its own store. */
let office: OfficeForwarder | null = null;
let backendClosed = false;
let closeStarted = false;
let quitting = false;

function fatal(title: string, message: string): void {
  quitting = true;
  dialog.showErrorBox(title, message);
  app.quit();
}

function readAppFile(file: string): Uint8Array | null {
  try {
    if (!statSync(file).isFile()) return null;
    return readFileSync(file);
  } catch {
    return null;
  }
}

function startBackend(): void {
  const nativeBinding = nativeBindingFor({
    isPackaged: app.isPackaged,
    appRoot,
    resourcesPath: process.resourcesPath,
    electronVersion: process.versions.electron,
    env: process.env,
  });
  try {
    statSync(nativeBinding);
  } catch {
    fatal(
      'AgencyDesk: native module missing',
      `The SQLite module built for Electron ${process.versions.electron} was not found at\n${nativeBinding}\n\n` +
        (app.isPackaged
          ? 'This installation is incomplete: please reinstall AgencyDesk.'
          : 'Run `node scripts/electron-native.mjs` (or start the app with `npm start`, which does it for you).'),
    );
    return;
  }
  const child = utilityProcess.fork(backendEntry, hostArgs({ storeDir: storeDir(), nativeBinding }), {
    serviceName: 'AgencyDesk Backend',
    stdio: 'inherit',
  });
  backend = child;
  client = createBackendClient({
    post: (msg) => child.postMessage(msg),
    startupTimeoutMs: 30_000,
    onStartupError: (error) => {
      if (error.code === 'STORE_BUSY') {
        fatal('AgencyDesk is already in use', `${error.message}\n\nClose the other AgencyDesk window, web server or command, then start AgencyDesk again.`);
      } else {
        fatal('AgencyDesk could not open its data', error.message);
      }
    },
    onUnexpectedExit: (code) => {
      backendClosed = true;
      if (!quitting) fatal('AgencyDesk stopped', `The AgencyDesk backend stopped unexpectedly (exit code ${code}). Please start AgencyDesk again.`);
    },
  });
  child.on('message', (msg) => client?.onMessage(msg));
  child.on('exit', (code) => {
    backend = null;
    client?.onExit(code);
    backendClosed = true;
  });
}

function hardenSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Only the page's own blob downloads, each through the system save dialog (electron/downloads.ts).
  ses.on(
    'will-download',
    createDownloadHandler({
      mainWebContentsId: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : null),
      downloadsDir: () => app.getPath('downloads'),
    }),
  );
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => {
    if (!decideNavigation(event.url).allow) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!decideNavigation(event.url).allow) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!decideNavigation(event.url).allow) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    return decideWindowOpen(url);
  });
});

function createWindow(): void {
  const win = new BrowserWindow(mainWindowOptions(preloadPath, { isPackaged: app.isPackaged }));
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(APP_URL);
}

function focusMainWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

async function onReady(): Promise<void> {
  protocol.handle(APP_SCHEME, (request) => {
    const res = serveAppRequest(rendererDir, request.method, request.url, { read: readAppFile });
    return new Response(res.body === null ? null : (res.body as BodyInit), { status: res.status, headers: res.headers });
  });
  hardenSessions();
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ isMac: process.platform === 'darwin', isPackaged: app.isPackaged, appName: app.name }) as Electron.MenuItemConstructorOptions[]));

  const officeConfig = readOfficeConfig(app.getPath('userData'));
  if (officeConfig) office = createOfficeForwarder(officeConfig);
  const trusted = createTrustedSenderCheck(() => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : null));
  const router = createIpcRouter({
    isTrustedSender: trusted,
    forward: (request) => {
      if (office) return office.forward(request);
      if (!client) return Promise.reject(new Error('The backend is not running.'));
      return client.call(request);
    },
  });
  const officeIpc = createOfficeIpc({
    isTrustedSender: trusted,
    userData: () => app.getPath('userData'),
    relaunch: () => {
      app.relaunch();
      app.quit();
    },
    forwarder: () => office,
  });
  ipcMain.handle(OFFICE_CHANNEL, (event, raw: unknown) => officeIpc.office({ frameUrl: event.senderFrame?.url ?? null, webContentsId: event.sender.id }, raw));
  ipcMain.handle(UPLOAD_CHANNEL, (event, raw: unknown) => officeIpc.upload({ frameUrl: event.senderFrame?.url ?? null, webContentsId: event.sender.id }, raw));
  ipcMain.handle(IPC_CHANNEL, (event, raw: unknown) =>
    router.handle({ frameUrl: event.senderFrame?.url ?? null, webContentsId: event.sender.id }, raw),
  );
  const savePackage = createSavePackageHandler({
    isTrustedSender: createTrustedSenderCheck(() => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : null)),
    callBackend: (request) => (client ? client.call(request) : Promise.reject(new Error('The backend is not running.'))),
    showSaveDialog: (options) => (mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options)),
    copyFile: (from, to) => copyFile(from, to),
    zipFolder,
    downloadsDir: () => app.getPath('downloads'),
    office: () => office,
  });
  ipcMain.handle(SAVE_PACKAGE_CHANNEL, (event, raw: unknown) => savePackage({ frameUrl: event.senderFrame?.url ?? null, webContentsId: event.sender.id }, raw));

  // On an office server this desk holds no store and no key: only its session, in the page's memory.
  if (!office) startBackend();
  if (!quitting) createWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another AgencyDesk window is open: it gets focused (see 'second-instance') and this one ends.
  quitting = true;
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (app.isReady() && !mainWindow && !quitting && client?.state !== 'failed') createWindow();
  });
  app.on('before-quit', (event) => {
    quitting = true;
    if (backendClosed || !client || !backend) return;
    // Close the store first (releases its lock file), then quit for real.
    event.preventDefault();
    if (closeStarted) return;
    closeStarted = true;
    void client.close(5_000).finally(() => {
      backendClosed = true;
      backend?.kill();
      app.quit();
    });
  });
  app.whenReady().then(onReady, (e: unknown) => fatal('AgencyDesk could not start', e instanceof Error ? e.message : String(e)));
}
