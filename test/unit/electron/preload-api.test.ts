import { describe, expect, it, vi } from 'vitest';
import { buildBridge } from '../../../electron/preload-api.js';
import { METHOD_NAMES } from '../../../shared/contract/registry.js';
import { IPC_CHANNEL, SAVE_PACKAGE_CHANNEL } from '../../../shared/contract/bridge.js';
import { handlers } from '../../../core/handlers.js';

describe('buildBridge', () => {
  it('lists exactly the registry methods, which are exactly the methods core implements', () => {
    const bridge = buildBridge(async () => ({ ok: true, value: null }));
    expect(bridge.methods).toEqual(METHOD_NAMES);
    expect([...bridge.methods].sort()).toEqual(Object.keys(handlers).sort());
    expect(bridge.host).toBe('desktop');
    expect(Object.keys(bridge).sort()).toEqual(['call', 'host', 'methods', 'office', 'pathForFile', 'savePackage', 'uploadPath']);
    expect(Object.isFrozen(bridge.office)).toBe(true);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.methods)).toBe(true);
  });

  it('invokes IPC_CHANNEL with only {method, input, session} and returns the envelope', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: 42 }));
    const bridge = buildBridge(invoke);
    const req = { method: 'auth.me', input: { a: 1 }, session: 'tok', evil: () => 1, __proto__hack: 'x' };
    expect(await bridge.call(req as never)).toEqual({ ok: true, value: 42 });
    expect(invoke).toHaveBeenCalledWith(IPC_CHANNEL, { method: 'auth.me', input: { a: 1 }, session: 'tok' });
    await bridge.call({ method: 'system.status', input: {} });
    const second = invoke.mock.calls[1] as unknown[];
    expect(second[1]).toEqual({ method: 'system.status', input: {} });
    expect(second[1]).not.toHaveProperty('session');
  });

  it('savePackage sends only {exportId, session} on its own channel; an IPC failure becomes an envelope', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: { saved: true, path: '/home/u/p.zip' } }));
    const bridge = buildBridge(invoke);
    expect(await bridge.savePackage!(7, 'tok')).toEqual({ ok: true, value: { saved: true, path: '/home/u/p.zip' } });
    expect(invoke).toHaveBeenCalledWith(SAVE_PACKAGE_CHANNEL, { exportId: 7, session: 'tok' });
    const failing = buildBridge(async () => {
      throw new Error('gone');
    });
    expect(await failing.savePackage!(7, 'tok')).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('never rejects: an IPC failure becomes an INTERNAL envelope', async () => {
    const bridge = buildBridge(async () => {
      throw new Error('Error invoking remote method');
    });
    expect(await bridge.call({ method: 'system.status', input: {} })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
