import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostArgs, isFromBackend, isToBackend, parseHostConfig } from '../../../electron/backend-protocol.js';
import { devNativeBindingPath, nativeBindingFor } from '../../../electron/native-binding.js';
import { menuTemplate, type MenuItemSpec } from '../../../electron/menu-template.js';

describe('backend protocol', () => {
  it('round-trips the host config through argv', () => {
    const args = hostArgs({ storeDir: '/d/store', nativeBinding: '/n/better_sqlite3.node' });
    expect(parseHostConfig(['electron', 'host.mjs', ...args], {})).toEqual({ storeDir: '/d/store', nativeBinding: '/n/better_sqlite3.node' });
    expect(parseHostConfig(hostArgs({ storeDir: '/d', nativeBinding: undefined }), {})).toEqual({ storeDir: '/d', nativeBinding: undefined });
    expect(parseHostConfig([], { AGENCYDESK_STORE: '/env/store' })).toEqual({ storeDir: '/env/store', nativeBinding: undefined });
    // The backend process takes its binding from main only, never from the environment it inherits.
    expect(parseHostConfig([], { AGENCYDESK_STORE: '/s', AGENCYDESK_NATIVE_BINDING: '/x/evil.node' })).toEqual({ storeDir: '/s', nativeBinding: undefined });
    expect(parseHostConfig([], {})).toBeNull();
  });

  it('recognises well-formed messages only', () => {
    expect(isFromBackend({ type: 'ready' })).toBe(true);
    expect(isFromBackend({ type: 'reply', id: 1, envelope: { ok: true, value: 1 } })).toBe(true);
    expect(isFromBackend({ type: 'reply', id: 0, envelope: { ok: true } })).toBe(false);
    expect(isFromBackend({ type: 'startup-error', error: { code: 'STORE_BUSY', message: 'x' } })).toBe(true);
    expect(isFromBackend({ type: 'startup-error' })).toBe(false);
    expect(isFromBackend({ type: 'other' })).toBe(false);
    expect(isToBackend({ type: 'close' })).toBe(true);
    expect(isToBackend({ type: 'call', id: 1, request: { method: 'm' } })).toBe(true);
    expect(isToBackend({ type: 'call', id: 1.5, request: { method: 'm' } })).toBe(false);
    expect(isToBackend([])).toBe(false);
  });
});

describe('native binding', () => {
  it('uses the Electron-ABI copy from native/ (repository in development, resources when packaged)', () => {
    const root = path.resolve('/repo');
    const res = path.resolve('/opt/AgencyDesk/resources');
    const base = { appRoot: root, resourcesPath: res, electronVersion: '45.4.1', env: {} };
    expect(devNativeBindingPath(root, '45.4.1')).toBe(path.join(root, 'native', 'electron', '45.4.1', 'better_sqlite3.node'));
    expect(nativeBindingFor({ ...base, isPackaged: false })).toBe(path.join(root, 'native', 'electron', '45.4.1', 'better_sqlite3.node'));
    expect(nativeBindingFor({ ...base, isPackaged: true })).toBe(path.join(res, 'native', 'electron', '45.4.1', 'better_sqlite3.node'));
    // The override is for development; a packaged app ignores it (any .node file would run in the backend).
    expect(nativeBindingFor({ ...base, isPackaged: false, env: { AGENCYDESK_NATIVE_BINDING: '/x/b.node' } })).toBe(path.resolve('/x/b.node'));
    expect(nativeBindingFor({ ...base, isPackaged: true, env: { AGENCYDESK_NATIVE_BINDING: '/x/b.node' } })).toBe(path.join(res, 'native', 'electron', '45.4.1', 'better_sqlite3.node'));
  });
});

describe('menu template', () => {
  const roles = (items: MenuItemSpec[]): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);

  it('offers reload and DevTools only in development', () => {
    expect(roles(menuTemplate({ isMac: false, isPackaged: true, appName: 'AgencyDesk' }))).not.toContain('toggleDevTools');
    expect(roles(menuTemplate({ isMac: false, isPackaged: true, appName: 'AgencyDesk' }))).not.toContain('reload');
    expect(roles(menuTemplate({ isMac: false, isPackaged: false, appName: 'AgencyDesk' }))).toContain('toggleDevTools');
  });

  it('always has quit and the clipboard shortcuts; the mac app menu carries the name', () => {
    for (const isMac of [true, false]) {
      const r = roles(menuTemplate({ isMac, isPackaged: true, appName: 'AgencyDesk' }));
      for (const role of ['quit', 'copy', 'paste', 'cut', 'selectAll', 'undo']) expect(r).toContain(role);
    }
    expect(menuTemplate({ isMac: true, isPackaged: true, appName: 'AgencyDesk' })[0]?.label).toBe('AgencyDesk');
  });
});
