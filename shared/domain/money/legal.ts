// Legal referral (法律诉讼): where a referred case stands at the law firm, and what each recorded event
// means for that standing. Pure: core records, the UI shows the same rules.

/** A referral's standing, in the order a suit usually runs. `closed` is final. */
export const LEGAL_STATUSES = ['referred', 'filed', 'hearing_scheduled', 'judgment', 'enforcement', 'closed'] as const;
export type LegalStatus = (typeof LEGAL_STATUSES)[number];

/** What can happen in a referral (legal_events, append-only). */
export const LEGAL_EVENT_KINDS = ['filing', 'hearing', 'judgment', 'enforcement', 'cost', 'note'] as const;
export type LegalEventKind = (typeof LEGAL_EVENT_KINDS)[number];

/** The standing an event shows the suit has reached (notes and costs say nothing about it). */
const REACHES: Partial<Record<LegalEventKind, LegalStatus>> = { filing: 'filed', hearing: 'hearing_scheduled', judgment: 'judgment', enforcement: 'enforcement' };

const rank = (s: string) => (LEGAL_STATUSES as readonly string[]).indexOf(s);

/**
 * The status after recording `kind`: an event moves the status forward to the stage it shows, never
 * back (a hearing recorded after the judgment, e.g. on appeal, leaves "judgment" as it is; a manager
 * sets the status by hand when the suit really goes back).
 */
export function statusAfterEvent(status: string, kind: LegalEventKind): string {
  const reached = REACHES[kind];
  if (!reached || status === 'closed') return status;
  return rank(reached) > rank(status) ? reached : status;
}

/** Whether a referral's next date has passed without being brought up to date (closed ones never are). */
export function nextDateOverdue(r: { status: string; nextDate: string | null }, today: string): boolean {
  return r.status !== 'closed' && r.nextDate !== null && r.nextDate < today;
}

/** Events that may be dated ahead: a hearing is scheduled for a day to come; the rest have happened. */
export const FUTURE_DATED: readonly LegalEventKind[] = ['hearing'];
