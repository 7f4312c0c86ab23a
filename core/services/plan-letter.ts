// The confirmation letter of an approved plan: filled from the plan and its case (masked ID only), and
// filed with the case like a rendered 催收函 (HTML with its SHA-256); the plan then points at that file.
import { createHash } from 'node:crypto';
import { ApiFailure } from '../../shared/contract/failure.js';
import { renderPlanLetter, type PlanLetterLanguage } from '../../shared/domain/money/letter.js';
import { letterHtml } from '../../shared/domain/casework/letter.js';
import { maskIdNumber } from '../../shared/domain/placement/masking.js';
import { dayIn } from '../../shared/domain/casework/today.js';
import type { Ctx, Handler } from '../context.js';
import { moneyCaseFor, outstandingOn, waiverOf } from '../money/ledger.js';
import { formatFen } from '../../shared/domain/placement/money.js';
import { toFile } from './case-files.js';

function fill(ctx: Ctx, planId: number, language: PlanLetterLanguage) {
  const r = ctx.store.repos;
  const p = r.money.plan(planId);
  if (!p) throw new ApiFailure('NOT_FOUND', `No plan with id ${planId}.`);
  moneyCaseFor(ctx, p.case_id, `plan with id ${planId}`); // collectors: their own cases only
  if (p.status !== 'active' && p.status !== 'completed') throw new ApiFailure('CONFLICT', `Plan #${p.id} is ${p.status}: only an approved plan is confirmed in writing.`);
  const c = r.queue.caseById(p.case_id)!;
  const today = dayIn(ctx.now());
  const text = renderPlanLetter(
    language,
    {
      id: p.id,
      kind: p.kind,
      asOf: p.as_of,
      owedFen: p.owed_fen,
      waiver: waiverOf(p),
      waiverFen: p.waiver_fen,
      totalFen: p.total_fen,
      graceDays: p.grace_days,
      approvedOn: p.decided_at ? dayIn(new Date(p.decided_at)) : '',
      installments: r.money.installments(p.id).map((i) => ({ no: i.no, dueDate: i.due_date, amountFen: i.amount_fen })),
    },
    {
      agencyName: r.meta.get('agency_name') ?? '',
      today,
      // 经办人 is the collector holding the case, not whoever opens the letter (an unassigned case: the opener).
      collectorName: c.collector_name ?? ctx.user!.displayName,
      borrowerName: c.borrower_name,
      idNumberMasked: maskIdNumber(c.id_number),
      caseNo: c.case_no,
      lenderName: c.lender_name,
      outstandingToday: formatFen(outstandingOn(r.money, p.case_id, today)!.outstanding),
    },
  );
  return { p, c, text, today };
}

const letter: Handler<'plans.letter'> = (input, ctx) => {
  const { p, text } = fill(ctx, input.planId, input.language);
  ctx.store.repos.db.transaction(() => ctx.audit('plans.letter', 'case', p.case_id, { planId: p.id, language: input.language }))();
  return { text, language: input.language, letterFileId: p.letter_file_id };
};

const fileLetter: Handler<'plans.fileLetter'> = (input, ctx) => {
  const { p, c, text, today } = fill(ctx, input.planId, input.language);
  if (text !== input.text) throw new ApiFailure('CONFLICT', 'The letter is no longer what the preview showed (the plan or the case changed since): preview it again, then file it.');
  const base = `${input.language === 'zh-CN' ? '协商还款确认书' : 'plan-confirmation'}-${c.case_no}-${p.id}-${today}`.replace(/[\\/:*?"<>|\s]+/g, '_');
  const data = Buffer.from(letterHtml(text, base, input.language), 'utf8');
  const sha256 = createHash('sha256').update(data).digest('hex');
  const r = ctx.store.repos;
  const id = r.db.transaction(() => {
    const at = ctx.now().toISOString();
    const fileId = r.casework.addFile({ caseId: c.id, name: `${base}.html`, mime: 'text/html', bytes: data.length, sha256, note: `plan #${p.id}`, data, by: ctx.user!.id, at });
    r.money.setPlanLetter(p.id, fileId);
    r.money.history(c.id, at, ctx.user!.id, 'plan', { planId: p.id, letterFileId: fileId, replaces: p.letter_file_id });
    ctx.audit('plans.fileLetter', 'case', c.id, { planId: p.id, fileId, language: input.language, bytes: data.length, sha256, replaces: p.letter_file_id });
    return fileId;
  })();
  return toFile(r.casework.file(id)!);
};

export const planLetterHandlers = { 'plans.letter': letter, 'plans.fileLetter': fileLetter };
