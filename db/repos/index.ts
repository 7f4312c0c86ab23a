import type { Db } from '../open.js';
import { auditRepo } from './audit.js';
import { metaRepo } from './meta.js';
import { teamsRepo, usersRepo } from './users.js';
import { lendersRepo } from './lenders.js';
import { batchesRepo } from './batches.js';
import { staffRepo } from './staff.js';
import { assignmentRepo } from './assignment.js';
import { queueRepo } from './queue.js';
import { caseFactsRepo } from './case-facts.js';
import { caseworkRepo } from './casework.js';
import { moneyRepo } from './money.js';
import { legalRepo } from './legal.js';
import { dashboardRepo } from './dashboard.js';
import { reportsRepo } from './reports.js';
import { recallsRepo } from './recalls.js';
import { reportSchedulesRepo } from './report-schedules.js';
import { repaymentsRepo } from './repayments.js';
import { liveRepo } from './live.js';
import { complaintsRepo } from './complaints.js';
import { homeRepo } from './home.js';
import { privacyRepo } from './privacy.js';
import { prefsRepo } from './prefs.js';

/** Every repository over one open store; core reaches SQL only through these. */
export function repos(db: Db) {
  return {
    db,
    meta: metaRepo(db),
    users: usersRepo(db),
    teams: teamsRepo(db),
    audit: auditRepo(db),
    lenders: lendersRepo(db),
    batches: batchesRepo(db),
    staff: staffRepo(db),
    assignment: assignmentRepo(db),
    queue: queueRepo(db),
    caseFacts: caseFactsRepo(db),
    casework: caseworkRepo(db),
    money: moneyRepo(db),
    legal: legalRepo(db),
    dashboard: dashboardRepo(db),
    reports: reportsRepo(db),
    recalls: recallsRepo(db),
    reportSchedules: reportSchedulesRepo(db),
    repayments: repaymentsRepo(db),
    live: liveRepo(db),
    complaints: complaintsRepo(db),
    home: homeRepo(db),
    privacy: privacyRepo(db),
    prefs: prefsRepo(db),
  };
}
export type Repos = ReturnType<typeof repos>;
