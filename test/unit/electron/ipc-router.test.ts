import { describe, expect, it, vi } from 'vitest';
import { createIpcRouter, createTrustedSenderCheck } from '../../../electron/ipc-router.js';
import type { ApiRequest, Envelope } from '../../../shared/contract/envelope.js';

const trusted = { frameUrl: 'app://agencydesk/index.html', webContentsId: 7 };

function setup(forwardImpl?: (r: ApiRequest) => Promise<Envelope<unknown>>) {
  const forward = vi.fn(forwardImpl ?? (async () => ({ ok: true as const, value: { fine: true } })));
  const router = createIpcRouter({
    isTrustedSender: createTrustedSenderCheck(() => 7),
    forward,
    log: () => {},
  });
  return { router, forward };
}

describe('createTrustedSenderCheck', () => {
  it('trusts only app://agencydesk/ frames of the main window', () => {
    let mainId: number | null = 7;
    const check = createTrustedSenderCheck(() => mainId);
    expect(check('app://agencydesk/index.html', 7)).toBe(true);
    expect(check('app://agencydesk/index.html', 8)).toBe(false);
    expect(check('https://example.com/', 7)).toBe(false);
    expect(check('app://agencydesk.evil/x', 7)).toBe(false);
    expect(check('app://agencydeskx/', 7)).toBe(false);
    expect(check('file:///index.html', 7)).toBe(false);
    expect(check(null, 7)).toBe(false);
    mainId = null; // window closed
    expect(check('app://agencydesk/index.html', 7)).toBe(false);
  });
});

describe('ipc router', () => {
  it('forwards a valid request from the main window and returns the envelope', async () => {
    const { router, forward } = setup();
    const env = await router.handle(trusted, { method: 'system.status', input: {}, session: 'tok', extra: 'dropped' });
    expect(env).toEqual({ ok: true, value: { fine: true } });
    expect(forward).toHaveBeenCalledTimes(1);
    expect(forward).toHaveBeenCalledWith({ method: 'system.status', input: {}, session: 'tok' });
  });

  it('omits session when there is none', async () => {
    const { router, forward } = setup();
    await router.handle(trusted, { method: 'system.status', input: {} });
    expect(forward.mock.calls[0]?.[0]).toEqual({ method: 'system.status', input: {} });
    expect(forward.mock.calls[0]?.[0]).not.toHaveProperty('session');
  });

  it.each([
    ['another webContents', { frameUrl: 'app://agencydesk/index.html', webContentsId: 99 }],
    ['a remote page', { frameUrl: 'https://evil.example/', webContentsId: 7 }],
    ['a destroyed frame', { frameUrl: null, webContentsId: 7 }],
  ])('refuses %s with FORBIDDEN and never forwards', async (_name, sender) => {
    const { router, forward } = setup();
    const env = await router.handle(sender, { method: 'system.status', input: {} });
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.error.code).toBe('FORBIDDEN');
    expect(forward).not.toHaveBeenCalled();
  });

  it.each([
    ['not an object', 'system.status'],
    ['null', null],
    ['no method', { input: {} }],
    ['empty method', { method: '', input: {} }],
    ['numeric session', { method: 'system.status', input: {}, session: 5 }],
    ['huge session', { method: 'system.status', input: {}, session: 'x'.repeat(500) }],
  ])('answers BAD_INPUT for a malformed message (%s) without forwarding', async (_name, raw) => {
    const { router, forward } = setup();
    const env = await router.handle(trusted, raw);
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.error.code).toBe('BAD_INPUT');
    expect(forward).not.toHaveBeenCalled();
  });

  it('answers UNKNOWN_METHOD without forwarding', async () => {
    const { router, forward } = setup();
    const env = await router.handle(trusted, { method: 'system.selfDestruct', input: {} });
    expect(env).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(forward).not.toHaveBeenCalled();
  });

  it('forwards an input that breaks the method schema: core answers it after the session and permission checks', async () => {
    // Validating here first would tell a caller without a session the method's schema (issue 17, finding 7).
    const { router, forward } = setup(async () => ({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Please log in.' } }));
    const env = await router.handle(trusted, { method: 'users.create', input: { unexpected: 1 } });
    expect(env).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(forward).toHaveBeenCalledWith({ method: 'users.create', input: { unexpected: 1 } });
  });

  it('passes API errors from the backend through unchanged', async () => {
    const { router } = setup(async () => ({ ok: false, error: { code: 'WRONG_PASSWORD', message: 'nope' } }));
    expect(await router.handle(trusted, { method: 'system.status', input: {} })).toEqual({
      ok: false,
      error: { code: 'WRONG_PASSWORD', message: 'nope' },
    });
  });

  it('turns a forward failure (crash, timeout) into INTERNAL', async () => {
    const { router } = setup(async () => {
      throw new Error('The backend process exited (code 9).');
    });
    const env = await router.handle(trusted, { method: 'system.status', input: {} });
    expect(env).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!env.ok) expect(env.error.message).toContain('exited');
  });

  it('turns a malformed backend answer into INTERNAL', async () => {
    const { router } = setup(async () => ({ nonsense: true }) as unknown as Envelope<unknown>);
    expect(await router.handle(trusted, { method: 'system.status', input: {} })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
