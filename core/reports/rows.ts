// The rows of each report, read from the store in case order: one pass merges the cases with their payments
// and contact log (each cursor read once, in the same order) and gives the status report, the contact log
// and the repayments together, so a million cases never sit in memory; plans and legal referrals are few
// and read whole.
import { maskIdNumber, maskMobile, maskName, maskPhone } from '../../shared/domain/placement/masking.js';
import { promiseState } from '../../shared/domain/money/plans.js';
import { dayOfIso } from '../../shared/domain/casework/today.js';
import { caseAging, type Aging } from '../../shared/domain/placement/aging.js';
import { isFinal } from '../../shared/domain/casework/stages.js';
import type { ReportKind } from '../../shared/domain/reports/columns.js';
import type { Cell } from '../../shared/domain/reports/cells.js';
import type { PlanRow } from '../../db/repos/money.js';
import { attemptRow, caseRow, paymentRow, RAW, type ReportAttemptRow, type ReportCaseRow, type ReportPaymentRow, type RowContext, type Scope } from '../../db/repos/reports.js';
import type { Repos } from '../../db/repos/index.js';
import { placedFenOf } from '../../shared/domain/money/placed.js';
import { balanceFrom, standing, waiverOf } from '../money/ledger.js';

export interface Period {
  /** Inclusive days; `from` null: since the beginning. */
  from: string | null;
  to: string;
}

export type Row = Record<string, Cell>;

const inPeriod = (day: string, p: Period) => (p.from === null || day >= p.from) && day <= p.to;
/** A contact log entry (by its start) the period's contact log holds. */
export const startedInPeriod = (startedAt: string, p: Period) => inPeriod(dayOfIso(startedAt), p);
/** A payment (by its day) the period's repayments hold. */
export const paidInPeriod = (paidOn: string, p: Period) => inPeriod(paidOn, p);

function groupAll<T extends { case_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const list = m.get(r.case_id);
    if (list) list.push(r);
    else m.set(r.case_id, [r]);
  }
  return m;
}

export interface StatusTotals {
  cases: number;
  placedFen: number;
  paidInPeriodFen: number;
  paidTotalFen: number;
  outstandingFen: number;
  settled: number;
  inProgress: number;
}

export type KindRow = readonly [ReportKind, Row];

/** One case in scope with everything its rows are made of. */
export interface CaseBundle {
  c: ReportCaseRow;
  payments: ReportPaymentRow[];
  attempts: ReportAttemptRow[];
  plans: PlanRow[];
  legal: string | null;
}

/** Consecutive cases in scope with their payments and contact log (in case order), plans and legal status. */
export interface RawChunk {
  /** The cases' raw rows (see caseRow) as JSON text: parsed by the thread that formats the chunk. */
  cases: string;
  /** Their payments' raw rows (see paymentRow), as JSON text. */
  payments: string;
  /** Their contact log's raw rows (see attemptRow), as JSON text. */
  attempts: string;
  plans: PlanRow[];
  legal: [number, string][];
  /** How many rows each report gets from the chunk (the XLSX writer numbers rows before it is formatted). */
  rows: { status: number; contacts: number; repayments: number };
}

/** The cases in scope in chunks of `size`, in case order, each with what the period's reports count of it. */
export function* rawChunks(r: Repos, scope: Scope, size: number, period: Period): Generator<RawChunk> {
  const plans = groupAll(r.reports.plans(scope));
  const legal = new Map(r.reports.legal(scope).map((l) => [l.case_id, l.status]));
  for (const { rows, ids } of r.reports.caseChunks(scope, size)) {
    const payments = r.reports.chunkPayments(ids);
    const attempts = r.reports.chunkAttempts(ids);
    const chunk: RawChunk = { cases: rows, payments: payments.rows, attempts: attempts.rows, plans: [], legal: [], rows: { status: ids.count, contacts: 0, repayments: 0 } };
    for (const day of payments.keys) if (paidInPeriod(day, period)) chunk.rows.repayments++;
    for (const at of attempts.keys) if (startedInPeriod(at, period)) chunk.rows.contacts++;
    if (plans.size > 0 || legal.size > 0) {
      for (const id of JSON.parse(ids.ids) as number[]) {
        const p = plans.get(id);
        if (p) chunk.plans.push(...p);
        const l = legal.get(id);
        if (l !== undefined) chunk.legal.push([id, l]);
      }
    }
    yield chunk;
  }
}

/**
 * Payments and contact entries come in (case id, day or start, id) order, as their case index holds them
 * (see chunkPayments): merging them into the cases and the status report's "last contact" depend on it,
 * so it is checked, not assumed.
 */
function inEntryOrder(rows: unknown[][]): unknown[][] {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    const byCase = (a[RAW.ofCase] as number) - (b[RAW.ofCase] as number);
    const at = a[RAW.at] as string;
    const bt = b[RAW.at] as string;
    const order = byCase !== 0 ? byCase : at !== bt ? (at < bt ? -1 : 1) : (a[RAW.id] as number) - (b[RAW.id] as number);
    if (order >= 0) throw new Error('internal: payments or contact entries came out of order');
  }
  return rows;
}

/** A raw chunk as one bundle per case. */
export function bundlesOf(chunk: RawChunk, ctx: RowContext): CaseBundle[] {
  const plans = groupAll(chunk.plans);
  const legal = new Map(chunk.legal);
  const allPayments = inEntryOrder(JSON.parse(chunk.payments) as unknown[][]);
  const allAttempts = inEntryOrder(JSON.parse(chunk.attempts) as unknown[][]);
  let p = 0;
  let a = 0;
  return (JSON.parse(chunk.cases) as unknown[][]).map((raw) => {
    const c = caseRow(raw, ctx);
    const payments: ReportPaymentRow[] = [];
    while (p < allPayments.length && allPayments[p]![RAW.ofCase] === c.id) payments.push(paymentRow(allPayments[p++]!, ctx));
    const attempts: ReportAttemptRow[] = [];
    while (a < allAttempts.length && allAttempts[a]![RAW.ofCase] === c.id) attempts.push(attemptRow(allAttempts[a++]!, ctx));
    return { c, payments, attempts, plans: plans.get(c.id) ?? [], legal: legal.get(c.id) ?? null };
  });
}

/**
 * A case's rows: its contact log (催记) and repayments (回款) in the period, then its status report row
 * (which adds to the batch totals). `asOf` is the day "today" means (the export's day in the lender's zone).
 */
export function* bundleRows(b: CaseBundle, period: Period, piiFull: boolean, totals: StatusTotals, asOf: string): Generator<KindRow> {
  const { c, payments, attempts } = b;
  for (const a of attempts) if (startedInPeriod(a.started_at, period)) yield ['contacts', contactRow(a, c.case_no, piiFull)];
  for (const p of payments) if (paidInPeriod(p.paid_on, period)) yield ['repayments', repaymentRow(p, c.case_no)];
  const own = attempts.filter((a) => !a.corrected && dayOfIso(a.started_at) <= period.to);
  yield ['status', statusRow(c, payments, own, b.plans, b.legal, period, piiFull, totals, asOf)];
}

export const emptyTotals = (): StatusTotals => ({ cases: 0, placedFen: 0, paidInPeriodFen: 0, paidTotalFen: 0, outstandingFen: 0, settled: 0, inProgress: 0 });

export function addTotals(into: StatusTotals, t: StatusTotals): void {
  for (const k of Object.keys(into) as (keyof StatusTotals)[]) into[k] += t[k];
}

/**
 * Days overdue and bucket today by the rule every screen uses (placement/aging.ts: a closed case counted to
 * the day it left). Few distinct inputs (counts × placement days), so kept, not recomputed a million times.
 */
function agingOf(c: ReportCaseRow, asOf: string): Aging {
  const endedOn = isFinal(c.stage) && c.ended_at ? dayOfIso(c.ended_at) : null;
  const facts = { daysAtPlacement: c.days_overdue, placementDate: c.placed_on, stage: c.stage, endedOn };
  if (endedOn !== null) return caseAging(facts, asOf); // closed cases: few
  if (agingsAsOf !== asOf || agings.size >= 1_000) (agings = new Map()), (agingsAsOf = asOf);
  let byCount = agings.get(c.placed_on);
  if (!byCount) agings.set(c.placed_on, (byCount = new Map()));
  let a = byCount.get(c.days_overdue);
  if (!a) byCount.set(c.days_overdue, (a = caseAging(facts, asOf)));
  return a;
}
/** Open cases' aging as of `agingsAsOf`, by placement day, then by days overdue at placement. */
let agings = new Map<string, Map<number | null, Aging>>();
let agingsAsOf = '';

function statusRow(c: ReportCaseRow, payments: ReportPaymentRow[], attempts: ReportAttemptRow[], plans: PlanRow[], legal: string | null, period: Period, piiFull: boolean, totals: StatusTotals, asOf: string): Row {
  const stand = standing(payments).filter((p) => p.paid_on <= period.to);
  const paidInPeriod = stand.reduce((s, p) => (inPeriod(p.paid_on, period) ? s + p.amount_fen : s), 0);
  const paidTotal = stand.reduce((s, p) => s + p.amount_fen, 0);
  const b = period.to >= c.placed_on ? balanceFrom(c, payments, plans, period.to) : null;
  const last = attempts.at(-1) ?? null;
  const promise = [...attempts].reverse().find((a) => a.promise_amount_fen !== null) ?? null;
  const promiseJudged = promise
    ? promiseState({ madeOn: dayOfIso(promise.started_at), date: promise.promise_date!, amountFen: promise.promise_amount_fen! }, stand.map((p) => ({ date: p.paid_on, fen: p.amount_fen })), period.to).state
    : null;
  const placed = placedFenOf(c);
  totals.cases++;
  totals.placedFen += placed;
  totals.paidInPeriodFen += paidInPeriod;
  totals.paidTotalFen += paidTotal;
  totals.outstandingFen += b?.outstanding ?? 0;
  if (c.stage === 'settled') totals.settled++;
  else if (c.status === 'open') totals.inProgress++;
  const waived = b ? b.waived.fees + b.waived.penalty + b.waived.interest + b.waived.principal : 0;
  const aging = agingOf(c, asOf);
  return {
    caseNo: c.case_no,
    batchNo: c.batch_no,
    borrowerName: piiFull ? c.borrower_name : maskName(c.borrower_name),
    idNumber: piiFull ? c.id_number : maskIdNumber(c.id_number),
    mobile: piiFull ? c.mobile : maskMobile(c.mobile),
    bucket: c.bucket,
    bucketToday: aging.bucket,
    daysOverdueAtPlacement: c.days_overdue,
    daysOverdueToday: aging.daysOverdue,
    placedFen: placed,
    stage: c.stage,
    status: c.status,
    lastContactAt: last?.started_at ?? null,
    lastOutcome: last?.outcome ?? null,
    promiseFen: promise?.promise_amount_fen ?? null,
    promiseDate: promise?.promise_date ?? null,
    promiseState: promiseJudged,
    planStatus: plans.at(-1)?.status ?? null,
    paidInPeriodFen: paidInPeriod,
    paidTotalFen: paidTotal,
    principalFen: b?.owed.principal ?? null,
    interestFen: b?.owed.interest ?? null,
    penaltyFen: b?.owed.penalty ?? null,
    feesFen: b?.owed.fees ?? null,
    waivedFen: b ? waived : null,
    outstandingFen: b?.outstanding ?? null,
    legalStatus: legal,
    collectorCode: c.collector,
  };
}

/** A contact log (催记) entry: every entry in the period, corrections included (they name what they correct). */
function contactRow(a: ReportAttemptRow, caseNo: string, piiFull: boolean): Row {
  return {
    caseNo,
    startedAt: a.started_at,
    channel: a.channel,
    party: a.party,
    relation: a.relation,
    number: piiFull ? a.number : a.number === null ? null : maskPhone(a.number),
    direction: a.direction,
    durationSec: a.duration_sec,
    outcome: a.outcome,
    note: a.note,
    promiseFen: a.promise_amount_fen,
    promiseDate: a.promise_date,
    collectorCode: a.collector,
    nextFollowUpAt: a.next_follow_up_at,
    correctsId: a.corrects_id,
    entryId: a.id,
  };
}

/** A repayment (回款) in the period; reversals are negative entries that name what they reverse. */
const repaymentRow = (p: ReportPaymentRow, caseNo: string): Row => ({
  caseNo,
  paidOn: p.paid_on,
  amountFen: p.amount_fen,
  channel: p.channel,
  payer: p.payer,
  reference: p.reference,
  source: p.source,
  reversesId: p.reverses_id,
  entryId: p.id,
});

/** Waivers (减免) granted in the period: approved plans that waive something, with how they were approved. */
export function* waiverRows(r: Repos, scope: Scope, period: Period): Generator<Row> {
  for (const p of r.reports.plans(scope)) {
    if (p.waiver_fen <= 0 || !p.decided_at || !['active', 'completed', 'broken'].includes(p.status)) continue;
    const day = dayOfIso(p.decided_at);
    if (!inPeriod(day, period)) continue;
    const w = waiverOf(p);
    const lender = p.lender_approval ? (JSON.parse(p.lender_approval) as { by: string; reference: string; date: string }) : null;
    yield {
      caseNo: p.case_no,
      planId: p.id,
      kind: p.kind,
      approvedOn: day,
      approvedBy: p.decided_by_name,
      lenderApproval: lender ? `${lender.by} ${lender.reference} ${lender.date}` : null,
      interestFen: w.interest,
      penaltyFen: w.penalty,
      feesFen: w.fees,
      totalFen: p.waiver_fen,
      // A broken plan's waiver is void (see core/money/ledger.ts).
      planStatus: p.status,
    };
  }
}

/** Cases returned to the lender (退案) in the period: the return report. Payments net of reversals. */
export function* returnRows(r: Repos, scope: Scope, period: Period): Generator<Row> {
  for (const x of r.reports.returns(scope)) {
    const day = dayOfIso(x.recalled_at);
    if (!inPeriod(day, period)) continue;
    yield { caseNo: x.case_no, recalledOn: day, recallId: x.recall_id, source: x.source, reason: x.reason, stageBefore: x.stage_before, paidTotalFen: x.paid_fen };
  }
}
