// The side navigation in groups (daily work / portfolio / money / reports / admin) and its badges.
// A section not listed here (one added later) falls into daily work rather than disappearing.
import type { HomeSummary } from '../../shared/contract/home.js';

export const NAV_GROUPS = ['daily', 'portfolio', 'money', 'reports', 'admin'] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

const GROUP_OF: Record<string, NavGroup> = {
  home: 'daily',
  today: 'daily',
  complaints: 'daily',
  legal: 'daily',
  cases: 'portfolio',
  assign: 'portfolio',
  staff: 'portfolio',
  import: 'portfolio',
  batches: 'portfolio',
  lenders: 'portfolio',
  plans: 'money',
  repayments: 'money',
  dashboard: 'reports',
  compliance: 'reports',
  reports: 'reports',
  users: 'admin',
  audit: 'admin',
  privacy: 'admin',
  system: 'admin',
  settings: 'admin',
  backup: 'admin',
};

export const groupOf = (sectionId: string): NavGroup => GROUP_OF[sectionId] ?? 'daily';

export interface NavBadge {
  kind: 'plans' | 'legal' | 'complaints';
  count: number;
  /** Red: something is overdue. */
  urgent: boolean;
}

/** Badges by section id from home.summary; a zero count shows none. */
export function navBadges(s: HomeSummary | null): Partial<Record<string, NavBadge>> {
  if (!s) return {};
  const out: Partial<Record<string, NavBadge>> = {};
  if (s.plansAwaiting > 0) out.plans = { kind: 'plans', count: s.plansAwaiting, urgent: false };
  if (s.legalDueThisWeek > 0) out.legal = { kind: 'legal', count: s.legalDueThisWeek, urgent: false };
  if (s.complaints && s.complaints.open > 0) out.complaints = { kind: 'complaints', count: s.complaints.open, urgent: s.complaints.overdue > 0 };
  return out;
}
