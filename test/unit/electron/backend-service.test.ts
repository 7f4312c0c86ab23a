import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerCall, startBackendService, type ServiceBackend } from '../../../electron/backend-service.js';
import type { FromBackend } from '../../../electron/backend-protocol.js';
import { createBackend } from '../../../core/backend.js';
import { ApiFailure } from '../../../shared/contract/failure.js';
import { APP_VERSION } from '../../../shared/version.js';

function fakeBackend(impl?: ServiceBackend['dispatch']): ServiceBackend & { closed: number } {
  const b = {
    closed: 0,
    dispatch: vi.fn(impl ?? (async (method: string) => ({ ok: true as const, value: { method } }))),
    close() {
      b.closed++;
    },
  };
  return b;
}

function harness(create: () => ServiceBackend) {
  const posted: FromBackend[] = [];
  const exit = vi.fn();
  const service = startBackendService({ create, post: (m) => posted.push(m), exit, log: () => {} });
  return { service, posted, exit };
}

describe('backend service (fake backend)', () => {
  it('reports ready and answers calls with the same id', async () => {
    const backend = fakeBackend();
    const { service, posted } = harness(() => backend);
    expect(posted).toEqual([{ type: 'ready' }]);
    await service.onMessage({ type: 'call', id: 3, request: { method: 'system.status', input: {}, session: 'tok' } });
    expect(backend.dispatch).toHaveBeenCalledWith('system.status', {}, { session: 'tok' });
    expect(posted[1]).toEqual({ type: 'reply', id: 3, envelope: { ok: true, value: { method: 'system.status' } } });
  });

  it('reports STORE_BUSY as a startup error and exits', () => {
    const { service, posted, exit } = harness(() => {
      throw new ApiFailure('STORE_BUSY', 'The store is in use by cli@host (pid 42).');
    });
    expect(posted).toEqual([{ type: 'startup-error', error: { code: 'STORE_BUSY', message: 'The store is in use by cli@host (pid 42).' } }]);
    expect(exit).toHaveBeenCalledWith(1);
    expect(service.running).toBe(false);
  });

  it('reports an unexpected startup failure as INTERNAL', () => {
    const { posted } = harness(() => {
      throw new Error('EACCES');
    });
    expect(posted[0]).toMatchObject({ type: 'startup-error', error: { code: 'INTERNAL' } });
  });

  it('turns a throwing dispatch into INTERNAL and a malformed request into BAD_INPUT', async () => {
    const backend = fakeBackend(async () => {
      throw new Error('boom');
    });
    expect(await answerCall(backend, { method: 'system.status', input: {} })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await answerCall(backend, { input: {} })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('ignores malformed messages', async () => {
    const backend = fakeBackend();
    const { service, posted } = harness(() => backend);
    await service.onMessage({ type: 'call', id: -1, request: { method: 'x' } });
    await service.onMessage('close');
    expect(posted).toEqual([{ type: 'ready' }]);
    expect(backend.dispatch).not.toHaveBeenCalled();
  });

  it('close: closes the backend once, confirms, exits 0; later calls get INTERNAL', async () => {
    const backend = fakeBackend();
    const { service, posted, exit } = harness(() => backend);
    await service.onMessage({ type: 'close' });
    expect(backend.closed).toBe(1);
    expect(posted.at(-1)).toEqual({ type: 'closed' });
    expect(exit).toHaveBeenCalledWith(0);
    await service.onMessage({ type: 'call', id: 1, request: { method: 'system.status', input: {} } });
    expect(posted.at(-1)).toMatchObject({ type: 'reply', id: 1, envelope: { ok: false, error: { code: 'INTERNAL' } } });
    await service.onMessage({ type: 'close' });
    expect(backend.closed).toBe(1);
  });
});

describe('backend service (real core backend)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('answers system.status on a fresh store, refuses a second backend with STORE_BUSY, releases the lock on close', async () => {
    const storeDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'agencydesk-electron-')), 'store');
    dirs.push(path.dirname(storeDir));
    const create = () => createBackend({ storeDir, host: 'desktop', sweepEveryMs: 0 });

    const first = harness(create);
    expect(first.posted).toEqual([{ type: 'ready' }]);
    await first.service.onMessage({ type: 'call', id: 1, request: { method: 'system.status', input: {} } });
    expect(first.posted[1]).toEqual({
      type: 'reply',
      id: 1,
      envelope: { ok: true, value: { initialized: false, unlocked: false, agencyName: null, appVersion: APP_VERSION, schemaVersion: null, testClock: null } },
    });

    const second = harness(create);
    expect(second.posted[0]).toMatchObject({ type: 'startup-error', error: { code: 'STORE_BUSY' } });
    expect(second.exit).toHaveBeenCalledWith(1);

    await first.service.onMessage({ type: 'close' });
    const third = harness(create);
    expect(third.posted).toEqual([{ type: 'ready' }]);
    await third.service.onMessage({ type: 'close' });
  });
});
