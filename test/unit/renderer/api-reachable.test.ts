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

  it('counts an answered refusal as reachable', async () => {
    const reach: boolean[] = [];
    const transport = fakeTransport([() => ({ ok: false, error: { code: 'FORBIDDEN', message: 'no' } })]);
    const api = createApi({ transport, getSession: () => 'tok', onSessionLost: () => {}, onTokenRejected: () => {}, onReachable: (r) => reach.push(r) });
    await expect(api.call('users.list', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(reach).toEqual([true]);
  });
});
