// Every contract method's implementation. Typed as Handlers: a method missing here fails the type check.
import type { Handlers } from './context.js';
import { systemHandlers } from './services/system.js';
import { authHandlers } from './services/auth.js';
import { userHandlers } from './services/users.js';
import { auditHandlers } from './services/audit.js';
import { lenderHandlers } from './services/lenders.js';
import { caseHandlers } from './services/cases.js';
import { importHandlers } from './services/import.js';
import { staffHandlers } from './services/staff.js';
import { assignmentHandlers } from './services/assignment.js';
import { queueHandlers } from './services/queue.js';
import { caseworkHandlers } from './services/casework.js';
import { templateHandlers } from './services/templates.js';
import { caseFileHandlers } from './services/case-files.js';
import { moneyHandlers } from './services/money.js';
import { paymentHandlers } from './services/payments.js';
import { planHandlers } from './services/plans.js';
import { reportHandlers } from './services/reports.js';
import { recallHandlers } from './services/recalls.js';
import { asUserCtx, scheduleHandlers } from './services/report-schedules.js';
import { legalHandlers } from './services/legal.js';
import { dashboardHandlers } from './services/dashboard.js';
import { repaymentHandlers } from './services/repayments.js';
import { commissionHandlers } from './services/commission.js';
import { planLetterHandlers } from './services/plan-letter.js';
import { sessionHandlers } from './services/sessions.js';
import { backupHandlers } from './services/backup.js';
import { keysHandlers } from './services/keys.js';
import { complaintHandlers } from './services/complaints.js';
import { homeHandlers } from './services/home.js';
import { privacyHandlers } from './services/privacy.js';
import { prefsHandlers } from './services/prefs.js';
import { serveHandlers } from './services/serve.js';

export const handlers: Handlers = {
  ...systemHandlers,
  ...authHandlers,
  ...userHandlers,
  ...auditHandlers,
  ...lenderHandlers,
  ...caseHandlers,
  ...importHandlers,
  ...staffHandlers,
  ...assignmentHandlers,
  ...queueHandlers,
  ...caseworkHandlers,
  ...templateHandlers,
  ...caseFileHandlers,
  ...moneyHandlers,
  ...paymentHandlers,
  ...planHandlers,
  ...reportHandlers,
  ...recallHandlers,
  ...scheduleHandlers(asUserCtx),
  ...legalHandlers,
  ...dashboardHandlers,
  ...repaymentHandlers,
  ...commissionHandlers,
  ...planLetterHandlers,
  ...sessionHandlers,
  ...backupHandlers,
  ...keysHandlers,
  ...complaintHandlers,
  ...homeHandlers,
  ...privacyHandlers,
  ...prefsHandlers,
  ...serveHandlers,
};
