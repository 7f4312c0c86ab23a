// The managers' dashboard from summary tables (issue 18: dashboard.get < 1 s at 1M cases), kept by the
// store itself (triggers, like assignment_moves): every write that changes a figure — an import's rows,
// a stage move, a reassignment, a contact attempt or its correction — updates them in its own
// transaction, whatever code path made it. The backfill below fills them for an existing store.
//
// - dashboard_stock: cases now, per batch × holder (0: the pool) × bucket at placement × stage × own
//   placement day ('' : the batch's), with their placed amount. The recovery figures' "cases" and "placed".
// - dashboard_aging: cases that can be in a roll cohort (not settled, days overdue known), per batch × own
//   placement day × days overdue at placement × the agency day they left collection ('' : still ageing —
//   the one aging rule, shared/domain/placement/aging.ts). Settled cases join a cohort only through a
//   payment, and the query finds those among the period's payments.
// - dashboard_contact: current (uncorrected) calls and field visits to the borrower per agency day ×
//   lender × collector × outcome; which outcomes are "connected" is decided when reading (a setting).
// Counts that fall to 0 stay as rows (readers skip them). Payments need no table: a period's payments
// are read from payments_day_case_amount and each paying case is looked up (a share of the portfolio).
import { FINAL_STAGES } from '../../shared/domain/casework/stages.js';
import { zoneDayModifier } from '../../shared/domain/casework/today.js';

/** The agency's day of a stored instant, in SQL (the shared zone helper, fixed when the migration runs). */
export const DAY_MOD = zoneDayModifier();
const FINAL = FINAL_STAGES.map((s) => `'${s}'`).join(', ');

/** The day a finished case left collection ('' while it ages), over a case's status, stage and id (ENDED_AT + caseAging). */
export const endedSql = (status: string, stage: string, id: string, except = '') =>
  `CASE WHEN ${status} <> 'open' AND ${stage} IN (${FINAL}) THEN coalesce((SELECT date(max(h.at), '${DAY_MOD}') FROM case_history h WHERE h.case_id = ${id} AND h.kind = 'stage'${except}), '') ELSE '' END`;

const holder = (id: string) => `coalesce((SELECT collector_id FROM case_assignments WHERE case_id = ${id}), 0)`;

// The case read from the table inside a trigger on another table (`c`), rather than NEW/OLD of cases.
const CASE_OF_NEW = 'FROM cases c WHERE c.id = NEW.case_id AND';

/** +1 / −1 of a case (NEW/OLD, or `c` with CASE_OF_NEW) in dashboard_stock, its holder given. */
const stock = (c: string, sign: 1 | -1, collector: string, from = 'WHERE') => `
  INSERT INTO dashboard_stock (batch_id, collector_id, bucket, stage, placed_on, cases, placed_fen)
  SELECT ${c}.batch_id, ${collector}, coalesce(${c}.bucket, ''), ${c}.stage, coalesce(${c}.placed_on, ''), ${sign}, ${sign} * coalesce(${c}.placement_amount_fen, ${c}.overdue_amount_fen)
  ${from} true
  ON CONFLICT DO UPDATE SET cases = cases + excluded.cases, placed_fen = placed_fen + excluded.placed_fen;`;

/** +1 / −1 of a case in dashboard_aging when it can be in a roll cohort, its end day given. */
const aging = (c: string, sign: 1 | -1, ended: string, from = 'WHERE') => `
  INSERT INTO dashboard_aging (batch_id, placed_on, days_at_placement, ended_on, cases)
  SELECT ${c}.batch_id, coalesce(${c}.placed_on, ''), ${c}.days_overdue, ${ended}, ${sign}
  ${from} ${c}.status <> 'settled' AND ${c}.days_overdue IS NOT NULL
  ON CONFLICT DO UPDATE SET cases = cases + excluded.cases;`;

/** A case's row in dashboard_payers (cases that ever had a payment), from a case alias and its holder. */
const payerCols = 'case_id, batch_id, collector_id, bucket, stage, status, placed_on, days_at_placement, ended_on';
const payerVals = (c: string, collector: string, ended: string) =>
  `${c}.id, ${c}.batch_id, ${collector}, coalesce(${c}.bucket, ''), ${c}.stage, ${c}.status, coalesce(${c}.placed_on, ''), ${c}.days_overdue, ${ended}`;

// A promise's dates (alias a): the n-th of a recurring one falls n-1 periods after the first, on the same day
// of the month or the month's last day (promises.list's rule); each is kept by what was paid from the day
// after the one before (the first: from the day it was made).
const dueOf = (a: string, n: string) =>
  `CASE WHEN ${n} = 1 THEN ${a}.promise_date ELSE min(date(${a}.promise_date, 'start of month', '+' || ((${n} - 1) * coalesce(${a}.promise_every_months, 1)) || ' months', '+' || (CAST(strftime('%d', ${a}.promise_date) AS INTEGER) - 1) || ' days'),
     date(${a}.promise_date, 'start of month', '+' || ((${n} - 1) * coalesce(${a}.promise_every_months, 1) + 1) || ' months', '-1 day')) END`;
const madeOf = (a: string, n: string) => `CASE WHEN ${n} = 1 THEN date(${a}.started_at, '${DAY_MOD}') ELSE date(${dueOf(a, `${n} - 1`)}, '+1 day') END`;
const N = `json_each('[${Array.from({ length: 36 }, (_, i) => i + 1).join(',')}]')`;
/** The occurrences of the promise in attempt `a` (over `cases c` and `n` from N), with what was paid towards each so far. */
const promiseRows = (a: string) => `
  SELECT ${a}.id, o.value, ${a}.case_id, c.lender_id, ${a}.collector_id, ${a}.promise_amount_fen, ${madeOf(a, 'o.value')}, ${dueOf(a, 'o.value')},
         (SELECT coalesce(sum(p.amount_fen), 0) FROM payments p WHERE p.case_id = ${a}.case_id AND p.paid_on BETWEEN ${madeOf(a, 'o.value')} AND ${dueOf(a, 'o.value')})
  FROM cases c, ${N} o
  WHERE c.id = ${a}.case_id AND (${a}.promise_count IS NOT NULL OR ${a}.promise_amount_fen IS NOT NULL) AND o.value <= coalesce(${a}.promise_count, 1)`;
const promiseCols = 'attempt_id, n, case_id, lender_id, collector_id, amount_fen, made_on, due_on, paid_fen';

/** A right-party contact attempt (alias a / NEW): a call or field visit to the borrower. */
const contacted = (a: string) => `${a}.party = 'borrower' AND ${a}.channel IN ('phone', 'field_visit')`;

const TABLES = `
CREATE TABLE dashboard_stock (
  batch_id INTEGER NOT NULL,
  collector_id INTEGER NOT NULL,
  bucket TEXT NOT NULL,
  stage TEXT NOT NULL,
  placed_on TEXT NOT NULL,
  cases INTEGER NOT NULL,
  placed_fen INTEGER NOT NULL,
  PRIMARY KEY (batch_id, collector_id, bucket, stage, placed_on)
) STRICT, WITHOUT ROWID;
CREATE TABLE dashboard_aging (
  batch_id INTEGER NOT NULL,
  placed_on TEXT NOT NULL,
  days_at_placement INTEGER NOT NULL,
  ended_on TEXT NOT NULL,
  cases INTEGER NOT NULL,
  PRIMARY KEY (batch_id, placed_on, days_at_placement, ended_on)
) STRICT, WITHOUT ROWID;
-- Cases that ever had a payment, with what the period's payments are grouped by: the few columns of the
-- wide case row a dashboard reads for each paying case (at 1M cases, looking the case rows up cost seconds).
CREATE TABLE dashboard_payers (
  case_id INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL,
  collector_id INTEGER NOT NULL,
  bucket TEXT NOT NULL,
  stage TEXT NOT NULL,
  status TEXT NOT NULL,
  placed_on TEXT NOT NULL,
  days_at_placement INTEGER,
  ended_on TEXT NOT NULL
) STRICT;
-- Every date of every current promise (a recurring one has one row per date), with what has been paid
-- towards it: a payment adds to the dates whose window holds its day. Kept, broken or pending is decided
-- when reading (it depends on today).
CREATE TABLE dashboard_promises (
  attempt_id INTEGER NOT NULL,
  n INTEGER NOT NULL,
  case_id INTEGER NOT NULL,
  lender_id INTEGER NOT NULL,
  collector_id INTEGER NOT NULL,
  amount_fen INTEGER,
  made_on TEXT NOT NULL,
  due_on TEXT NOT NULL,
  paid_fen INTEGER NOT NULL,
  PRIMARY KEY (attempt_id, n)
) STRICT;
CREATE INDEX dashboard_promises_case ON dashboard_promises(case_id, due_on);
CREATE INDEX dashboard_promises_due ON dashboard_promises(due_on, lender_id, collector_id, amount_fen, paid_fen);
-- A batch being imported: its new rows are added up by the import and put in before COMMIT
-- (db/repos/dashboard-import.ts), not one trigger run per row. Only ever non-empty inside an import's transaction.
CREATE TABLE dashboard_defer (batch_id INTEGER PRIMARY KEY) STRICT;
CREATE TABLE dashboard_contact (
  day TEXT NOT NULL,
  lender_id INTEGER NOT NULL,
  collector_id INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  PRIMARY KEY (day, lender_id, collector_id, outcome)
) STRICT, WITHOUT ROWID;
`;

/** What the triggers would have written had they always been there (also: rebuilds emptied tables). */
export const BACKFILL = `
INSERT INTO dashboard_stock
SELECT c.batch_id, coalesce(ca.collector_id, 0), coalesce(c.bucket, ''), c.stage, coalesce(c.placed_on, ''), count(*), sum(coalesce(c.placement_amount_fen, c.overdue_amount_fen))
FROM cases c LEFT JOIN case_assignments ca ON ca.case_id = c.id GROUP BY 1, 2, 3, 4, 5;
INSERT INTO dashboard_aging
SELECT c.batch_id, coalesce(c.placed_on, ''), c.days_overdue, ${endedSql('c.status', 'c.stage', 'c.id')}, count(*)
FROM cases c WHERE c.status <> 'settled' AND c.days_overdue IS NOT NULL GROUP BY 1, 2, 3, 4;
INSERT INTO dashboard_contact
SELECT date(a.started_at, '${DAY_MOD}'), c.lender_id, a.collector_id, a.outcome, count(*)
FROM contact_attempts a JOIN cases c ON c.id = a.case_id
WHERE ${contacted('a')} AND NOT EXISTS (SELECT 1 FROM contact_attempts x WHERE x.corrects_id = a.id)
GROUP BY 1, 2, 3, 4;
INSERT INTO dashboard_payers (${payerCols})
SELECT ${payerVals('c', 'coalesce(ca.collector_id, 0)', endedSql('c.status', 'c.stage', 'c.id'))}
FROM cases c LEFT JOIN case_assignments ca ON ca.case_id = c.id WHERE c.id IN (SELECT case_id FROM payments);
INSERT INTO dashboard_promises (${promiseCols})
${promiseRows('a').replace('FROM cases c,', 'FROM contact_attempts a, cases c,')} AND NOT EXISTS (SELECT 1 FROM contact_attempts x WHERE x.corrects_id = a.id);
`;

/** What a deleted case takes out of the summary tables (migration 026 puts it behind a WHEN). */
export const CASES_DELETE_BODY = `
  ${stock('OLD', -1, holder('OLD.id'))}
  ${aging('OLD', -1, endedSql('OLD.status', 'OLD.stage', 'OLD.id'))}
  DELETE FROM dashboard_payers WHERE case_id = OLD.id;
`;

const TRIGGERS = `
CREATE TRIGGER dashboard_cases_insert AFTER INSERT ON cases WHEN NOT EXISTS (SELECT 1 FROM dashboard_defer WHERE batch_id = NEW.batch_id) BEGIN
  ${stock('NEW', 1, holder('NEW.id'))}
  ${aging('NEW', 1, endedSql('NEW.status', 'NEW.stage', 'NEW.id'))}
END;
CREATE TRIGGER dashboard_cases_update AFTER UPDATE OF batch_id, bucket, stage, status, placed_on, days_overdue, placement_amount_fen, overdue_amount_fen ON cases
WHEN OLD.batch_id IS NOT NEW.batch_id OR OLD.bucket IS NOT NEW.bucket OR OLD.stage IS NOT NEW.stage OR OLD.status IS NOT NEW.status
  OR OLD.placed_on IS NOT NEW.placed_on OR OLD.days_overdue IS NOT NEW.days_overdue
  OR OLD.placement_amount_fen IS NOT NEW.placement_amount_fen OR OLD.overdue_amount_fen IS NOT NEW.overdue_amount_fen
BEGIN
  ${stock('OLD', -1, holder('OLD.id'))}
  ${stock('NEW', 1, holder('NEW.id'))}
  ${aging('OLD', -1, endedSql('OLD.status', 'OLD.stage', 'OLD.id'))}
  ${aging('NEW', 1, endedSql('NEW.status', 'NEW.stage', 'NEW.id'))}
  UPDATE dashboard_payers SET (${payerCols}) = (SELECT ${payerVals('NEW', holder('NEW.id'), endedSql('NEW.status', 'NEW.stage', 'NEW.id'))}) WHERE case_id = NEW.id;
END;
CREATE TRIGGER dashboard_cases_delete AFTER DELETE ON cases BEGIN${CASES_DELETE_BODY}END;
CREATE TRIGGER dashboard_holder_insert AFTER INSERT ON case_assignments BEGIN
  ${stock('c', -1, '0', CASE_OF_NEW)}
  ${stock('c', 1, 'coalesce(NEW.collector_id, 0)', CASE_OF_NEW)}
  UPDATE dashboard_payers SET collector_id = coalesce(NEW.collector_id, 0) WHERE case_id = NEW.case_id;
END;
CREATE TRIGGER dashboard_holder_update AFTER UPDATE OF collector_id ON case_assignments WHEN OLD.collector_id IS NOT NEW.collector_id BEGIN
  ${stock('c', -1, 'coalesce(OLD.collector_id, 0)', CASE_OF_NEW)}
  ${stock('c', 1, 'coalesce(NEW.collector_id, 0)', CASE_OF_NEW)}
  UPDATE dashboard_payers SET collector_id = coalesce(NEW.collector_id, 0) WHERE case_id = NEW.case_id;
END;
-- A stage move's history row is the day a finished case stopped ageing.
CREATE TRIGGER dashboard_history_insert AFTER INSERT ON case_history WHEN NEW.kind = 'stage' BEGIN
  ${aging('c', -1, endedSql('c.status', 'c.stage', 'c.id', ' AND h.id <> NEW.id'), CASE_OF_NEW)}
  ${aging('c', 1, endedSql('c.status', 'c.stage', 'c.id'), CASE_OF_NEW)}
  UPDATE dashboard_payers SET ended_on = (SELECT ${endedSql('c.status', 'c.stage', 'c.id')} FROM cases c WHERE c.id = NEW.case_id) WHERE case_id = NEW.case_id;
END;
CREATE TRIGGER dashboard_payment_insert AFTER INSERT ON payments BEGIN
  INSERT OR IGNORE INTO dashboard_payers (${payerCols}) SELECT ${payerVals('c', holder('c.id'), endedSql('c.status', 'c.stage', 'c.id'))} FROM cases c WHERE c.id = NEW.case_id;
  UPDATE dashboard_promises SET paid_fen = paid_fen + NEW.amount_fen WHERE case_id = NEW.case_id AND made_on <= NEW.paid_on AND due_on >= NEW.paid_on;
END;
CREATE TRIGGER dashboard_attempt_insert AFTER INSERT ON contact_attempts BEGIN
  INSERT INTO dashboard_contact (day, lender_id, collector_id, outcome, attempts)
  SELECT date(NEW.started_at, '${DAY_MOD}'), c.lender_id, NEW.collector_id, NEW.outcome, 1 FROM cases c
  WHERE c.id = NEW.case_id AND ${contacted('NEW')}
  ON CONFLICT DO UPDATE SET attempts = attempts + 1;
  -- The entry it corrects no longer counts (an entry is corrected at most once: corrects_id is UNIQUE).
  UPDATE dashboard_contact SET attempts = attempts - 1
  WHERE (day, lender_id, collector_id, outcome) = (
    SELECT date(a.started_at, '${DAY_MOD}'), c.lender_id, a.collector_id, a.outcome FROM contact_attempts a JOIN cases c ON c.id = a.case_id
    WHERE a.id = NEW.corrects_id AND ${contacted('a')});
  DELETE FROM dashboard_promises WHERE attempt_id = NEW.corrects_id;
  INSERT INTO dashboard_promises (${promiseCols}) ${promiseRows('NEW')};
END;
`;

export const up = TABLES + BACKFILL + TRIGGERS;
