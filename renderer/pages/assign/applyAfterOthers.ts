// Applying an assignment while another manager's is still being written (core/assignment/apply.ts refuses a
// second one until the first ends).
import { ApiCallError, type Api } from '../../api/client.js';
import type { MethodInput } from '../../../shared/contract/registry.js';
import type { AssignPlan } from '../../../shared/contract/assignment.js';

/**
 * assign.apply, waiting for another manager's assignment still being written: the backend answers BUSY until it
 * ends (a minute at 200,000 cases), longer than the client's own BUSY retries, so it is sent again while
 * assign.applying still lists one. Any other error is the manager's to see.
 */
export async function applyAfterOthers(api: Api, input: MethodInput<'assign.apply'>, pauseMs = 2000): Promise<AssignPlan> {
  for (;;) {
    try {
      return await api.call('assign.apply', input);
    } catch (e) {
      if (!(e instanceof ApiCallError) || e.code !== 'BUSY') throw e;
      const { applying } = await api.call('assign.applying', {});
      if (applying.length === 0) throw e;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
}

