// Finished, not yet erased cases whose retention has run out by the agency's day of `now`: one pass over the
// lender's finished cases (seconds at 1M), so the erasure worker computes it too, off the request thread.
import type { Repos } from '../../db/repos/index.js';
import { erasureDueOn, retentionOf } from '../../shared/domain/privacy.js';
import { dayIn, dayOfIso } from '../../shared/domain/casework/today.js';

export interface DueCase {
  id: number;
  lenderCode: string;
  caseNo: string;
  status: string;
  endedOn: string;
  dueOn: string;
}

export function dueCasesAt(repos: Repos, lenderId: number | null, now: Date): DueCase[] {
  const today = dayIn(now);
  const out: DueCase[] = [];
  for (const c of repos.privacy.finished(lenderId)) {
    const endedOn = dayOfIso(c.ended_at);
    const dueOn = erasureDueOn(c.status, endedOn, retentionOf(c.retention));
    if (dueOn !== null && dueOn <= today) out.push({ id: c.id, lenderCode: c.lender_code, caseNo: c.case_no, status: c.status, endedOn, dueOn });
  }
  return out;
}
