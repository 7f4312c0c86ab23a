// The page's API client tells the app whether the backend answered (the "server unavailable, retrying"
// banner), and never sends again a call that could not be reached: it may have arrived and been saved.
import { describe, expect, it } from 'vitest';
import { ApiCallError, createApi } from '../../../renderer/api/client.js';
import type { Transport } from '../../../renderer/api/transport.js';
import type { Envelope } from '../../../shared/contract/envelope.js';

function fakeTransport(answers: (() => Envelope<unknown>)[]): Transport & { sent: string[] } {
  const sent: string[] = [];
  return {
    kind: 'web',
    sent,
    send: async (r) => {
      sent.push(r.method);
      const next = answers.shift();
      if (!next) throw new Error('no answer prepared');
      return next();
    },
    stageFile: () => Promise.reject(new Error('not used')),
    downloadPackage: () => Promise.reject(new Error('not used')),
  } as Transport & { sent: string[] };
}

describe('the API client and an unreachable backend', () => {
  it('reports unreachable, does not resend, and reports reachable at the next answer', async () => {
    const reach: boolean[] = [];
    const transport = fakeTransport([
      () => {
        throw new TypeError('Failed to fetch');
      },
      () => ({ ok: true, value: { version: 7 } }),
    ]);
    const api = createApi({ transport, getSession: () => 'tok', onSessionLost: () => {}, onTokenRejected: () => {}, onReachable: (r) => reach.push(r) });
    const lost = await api.call('contacts.log', { caseId: 1, channel: 'phone', outcome: 'no_answer' }).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(ApiCallError);
    expect((lost as ApiCallError).code).toBe('NETWORK');
    expect(transport.sent).toEqual(['contacts.log']); // sent once: it may have been saved
    expect(reach).toEqual([false]);
    await api.call('live.version', {});
    expect(reach).toEqual([false, true]);
  });

  it('the desktop as an office client: the forwarder’s "unavailable" answer shows the banner while the call is retried, until the server answers', async () => {
    const reach: boolean[] = [];
    const away = (): Envelope<unknown> => ({
      ok: false,
      error: { code: 'BUSY', message: 'The office server is unavailable (ECONNREFUSED).', key: 'officeServerUnavailable', params: { why: 'ECONNREFUSED' }, retryAfterSeconds: 0 },
    });
    const transport = fakeTransport([away, away, () => ({ ok: true, value: { id: 9 } })]);
    const api = createApi({ transport, getSession: () => 'tok', onSessionLost: () => {}, onTokenRejected: () => {}, onReachable: (r) => reach.push(r) });
    await expect(api.call('contacts.log', { caseId: 1, channel: 'phone', outcome: 'no_answer' })).resolves.toEqual({ id: 9 });
    // Nothing ran on the server while it was away, so the same call was sent again.
    expect(transport.sent).toEqual(['contacts.log', 'contacts.log', 'contacts.log']);
    expect(reach).toEqual([false, false, true]);
  });

  it('a busy server (BUSY without that key) is reachable: no banner', async () => {
    const reach: boolean[] = [];
    const transport = fakeTransport([() => ({ ok: false, error: { code: 'BUSY', message: 'an import holds the store', retryAfterSeconds: 0 } }), () => ({ ok: true, value: { id: 3 } })]);
    const api = createApi({ transport, getSession: () => 'tok', onSessionLost: () => {}, onTokenRejected: () => {}, onReachable: (r) => reach.push(r) });
    await api.call('contacts.log', { caseId: 1, channel: 'phone', outcome: 'no_answer' });
    expect(reach).toEqual([true]);
  });

  it('counts an answered refusal as reachable', async () => {
    const reach: boolean[] = [];
    const transport = fakeTransport([() => ({ ok: false, error: { code: 'FORBIDDEN', message: 'no' } })]);
    const api = createApi({ transport, getSession: () => 'tok', onSessionLost: () => {}, onTokenRejected: () => {}, onReachable: (r) => reach.push(r) });
    await expect(api.call('users.list', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(reach).toEqual([true]);
  });
});
