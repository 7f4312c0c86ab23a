// The one registry of API methods. Every host validates against it; core must implement every entry.
import type { z } from 'zod';
import { systemMethods } from './system.js';
import { authMethods } from './auth.js';
import { userMethods } from './users.js';
import { auditMethods } from './audit.js';
import { placementMethods } from './placements.js';
import { assignmentMethods } from './assignment.js';
import { caseworkMethods } from './casework.js';
import { moneyMethods } from './money.js';
import { reportMethods } from './reports.js';
import { recallMethods } from './recalls.js';
import { reportScheduleMethods } from './report-schedules.js';
import { legalMethods } from './legal.js';
import { dashboardMethods } from './dashboard.js';
import { repaymentMethods } from './repayments.js';
import { planLetterMethods } from './plan-letter.js';
import { sessionMethods } from './sessions.js';
import { backupMethods } from './backup.js';
import { keysMethods } from './keys.js';
import { homeMethods } from './home.js';
import { complaintMethods } from './complaints.js';
import { prefsMethods } from './prefs.js';
import { privacyMethods } from './privacy.js';
import { serveMethods } from './serve.js';
import type { MethodSpec } from './method.js';

export const contract = {
  ...systemMethods,
  ...authMethods,
  ...userMethods,
  ...auditMethods,
  ...placementMethods,
  ...assignmentMethods,
  ...caseworkMethods,
  ...moneyMethods,
  ...reportMethods,
  ...recallMethods,
  ...reportScheduleMethods,
  ...legalMethods,
  ...dashboardMethods,
  ...planLetterMethods,
  ...repaymentMethods,
  ...sessionMethods,
  ...backupMethods,
  ...keysMethods,
  ...homeMethods,
  ...complaintMethods,
  ...privacyMethods,
  ...prefsMethods,
  ...serveMethods,
} satisfies Record<string, MethodSpec<z.ZodType, z.ZodType>>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
/** What a caller sends (defaults not yet applied). */
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
/** What a handler receives (after parsing). */
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export const METHOD_NAMES = Object.keys(contract).sort() as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
