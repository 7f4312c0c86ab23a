// Complaints (投诉) and case flags: the vocabulary and the pure rules (when an answer is due, when it is
// overdue, which flags keep a case out of the outbound queue). Core stores; the UI asks the same functions.

export const COMPLAINT_CHANNELS = ['phone', 'letter', 'regulator', 'lender', 'in_person', 'online'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

export const COMPLAINT_FROM = ['borrower', 'contact', 'lender', 'regulator', 'other'] as const;
export type ComplaintFrom = (typeof COMPLAINT_FROM)[number];

export const COMPLAINT_STATUSES = ['open', 'answered', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const CASE_FLAGS = ['lost_contact', 'complaint', 'high_risk', 'deceased'] as const;
export type CaseFlag = (typeof CASE_FLAGS)[number];
/** Set and cleared only by the complaint process, never by hand. */
export const AUTOMATIC_FLAGS: readonly CaseFlag[] = ['complaint'];

/**
 * Days the agency gives itself to answer (setting). The lender, as a regulated institution, must decide
 * within 15 days of receipt (银行保险机构消费投诉处理管理办法, 2020, art. 22; 30 for complex cases): the
 * agency's 7 leaves the lender time to review the answer before its own deadline.
 */
export const ANSWER_DAYS_SETTING = 'complaintAnswerDays';
export const DEFAULT_ANSWER_DAYS = 7;

/** When the answer is due: received + days (calendar days, same time of day). */
export function answerDueAt(receivedAt: string, days: number): string {
  return new Date(Date.parse(receivedAt) + days * 86_400_000).toISOString();
}

/** Overdue: still unanswered when its due time has passed. */
export function complaintOverdue(c: { status: ComplaintStatus; dueAt: string }, now: Date): boolean {
  return c.status === 'open' && Date.parse(c.dueAt) < now.getTime();
}

/** A complaint holds outbound contact until a manager closes it (answered is not yet cleared). */
export const holdsOutbound = (status: ComplaintStatus): boolean => status !== 'closed';
