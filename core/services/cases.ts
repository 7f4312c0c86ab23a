// The case list and the case view (cases.get). Collectors reach only their own cases, whatever they ask
// for: the check lives in core, so no host can read another collector's case.
import { CASE_FLAGS, type CaseFlag } from '../../shared/domain/casework/complaints.js';
import type { Handler } from '../context.js';
import { recordView } from '../privacy/view-journal.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import { listCases, type CaseListRow, type CaseQuery } from '../../db/repos/cases.js';
import { maskIdNumber, maskMobile, maskPhone } from '../../shared/domain/placement/masking.js';
import { contactsFromJson } from '../../shared/domain/placement/contacts-json.js';
import { caseFacts, factChanges } from '../../shared/domain/placement/case-facts.js';
import { caseAging } from '../../shared/domain/placement/aging.js';
import { caseStep, parseSchedule } from '../../shared/domain/casework/escalation.js';
import { dayIn, dayOfIso } from '../../shared/domain/casework/today.js';
import { parseIdNumber } from '../../shared/domain/placement/id-number.js';
import { parseMobile } from '../../shared/domain/placement/phone.js';
import { pendingSearchBatches, searchMatches, writePendingCaseSearch, type TailTerm } from '../../db/repos/case-search.js';
import type { CaseRow } from '../../shared/contract/placements.js';
import { backfillOutstanding, caseFigures, outstandingOn, placedFenOf, today } from '../money/ledger.js';
import { addDays as plusDays } from '../../shared/domain/money/plans.js';

/**
 * What the search box holds decides which index answers it: a whole ID number its own index; digits (a
 * whole mobile, a contact's phone, or the last 4 or more digits of any phone or ID number: 尾号) the search
 * table; anything else a case-number prefix in any letter case or the start of the name.
 */
function searchTerms(q: string | undefined): Pick<CaseQuery, 'idNumber' | 'text' | 'tail' | 'tailOrCaseNo'> {
  if (!q) return {};
  const id = parseIdNumber(q);
  if (id.ok) return { idNumber: id.value.number18 };
  const mobile = parseMobile(q);
  if (mobile.ok) return { tail: { digits: mobile.value } };
  // Spaces and dashes as people type phone numbers ("010-6123 4567"); an ID tail may end in X.
  const digits = q.replace(/[\s-]/g, '');
  if (/^\d{3,}[\dXx]$/.test(digits)) return { tail: { digits: digits.toUpperCase() }, tailOrCaseNo: digits.length >= 6 };
  return { text: q };
}

/** For a tail search: which of each shown case's numbers matched, a contact named as the case holds it. */
function matchedOn(ctx: Parameters<Handler<'cases.list'>>[1], search: TailTerm, rows: { id: number; contacts: string }[]) {
  const byCase = new Map<number, NonNullable<CaseRow['matched']>>();
  const contactsOf = new Map(rows.map((r) => [r.id, r.contacts]));
  for (const m of searchMatches(ctx.store.repos.db, search, rows.map((r) => r.id))) {
    let list = byCase.get(m.case_id);
    if (!list) byCase.set(m.case_id, (list = []));
    if (m.slot === 0) list.push({ field: 'mobile', slot: null, name: null, relation: null });
    else if (m.slot === -1) list.push({ field: 'idNumber', slot: null, name: null, relation: null });
    else if (m.slot > 0) {
      const k = contactsFromJson(contactsOf.get(m.case_id) ?? '[]').find((x) => x.slot === m.slot);
      list.push({ field: 'contact', slot: m.slot, name: k?.name ?? null, relation: k?.relation ?? null });
    }
  }
  return byCase;
}

/** A list row's days overdue and bucket as of today (a finished case: as of the day it finished). */
function agingOfRow(r: CaseListRow, day: string) {
  const endedOn = r.ended_at ? dayOfIso(r.ended_at) : null;
  const a = caseAging({ daysAtPlacement: r.days_overdue, placementDate: r.placement_date, stage: r.stage, endedOn }, day);
  return { daysOverdue: a.daysOverdue, bucket: a.bucket, daysAtPlacement: a.daysAtPlacement, bucketAtPlacement: r.bucket };
}

/** The list's 委案到期日 filter as dates: within N days from today (the home page's window), or ended before today. */
function termEndRange(termEnd: 'ended' | number | undefined, day: string): { termEndFrom?: string; termEndTo?: string } {
  if (termEnd === undefined) return {};
  if (termEnd === 'ended') return { termEndTo: plusDays(day, -1) };
  return { termEndFrom: day, termEndTo: plusDays(day, termEnd) };
}

const list: Handler<'cases.list'> = (input, ctx) => {
  const user = ctx.user!;
  const { q, termEnd, ...filters } = input;
  backfillOutstanding(ctx);
  const terms = searchTerms(q);
  // Search rows a killed import worker still owed (it writes them right after its COMMIT; 10 minutes on, it is gone).
  if (terms.tail && pendingSearchBatches(ctx.store.repos.db, new Date(ctx.now().getTime() - 10 * 60_000).toISOString()).length) {
    // On the request thread: no pause between its short transactions (the other writers are workers, which wait).
    writePendingCaseSearch(ctx.store.repos.db, { pauseMs: 0 });
  }
  const { total, rows } = listCases(ctx.store.repos.db, {
    ...filters,
    ...terms,
    ...termEndRange(termEnd, today(ctx)),
    // Collectors see only the cases assigned to them, whatever they ask for.
    collectorId: user.role === 'collector' ? user.id : filters.collectorId,
  });
  const day = today(ctx);
  const money = ctx.store.repos.money;
  const matched = terms.tail ? matchedOn(ctx, terms.tail, rows) : null;
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      lenderCode: r.lender_code,
      caseNo: r.case_no,
      batchNo: r.batch_no,
      borrowerName: r.borrower_name,
      idNumber: maskIdNumber(r.id_number),
      mobile: maskMobile(r.mobile),
      province: r.province,
      overdueAmountFen: r.overdue_amount_fen,
      placedFen: placedFenOf(r),
      // The page's figures are today's, from the one balance function (the order is the stored key's).
      outstandingFen: outstandingOn(money, r.id, day)!.outstanding,
      ...agingOfRow(r, day),
      stage: r.stage,
      status: r.status,
      collector: r.collector,
      collectorName: r.collector_name,
      linkedCases: r.linked_cases,
      flags: r.flags ? (r.flags.split(',') as CaseFlag[]).sort((a, b) => CASE_FLAGS.indexOf(a) - CASE_FLAGS.indexOf(b)) : [],
      ...(matched ? { matched: matched.get(r.id) ?? [] } : {}),
    })),
  };
};

const get: Handler<'cases.get'> = ({ id }, ctx) => {
  const r = ctx.store.repos;
  const c = r.queue.caseById(id);
  const user = ctx.user!;
  // Another collector's case answers exactly like a missing one: its existence is not disclosed either.
  if (!c || (user.role === 'collector' && c.collector_id !== user.id)) throw new ApiFailure('NOT_FOUND', `No case with id ${id}.`);
  // The "viewed" entry: written now, or journaled (durably) while another connection holds the write lock, so
  // the case is not held up by someone else's import (core/privacy/view-journal.ts).
  recordView(ctx, id, c.case_no);
  const row = r.caseFacts.factsOf(id)!;
  const contacts = contactsFromJson(c.contacts).map((k) => ({
    slot: k.slot,
    name: k.name ?? '',
    relation: k.relation ?? '',
    phone: maskPhone(k.phone),
  }));
  const endedOn = row.ended_at ? dayOfIso(row.ended_at) : null;
  const aging = caseAging({ daysAtPlacement: c.days_overdue, placementDate: c.placement_date, stage: c.stage, endedOn }, dayIn(ctx.now()));
  const step = c.stage === 'paused' ? null : caseStep(parseSchedule(c.escalation), aging, c.stage);
  const replacements = r.caseFacts.replacementsOf(id).map((h) => {
    const d = JSON.parse(h.detail) as { changes?: Record<string, unknown> };
    return { at: h.at, actor: h.actor, batchNo: h.batch_no, changes: factChanges(d.changes ?? {}) };
  });
  // The raw before/after values of a re-placement stay in the store: the history names the fields only,
  // and `replacements` shows them masked.
  const history = r.queue.historyOf(id).map((h) =>
    h.kind === 'replaced' && h.detail.changes && typeof h.detail.changes === 'object'
      ? { ...h, detail: { batchNo: h.detail.batchNo ?? null, fields: factChanges(h.detail.changes as Record<string, unknown>).map((x) => x.key) } }
      : h,
  );
  return {
    id: c.id,
    lenderId: c.lender_id,
    nextStep: step,
    lenderCode: c.lender_code,
    lenderName: c.lender_name,
    caseNo: c.case_no,
    batchNo: c.batch_no,
    placementDate: c.placement_date,
    borrowerName: c.borrower_name,
    idNumber: maskIdNumber(c.id_number),
    mobile: maskMobile(c.mobile),
    gender: c.gender,
    province: c.province,
    overdueAmountFen: c.overdue_amount_fen,
    // Today's outstanding, the placed amount and "terms not set", from the one balance function.
    ...caseFigures(ctx, c.id),
    daysOverdue: aging.daysOverdue,
    bucket: aging.bucket,
    daysAtPlacement: aging.daysAtPlacement,
    // The stored bucket at placement (the lender's table when it was imported), as the list's filter uses.
    bucketAtPlacement: c.bucket,
    stage: c.stage,
    status: c.status,
    collectorId: c.collector_id,
    collector: c.collector,
    collectorName: c.collector_name,
    assignedAt: c.assigned_at,
    contacts,
    history,
    facts: caseFacts(row),
    aging,
    replacements,
  };
};

export const caseHandlers = { 'cases.list': list, 'cases.get': get };
