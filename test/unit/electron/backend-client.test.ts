import { describe, expect, it, vi } from 'vitest';
import { createBackendClient, BackendUnavailableError } from '../../../electron/backend-client.js';
import type { ToBackend } from '../../../electron/backend-protocol.js';

function setup(opts: Partial<Parameters<typeof createBackendClient>[0]> = {}) {
  const sent: ToBackend[] = [];
  const client = createBackendClient({ post: (m) => sent.push(m), ...opts });
  return { client, sent };
}

const status = { method: 'system.status', input: {} };

describe('backend client', () => {
  it('queues calls until ready, then sends them with increasing ids and matches replies', async () => {
    const { client, sent } = setup();
    const p1 = client.call(status);
    const p2 = client.call({ ...status, session: 's' });
    expect(sent).toEqual([]);
    client.onMessage({ type: 'ready' });
    await Promise.resolve();
    expect(client.state).toBe('ready');
    expect(sent).toEqual([
      { type: 'call', id: 1, request: status },
      { type: 'call', id: 2, request: { ...status, session: 's' } },
    ]);
    client.onMessage({ type: 'reply', id: 2, envelope: { ok: true, value: 'two' } });
    client.onMessage({ type: 'reply', id: 1, envelope: { ok: true, value: 'one' } });
    expect(await p1).toEqual({ ok: true, value: 'one' });
    expect(await p2).toEqual({ ok: true, value: 'two' });
    expect(client.pendingCount).toBe(0);
  });

  it('ignores malformed messages and unknown ids', async () => {
    const { client } = setup();
    client.onMessage({ type: 'ready' });
    const p = client.call(status);
    client.onMessage(null);
    client.onMessage('reply');
    client.onMessage({ type: 'reply', id: 99, envelope: { ok: true, value: 1 } });
    client.onMessage({ type: 'reply', id: 1 }); // no envelope
    expect(client.pendingCount).toBe(1);
    client.onMessage({ type: 'reply', id: 1, envelope: { ok: true, value: 1 } });
    expect(await p).toEqual({ ok: true, value: 1 });
  });

  it('times out a call and ignores the late reply', async () => {
    vi.useFakeTimers();
    try {
      const { client } = setup({ timeoutMs: 1000 });
      client.onMessage({ type: 'ready' });
      const p = client.call(status);
      const assertion = expect(p).rejects.toBeInstanceOf(BackendUnavailableError);
      vi.advanceTimersByTime(1001);
      await assertion;
      expect(client.pendingCount).toBe(0);
      client.onMessage({ type: 'reply', id: 1, envelope: { ok: true, value: 'late' } }); // no throw
    } finally {
      vi.useRealTimers();
    }
  });

  it('by default waits for a long call (an assignment of a minute and more) instead of showing an error for work still running', async () => {
    vi.useFakeTimers();
    try {
      const { client } = setup();
      client.onMessage({ type: 'ready' });
      const p = client.call({ method: 'assign.apply', input: {} });
      vi.advanceTimersByTime(5 * 60_000);
      client.onMessage({ type: 'reply', id: 1, envelope: { ok: true, value: 'assigned' } });
      expect(await p).toEqual({ ok: true, value: 'assigned' });
      // A backend that hangs for good is still given up on, after 10 minutes.
      const hung = client.call(status);
      const assertion = expect(hung).rejects.toBeInstanceOf(BackendUnavailableError);
      vi.advanceTimersByTime(10 * 60_000 + 1);
      await assertion;
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects every pending call when the process exits, and reports the unexpected exit', async () => {
    const onUnexpectedExit = vi.fn();
    const { client } = setup({ onUnexpectedExit });
    client.onMessage({ type: 'ready' });
    const a = client.call(status);
    const b = client.call(status);
    client.onExit(139);
    await expect(a).rejects.toThrow(/exited \(code 139\)/);
    await expect(b).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(onUnexpectedExit).toHaveBeenCalledWith(139);
    expect(client.state).toBe('exited');
    await expect(client.call(status)).rejects.toBeInstanceOf(BackendUnavailableError);
  });

  it('answers queued and later calls with the startup error (STORE_BUSY)', async () => {
    const onStartupError = vi.fn();
    const onUnexpectedExit = vi.fn();
    const { client, sent } = setup({ onStartupError, onUnexpectedExit });
    const queued = client.call(status);
    const error = { code: 'STORE_BUSY' as const, message: 'The store is in use by web@host (pid 1).' };
    client.onMessage({ type: 'startup-error', error });
    expect(await queued).toEqual({ ok: false, error });
    expect(await client.call(status)).toEqual({ ok: false, error });
    expect(onStartupError).toHaveBeenCalledWith(error);
    client.onExit(1);
    expect(onUnexpectedExit).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
  });

  it('fails queued calls when the backend does not start in time', async () => {
    vi.useFakeTimers();
    try {
      const { client } = setup({ startupTimeoutMs: 500 });
      const p = client.call(status);
      const assertion = expect(p).rejects.toThrow(/did not start/);
      vi.advanceTimersByTime(501);
      await assertion;
    } finally {
      vi.useRealTimers();
    }
  });

  it('close() sends close and resolves on "closed"; the exit that follows is expected', async () => {
    const onUnexpectedExit = vi.fn();
    const { client, sent } = setup({ onUnexpectedExit });
    client.onMessage({ type: 'ready' });
    const closing = client.close();
    expect(sent).toEqual([{ type: 'close' }]);
    expect(client.state).toBe('closing');
    client.onMessage({ type: 'closed' });
    await closing;
    client.onExit(0);
    expect(onUnexpectedExit).not.toHaveBeenCalled();
  });

  it('close() also resolves on exit or timeout', async () => {
    const a = setup();
    a.client.onMessage({ type: 'ready' });
    const c1 = a.client.close();
    a.client.onExit(0);
    await c1;

    vi.useFakeTimers();
    try {
      const b = setup();
      b.client.onMessage({ type: 'ready' });
      const c2 = b.client.close(100);
      vi.advanceTimersByTime(101);
      await c2;
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a call when posting throws', async () => {
    const client = createBackendClient({
      post: () => {
        throw new Error('process gone');
      },
    });
    client.onMessage({ type: 'ready' });
    await expect(client.call(status)).rejects.toThrow(/process gone/);
    expect(client.pendingCount).toBe(0);
  });
});
