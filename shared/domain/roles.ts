// Roles and what each may do. Core enforces these on every call; the UI only uses them to hide.
export const ROLES = ['admin', 'manager', 'collector', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'users.read',
  'users.manage',
  'audit.read',
  'system.check',
  'settings.manage',
  'lenders.read',
  'lenders.manage',
  'import.run',
  /** Read cases: collectors see only their own (enforced in core). */
  'cases.read',
  /** Distribute cases (分案): rules, manual moves, collector profiles, automatic rules. */
  'assign.manage',
  /** Work a case: log contacts, move its stage (collectors: only their own cases). */
  'cases.work',
  /** Grant a recorded exception to a compliance guardrail. */
  'compliance.override',
  /** The compliance report: refusals, overrides and near-limits per collector. */
  'compliance.report',
  /** Post and reverse payments (回款). */
  'payments.post',
  /** Approve negotiated plans and waivers within the lender's limits; set a case's own terms. */
  'plans.approve',
  /** Refer cases to a law firm and keep their referrals up to date (法律诉讼). */
  'legal.manage',
  /** The managers' dashboard: recovery, promises kept, right-party contact, roll rates, stages. */
  'dashboard.read',
  /** Produce signed report packages for lenders. */
  'reports.export',
  /** Lender-wide money reports: repayment files, reconciliation, commission statements (no collector: they span every case). */
  'money.report',
  /** The access report: views by non-holders and unmasking, by user (PIPL audit trail). */
  'privacy.report',
  /** Erase finished cases' personal data and sign the erasure certificate. */
  'privacy.erase',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  manager: ['users.read', 'lenders.read', 'lenders.manage', 'import.run', 'cases.read', 'assign.manage', 'cases.work', 'compliance.override', 'compliance.report', 'payments.post', 'plans.approve', 'legal.manage', 'dashboard.read', 'reports.export', 'money.report', 'privacy.report', 'privacy.erase'],
  collector: ['cases.read', 'cases.work'],
  auditor: ['users.read', 'audit.read', 'system.check', 'lenders.read', 'cases.read', 'compliance.report', 'dashboard.read', 'money.report', 'privacy.report'],
};

export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]];
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
