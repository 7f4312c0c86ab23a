// The Assign page's apply while another manager's assignment is still being written: the backend answers BUSY
// until that one ends (longer than the client's own BUSY retries), so the page sends it again while
// assign.applying lists one — and shows any other error, or a BUSY with nothing being written, at once.
import { describe, expect, it } from 'vitest';
import { applyAfterOthers } from '../../../renderer/pages/assign/applyAfterOthers.js';
import { ApiCallError, type Api } from '../../../renderer/api/client.js';
import type { MethodInput } from '../../../shared/contract/registry.js';

const INPUT = { selection: { batchId: 1 }, rule: 'balanced', pool: { teamIds: [], collectorIds: [] }, keepBorrower: true } as unknown as MethodInput<'assign.apply'>;
const OTHER = { assignmentId: 7, at: '2026-12-07T08:00:00.000Z', actor: 'lisi', actorName: '李四', rule: 'balanced', moves: 200_000, parts: 400, partsDone: 120 };
const busy = () => new ApiCallError('assign.apply', { code: 'BUSY', message: 'Assignment 7 is still being written', retryAfterSeconds: 2 });

/** A fake API: apply answers from `applies` in turn, assign.applying from `applying` in turn; records the calls. */
function fakeApi(applies: (Error | 'ok')[], applying: (typeof OTHER)[][]) {
  const calls: string[] = [];
  const api = {
    call: async (method: string) => {
      calls.push(method);
      if (method === 'assign.applying') return { applying: applying.shift() ?? [] };
      const next = applies.shift();
      if (next === 'ok') return { assigned: 3, assignmentId: 8 };
      throw next;
    },
  } as unknown as Api;
  return { api, calls };
}

describe('applying after another manager’s assignment', () => {
  it('sends it again while the other one is being written, then returns its result', async () => {
    const { api, calls } = fakeApi([busy(), busy(), 'ok'], [[OTHER], [OTHER]]);
    expect(await applyAfterOthers(api, INPUT, 1)).toEqual({ assigned: 3, assignmentId: 8 });
    expect(calls).toEqual(['assign.apply', 'assign.applying', 'assign.apply', 'assign.applying', 'assign.apply']);
  });

  it('shows a BUSY at once when nothing is being written (the lock of something else)', async () => {
    const e = busy();
    const { api, calls } = fakeApi([e, 'ok'], [[]]);
    await expect(applyAfterOthers(api, INPUT, 1)).rejects.toBe(e);
    expect(calls).toEqual(['assign.apply', 'assign.applying']);
  });

  it('shows any other error at once', async () => {
    const e = new ApiCallError('assign.apply', { code: 'FORBIDDEN', message: 'no' });
    const { api, calls } = fakeApi([e], [[OTHER]]);
    await expect(applyAfterOthers(api, INPUT, 1)).rejects.toBe(e);
    expect(calls).toEqual(['assign.apply']);
  });
});
