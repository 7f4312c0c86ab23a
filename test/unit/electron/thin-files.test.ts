// The electron-importing files (main.ts, preload.ts, backend-host.ts) run here against a fake 'electron' module:
// no Electron binary is needed to check that they wire the pure modules the way they should.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import https from 'node:https';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_KEY, IPC_CHANNEL } from '../../../shared/contract/bridge.js';
import { METHOD_NAMES } from '../../../shared/contract/registry.js';
import { SECURITY_HEADERS } from '../../../shared/security/csp.js';
import { loadTlsIdentity } from '../../../server/tls.js';

type Fn = (...args: any[]) => any;

function fakeElectron() {
  const order: string[] = [];
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    name: 'AgencyDesk',
    requestSingleInstanceLock: vi.fn(() => true),
    enableSandbox: vi.fn(() => order.push('enableSandbox')),
    whenReady: vi.fn(() => ready),
    isReady: vi.fn(() => true),
    quit: vi.fn(),
    getPath: vi.fn((_name: string) => '/userData'),
  });
  const windows: FakeWindow[] = [];
  class FakeWindow extends EventEmitter {
    static nextId = 1;
    webContents = { id: 100 + FakeWindow.nextId++ };
    loadURL = vi.fn(async () => {});
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = () => false;
    isDestroyed = () => false;
    constructor(readonly options: any) {
      super();
      windows.push(this);
    }
  }
  const children: Array<EventEmitter & { postMessage: Fn; kill: Fn; modulePath: string; args: string[] }> = [];
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    dialog: { showErrorBox: vi.fn() },
    ipcMain: { handle: vi.fn() },
    Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ t })), setApplicationMenu: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => order.push('registerSchemesAsPrivileged')),
      handle: vi.fn(),
    },
    session: {
      defaultSession: Object.assign(new EventEmitter(), {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
      }),
    },
    shell: { openExternal: vi.fn(async () => {}) },
    utilityProcess: {
      fork: vi.fn((modulePath: string, args: string[]) => {
        const child = Object.assign(new EventEmitter(), { postMessage: vi.fn(), kill: vi.fn(), modulePath, args });
        children.push(child);
        return child;
      }),
    },
  };
  return { electron, order, resolveReady, windows, children };
}

let tmp: string;
const savedEnv = { ...process.env };
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-thin-'));
  const binding = path.join(tmp, 'better_sqlite3.node');
  writeFileSync(binding, '');
  process.env.AGENCYDESK_STORE = path.join(tmp, 'store');
  process.env.AGENCYDESK_NATIVE_BINDING = binding;
  vi.resetModules();
});
afterEach(() => {
  process.env = { ...savedEnv };
  vi.doUnmock('electron');
  rmSync(tmp, { recursive: true, force: true });
});

async function loadMain(tweak: (fake: ReturnType<typeof fakeElectron>) => void = () => {}) {
  const fake = fakeElectron();
  tweak(fake);
  vi.doMock('electron', () => ({ ...fake.electron, default: fake.electron }));
  await import('../../../electron/main.js');
  expect(fake.order).toEqual(['registerSchemesAsPrivileged', 'enableSandbox']); // before ready
  fake.resolveReady();
  await new Promise((r) => setTimeout(r, 0));
  const child = fake.children[0]!;
  const win = fake.windows[0]!;
  const calls = fake.electron.ipcMain.handle.mock.calls as unknown as [string, Fn][];
  const ipc = calls.find((c) => c[0] === IPC_CHANNEL) ?? calls[0]!;
  return { ...fake, child, win, ipcHandler: ipc[1], ipcChannel: ipc[0], ipcChannels: calls.map((c) => c[0]) };
}

describe('main.ts wiring (fake electron)', () => {
  it('registers app:// as privileged before ready and serves the renderer with the security headers', async () => {
    const m = await loadMain();
    expect(m.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true, bypassCSP: false }) },
    ]);
    expect(m.electron.app.requestSingleInstanceLock).toHaveBeenCalled();
    const [scheme, handler] = m.electron.protocol.handle.mock.calls[0] as unknown as [string, Fn];
    expect(scheme).toBe('app');
    const res: Response = await handler({ method: 'GET', url: 'app://agencydesk/%2e%2e%2fpackage.json' });
    expect(res.status).toBe(404);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(k)).toBe(v);
  });

  it('denies every permission, and every download but the page\'s own blobs, which go through the save dialog', async () => {
    const m = await loadMain();
    const ses = m.electron.session.defaultSession;
    const cb = vi.fn();
    (ses.setPermissionRequestHandler.mock.calls[0] as unknown as [Fn])[0]({}, 'media', cb, {});
    expect(cb).toHaveBeenCalledWith(false);
    expect((ses.setPermissionCheckHandler.mock.calls[0] as unknown as [Fn])[0]({}, 'notifications', 'app://agencydesk', {})).toBe(false);
    expect((ses.setDevicePermissionHandler.mock.calls[0] as unknown as [Fn])[0]({})).toBe(false);
    const item = (url: string) => ({ getURL: () => url, getFilename: () => 'rejected rows.csv', setSaveDialogOptions: vi.fn() });
    const away = { preventDefault: vi.fn() };
    const awayItem = item('https://evil.example/x.exe');
    ses.emit('will-download', away, awayItem, m.win.webContents);
    expect(away.preventDefault).toHaveBeenCalled();
    expect(awayItem.setSaveDialogOptions).not.toHaveBeenCalled();
    const own = { preventDefault: vi.fn() };
    const ownItem = item('blob:app://agencydesk/6f1c7a4e-0000-4000-8000-000000000000');
    ses.emit('will-download', own, ownItem, m.win.webContents);
    expect(own.preventDefault).not.toHaveBeenCalled();
    expect(ownItem.setSaveDialogOptions).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: path.join('/userData', 'rejected rows.csv') }));
    const other = { preventDefault: vi.fn() };
    ses.emit('will-download', other, item('blob:app://agencydesk/x'), { id: 999 });
    expect(other.preventDefault).toHaveBeenCalled();
  });

  it('opens one secure window on app://agencydesk/index.html and forks the backend with the store and binding', async () => {
    const m = await loadMain();
    expect(m.windows).toHaveLength(1);
    const wp = m.win.options.webPreferences;
    expect(wp).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: true });
    expect(path.basename(wp.preload)).toBe('preload.cjs');
    expect(m.win.options.show).toBe(false);
    expect(m.win.loadURL).toHaveBeenCalledWith('app://agencydesk/index.html');
    m.win.emit('ready-to-show');
    expect(m.win.show).toHaveBeenCalled();
    expect(path.basename(m.child.modulePath)).toBe('backend-host.mjs');
    expect(m.child.args).toEqual([`--store-dir=${path.join(tmp, 'store')}`, `--native-binding=${path.join(tmp, 'better_sqlite3.node')}`]);
  });

  it('routes IPC from the main window to the backend and refuses other senders', async () => {
    const m = await loadMain();
    expect(m.ipcChannel).toBe(IPC_CHANNEL);
    // The office-server switch and office uploads have channels of their own, checked by the same sender rule.
    expect([...m.ipcChannels].sort()).toEqual(['agencydesk:call', 'agencydesk:office', 'agencydesk:save-package', 'agencydesk:upload']);
    const trusted = { senderFrame: { url: 'app://agencydesk/index.html' }, sender: { id: m.win.webContents.id } };
    const pending = m.ipcHandler(trusted, { method: 'system.status', input: {} });
    m.child.emit('message', { type: 'ready' });
    await new Promise((r) => setTimeout(r, 0));
    expect(m.child.postMessage).toHaveBeenCalledWith({ type: 'call', id: 1, request: { method: 'system.status', input: {} } });
    m.child.emit('message', { type: 'reply', id: 1, envelope: { ok: true, value: { initialized: false } } });
    expect(await pending).toEqual({ ok: true, value: { initialized: false } });

    const other = await m.ipcHandler({ senderFrame: { url: 'app://agencydesk/index.html' }, sender: { id: 9999 } }, { method: 'system.status', input: {} });
    expect(other).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const remote = await m.ipcHandler({ senderFrame: { url: 'https://example.com/' }, sender: { id: m.win.webContents.id } }, { method: 'system.status', input: {} });
    expect(remote).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(m.child.postMessage).toHaveBeenCalledTimes(1);
  });

  it('in office mode forks no backend, and Save .zip… downloads the package from the pinned office server', async () => {
    const tls = await loadTlsIdentity(path.join(tmp, 'server-store'));
    const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      if (req.url === '/api/package/5' && req.headers.authorization === 'Bearer tok') {
        res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Disposition': 'attachment; filename="P-5.zip"' });
        res.end('PK from the office');
      } else {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Please log in.' } }));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const userData = path.join(tmp, 'user-data');
      mkdirSync(userData);
      writeFileSync(path.join(userData, 'office-server.json'), JSON.stringify({ url: `https://127.0.0.1:${(server.address() as { port: number }).port}`, fingerprint: tls.fingerprint }));
      const dest = path.join(tmp, 'chosen.zip');
      const showSaveDialog = vi.fn(async () => ({ canceled: false, filePath: dest }));
      const m = await loadMain((f) => {
        f.electron.app.getPath = vi.fn((name: string) => (name === 'userData' ? userData : tmp));
        Object.assign(f.electron.dialog, { showSaveDialog });
      });
      expect(m.children).toHaveLength(0);
      const calls = m.electron.ipcMain.handle.mock.calls as unknown as [string, Fn][];
      const save = calls.find((c) => c[0] === 'agencydesk:save-package')![1];
      const trusted = { senderFrame: { url: 'app://agencydesk/index.html' }, sender: { id: m.win.webContents.id } };
      expect(await save(trusted, { exportId: 5, session: 'tok' })).toEqual({ ok: true, value: { saved: true, path: dest } });
      expect(readFileSync(dest, 'utf8')).toBe('PK from the office');
      expect(showSaveDialog).toHaveBeenCalledWith(m.win, expect.objectContaining({ title: 'P-5.zip', defaultPath: path.join(tmp, 'P-5.zip') }));
      expect(await save(trusted, { exportId: 5, session: 'other' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('blocks navigation away from the app, new windows and webviews; nothing goes to the OS browser', async () => {
    const m = await loadMain();
    let openHandler: Fn = () => undefined;
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: (h: Fn) => (openHandler = h) });
    m.electron.app.emit('web-contents-created', {}, contents);
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      const away = { url: 'https://example.com/', preventDefault: vi.fn() };
      contents.emit(event, away);
      expect(away.preventDefault).toHaveBeenCalled();
      const home = { url: 'app://agencydesk/index.html', preventDefault: vi.fn() };
      contents.emit(event, home);
      expect(home.preventDefault).not.toHaveBeenCalled();
    }
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(openHandler({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(openHandler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(m.electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('shows an error and quits when the store is busy', async () => {
    const m = await loadMain();
    m.child.emit('message', { type: 'startup-error', error: { code: 'STORE_BUSY', message: 'The store is in use by web@pc (pid 7).' } });
    expect(m.electron.dialog.showErrorBox).toHaveBeenCalledWith('AgencyDesk is already in use', expect.stringContaining('in use by web@pc'));
    expect(m.electron.app.quit).toHaveBeenCalled();
  });

  it('closes the backend (releasing the store lock) before quitting', async () => {
    const m = await loadMain();
    m.child.emit('message', { type: 'ready' });
    const quitEvent = { preventDefault: vi.fn() };
    m.electron.app.emit('before-quit', quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    expect(m.child.postMessage).toHaveBeenCalledWith({ type: 'close' });
    expect(m.electron.app.quit).not.toHaveBeenCalled();
    m.child.emit('message', { type: 'closed' });
    await new Promise((r) => setTimeout(r, 0));
    expect(m.electron.app.quit).toHaveBeenCalledTimes(1);
    const again = { preventDefault: vi.fn() };
    m.electron.app.emit('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('a second instance quits at once and focuses nothing itself', async () => {
    const fake = fakeElectron();
    fake.electron.app.requestSingleInstanceLock.mockReturnValue(false);
    vi.doMock('electron', () => ({ ...fake.electron, default: fake.electron }));
    await import('../../../electron/main.js');
    expect(fake.electron.app.quit).toHaveBeenCalled();
    expect(fake.electron.app.whenReady).not.toHaveBeenCalled();
    expect(fake.electron.app.listenerCount('second-instance')).toBe(0);
  });

  it('the first instance focuses its window when a second one starts', async () => {
    const m = await loadMain();
    m.electron.app.emit('second-instance', {}, [], '/');
    expect(m.win.focus).toHaveBeenCalled();
  });
});

describe('preload.ts (fake electron)', () => {
  it('exposes exactly one object, window.agencydesk, that calls through ipcRenderer.invoke', async () => {
    const exposeInMainWorld = vi.fn();
    const invoke = vi.fn(async () => ({ ok: true, value: 'pong' }));
    const getPathForFile = vi.fn(() => '/home/user/placement.csv');
    const fake = { contextBridge: { exposeInMainWorld }, ipcRenderer: { invoke, on: vi.fn(), send: vi.fn() }, webUtils: { getPathForFile } };
    vi.doMock('electron', () => ({ ...fake, default: fake }));
    await import('../../../electron/preload.js');
    expect(exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, api] = exposeInMainWorld.mock.calls[0] as unknown as [string, any];
    expect(key).toBe(BRIDGE_KEY);
    expect(Object.keys(api).sort()).toEqual(['call', 'host', 'methods', 'office', 'pathForFile', 'savePackage', 'uploadPath']);
    expect(api.methods).toEqual(METHOD_NAMES);
    const file = { name: 'placement.csv' };
    expect(api.pathForFile(file)).toBe('/home/user/placement.csv');
    expect(getPathForFile).toHaveBeenCalledWith(file);
    expect(await api.call({ method: 'system.status', input: {} })).toEqual({ ok: true, value: 'pong' });
    expect(invoke).toHaveBeenCalledWith(IPC_CHANNEL, { method: 'system.status', input: {} });
    expect(Object.values(api)).not.toContain(fake.ipcRenderer);
  });
});

describe('backend-host.ts (fake parentPort, real core)', () => {
  it('opens the store from argv, answers calls over parentPort, closes and exits on request', async () => {
    const port = Object.assign(new EventEmitter(), { postMessage: vi.fn() });
    const savedArgv = process.argv;
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    (process as unknown as { parentPort: unknown }).parentPort = port;
    process.argv = [...savedArgv, `--store-dir=${path.join(tmp, 'host-store')}`];
    try {
      await import('../../../electron/backend-host.js');
      expect(port.postMessage).toHaveBeenCalledWith({ type: 'ready' });
      port.emit('message', { data: { type: 'call', id: 1, request: { method: 'system.status', input: {} } } });
      await vi.waitFor(() => expect(port.postMessage).toHaveBeenCalledTimes(2));
      expect(port.postMessage.mock.calls[1]?.[0]).toMatchObject({ type: 'reply', id: 1, envelope: { ok: true, value: { initialized: false } } });
      // The desktop's backend can serve its store to the office (serve.*); closing the process cuts the listener.
      const reply = async (id: number, request: unknown) => {
        port.emit('message', { data: { type: 'call', id, request } });
        await vi.waitFor(() => expect(port.postMessage.mock.calls.some((c) => (c[0] as { id?: number }).id === id)).toBe(true), { timeout: 10_000 });
        return (port.postMessage.mock.calls.find((c) => (c[0] as { id?: number }).id === id)![0] as { envelope: { ok: boolean; value: any } }).envelope;
      };
      const setup = await reply(2, { method: 'system.setup', input: { agencyName: 'A', admin: { username: 'admin', displayName: 'A', password: 'admin password 1' } } });
      const session = setup.value.session.token as string;
      const served = await reply(3, { method: 'serve.start', input: { host: '127.0.0.1', port: 0 }, session });
      expect(served.value).toMatchObject({ available: true, serving: true });
      const listening = served.value.listen.port as number;
      port.emit('message', { data: { type: 'close' } });
      await vi.waitFor(() => expect(port.postMessage).toHaveBeenLastCalledWith({ type: 'closed' }));
      const refused = await new Promise<string>((resolve) => {
        const sock = net.connect({ host: '127.0.0.1', port: listening });
        sock.once('connect', () => (sock.destroy(), resolve('connected')));
        sock.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
      await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
    } finally {
      process.argv = savedArgv;
      delete (process as unknown as { parentPort?: unknown }).parentPort;
      exit.mockRestore();
    }
  });
});

describe('preload bundle', () => {
  it('is one CommonJS file whose only require is electron (a sandboxed preload can load nothing else)', async () => {
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: [path.resolve('electron/preload.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    const requires = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/ipcRenderer\.(send|on|sendSync)\b/);
  });
});
