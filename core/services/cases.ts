import type { Handler } from '../context.js';
import { listCases, type CaseQuery } from '../../db/repos/cases.js';
import { maskIdNumber, maskMobile } from '../../shared/domain/placement/masking.js';
import { parseIdNumber } from '../../shared/domain/placement/id-number.js';
import { parseMobile } from '../../shared/domain/placement/phone.js';

/** What the search box holds decides which index answers it. */
function searchTerms(q: string | undefined): Pick<CaseQuery, 'mobile' | 'idNumber' | 'text'> {
  if (!q) return {};
  const id = parseIdNumber(q);
  if (id.ok) return { idNumber: id.value.number18 };
  const mobile = parseMobile(q);
  if (mobile.ok) return { mobile: mobile.value };
  return { text: q };
}

const list: Handler<'cases.list'> = (input, ctx) => {
  const user = ctx.user!;
  const { q, ...filters } = input;
  const { total, rows } = listCases(ctx.store.repos.db, {
    ...filters,
    ...searchTerms(q),
    // Collectors see only the cases assigned to them, whatever they ask for.
    collectorId: user.role === 'collector' ? user.id : filters.collectorId,
  });
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
      daysOverdue: r.days_overdue,
      bucket: r.bucket,
      stage: r.stage,
      status: r.status,
      collector: r.collector,
      collectorName: r.collector_name,
      linkedCases: r.linked_cases,
    })),
  };
};

export const caseHandlers = { 'cases.list': list };
