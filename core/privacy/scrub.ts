// One erasure transaction (run by the erasure worker, erase-worker.ts): each case scrubbed whole with its audit
// entry, or not at all.
import type { Repos } from '../../db/repos/index.js';
import { appendAudit } from '../audit-entry.js';

/**
 * Erases cases from `ids` in one transaction, each with its audit entry, until `budgetMs` has passed (at least
 * one case): answers how many ids it went through and how many of them it erased (worker side).
 */
export function eraseChunk(
  r: Repos,
  runId: number,
  ids: readonly number[],
  at: string,
  actor: { id: number; username: string },
  host: string,
  budgetMs = Infinity,
): { done: number; erased: number } {
  const t0 = performance.now();
  return r.db.transaction(() => {
    let done = 0;
    let erased = 0;
    for (const id of ids) {
      if (done > 0 && performance.now() - t0 > budgetMs) break;
      done++;
      const c = r.privacy.rawCase(id);
      if (!c || !r.privacy.eraseCase(id, runId, at)) continue;
      appendAudit(r, { at, actorId: actor.id, actor: actor.username, host, action: 'privacy.erase', entity: 'case', entityId: String(id), detail: { caseNo: c.case_no, runId } });
      erased++;
    }
    return { done, erased };
  })();
}
