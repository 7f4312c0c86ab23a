// Message and letter templates: saved only when they keep the two rules (no full ID number, nothing
// about the debt to a third party); rendered from a case the user may work, and the rendering audited.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { MessageTemplate } from '../../shared/contract/casework.js';
import type { Ctx, Handler } from '../context.js';
import { checkTemplate, renderTemplate, TEMPLATE_FIELDS } from '../../shared/domain/casework/templates.js';
import { caseAging } from '../../shared/domain/placement/aging.js';
import { dayIn, dayOfIso } from '../../shared/domain/casework/today.js';
import { maskIdNumber, maskMobile } from '../../shared/domain/placement/masking.js';
import type { TemplateRow } from '../../db/repos/casework.js';
import { createHash } from 'node:crypto';
import { letterHtml } from '../../shared/domain/casework/letter.js';
import { toFile } from './case-files.js';
import { contactsFromJson } from '../../shared/domain/placement/contacts-json.js';
import { moneyTemplateValues } from '../money/template-values.js';

const toTemplate = (t: TemplateRow): MessageTemplate => ({ id: t.id, name: t.name, kind: t.kind, audience: t.audience, language: t.language, body: t.body, updatedAt: t.updated_at });

const list: Handler<'messageTemplates.list'> = (_input, ctx) => ({ templates: ctx.store.repos.casework.templates().map(toTemplate), fields: [...TEMPLATE_FIELDS] });

const save: Handler<'messageTemplates.save'> = (input, ctx) => {
  const r = ctx.store.repos;
  const problems = checkTemplate(input.body, input.audience);
  if (problems.length) throw new ApiFailure('BAD_INPUT', problems.join(' '));
  if (input.id !== undefined && !r.casework.template(input.id)) throw new ApiFailure('NOT_FOUND', `No template with id ${input.id}.`);
  if (r.casework.templates().some((t) => t.name.toLowerCase() === input.name.toLowerCase() && t.id !== input.id)) throw new ApiFailure('CONFLICT', `A template named ${input.name} exists.`);
  const { id: givenId, ...values } = input;
  const id = r.db.transaction(() => {
    const saved = r.casework.saveTemplate(givenId, values, ctx.now().toISOString());
    ctx.audit(givenId === undefined ? 'messageTemplates.create' : 'messageTemplates.update', 'message_template', saved, { name: values.name, audience: values.audience });
    return saved;
  })();
  return toTemplate(r.casework.template(id)!);
};

const remove: Handler<'messageTemplates.delete'> = ({ id }, ctx) => {
  const r = ctx.store.repos;
  const t = r.casework.template(id);
  if (!t) throw new ApiFailure('NOT_FOUND', `No template with id ${id}.`);
  r.db.transaction(() => {
    r.casework.deleteTemplate(id);
    ctx.audit('messageTemplates.delete', 'message_template', id, { name: t.name });
  })();
  return { deleted: true };
};

function plusDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

type RenderInput = { templateId: number; caseId: number; contactSlot?: number | undefined; deadline?: string | undefined };

/** Fills the template from a case the user may work; throws when either is missing or a rule is broken. */
function fill(input: RenderInput, ctx: Ctx) {
  const r = ctx.store.repos;
  const t = r.casework.template(input.templateId);
  if (!t) throw new ApiFailure('NOT_FOUND', `No template with id ${input.templateId}.`);
  const c = r.queue.caseById(input.caseId);
  const user = ctx.user!;
  if (!c || (user.role === 'collector' && c.collector_id !== user.id)) throw new ApiFailure('NOT_FOUND', `No case with id ${input.caseId}.`);
  let contactName = '';
  if (t.audience === 'third_party') {
    if (input.contactSlot === undefined) throw new ApiFailure('BAD_INPUT', 'A message to a third party needs the contact (1–6) it goes to.');
    const contact = contactsFromJson(c.contacts).find((k) => k.slot === input.contactSlot);
    if (!contact) throw new ApiFailure('BAD_INPUT', `This case has no contact ${input.contactSlot}.`);
    contactName = contact.name ?? '';
  }
  // The rules are checked again at render time: a template saved before a rule tightened still obeys it.
  const problems = checkTemplate(t.body, t.audience);
  if (problems.length) throw new ApiFailure('CONFLICT', `Template ${t.name} breaks a rule: ${problems.join(' ')}`);
  const today = dayIn(ctx.now());
  const text = renderTemplate(t.body, {
    agencyName: r.meta.get('agency_name') ?? '',
    today,
    // 经办人 is the collector holding the case, not whoever renders the letter (an unassigned case: the renderer).
    collectorName: c.collector_name ?? user.displayName,
    borrowerName: c.borrower_name,
    contactName,
    idNumberMasked: maskIdNumber(c.id_number),
    mobileMasked: maskMobile(c.mobile),
    caseNo: c.case_no,
    lenderName: c.lender_name,
    // Money, plan, where to pay and addresses: the figures of today (a third-party template cannot name them).
    ...moneyTemplateValues(ctx, c.id, today),
    // The one aging rule, as the case view counts it: a finished case stops at the day it left collection.
    daysOverdue: String(caseAging({ daysAtPlacement: c.days_overdue, placementDate: c.placement_date, stage: c.stage, endedOn: endedOnOf(r, c.id) }, today).daysOverdue ?? ''),
    dueDate: c.due_date ?? '',
    deadline: input.deadline ?? plusDays(today, 7),
  });
  return { t, c, text, today };
}

/** The day a finished case left collection (YYYY-MM-DD, Asia/Shanghai), else null. */
function endedOnOf(r: Ctx['store']['repos'], caseId: number): string | null {
  const at = r.caseFacts.factsOf(caseId)?.ended_at;
  return at ? dayOfIso(at) : null;
}

const render: Handler<'messageTemplates.render'> = (input, ctx) => {
  const { t, c, text } = fill(input, ctx);
  ctx.store.repos.db.transaction(() => ctx.audit('messageTemplates.render', 'case', c.id, { template: t.name, audience: t.audience, contactSlot: input.contactSlot ?? null }))();
  return { text, kind: t.kind, audience: t.audience, language: t.language };
};

/** Files the letter as the user previewed it: rendered again here, so what is kept is the template's output. */
const file: Handler<'messageTemplates.file'> = (input, ctx) => {
  const { t, c, text, today } = fill(input, ctx);
  if (t.kind !== 'letter') throw new ApiFailure('BAD_INPUT', `${t.name} is an SMS template: only letters are filed as documents.`);
  if (text !== input.text) throw new ApiFailure('CONFLICT', 'The letter is no longer what the preview showed (the case or the template changed since): preview it again, then file it.');
  const name = `${t.name}-${c.case_no}-${today}.html`.replace(/[\\/:*?"<>|\s]+/g, '_');
  const data = Buffer.from(letterHtml(text, name.replace(/\.html$/, ''), t.language), 'utf8');
  const sha256 = createHash('sha256').update(data).digest('hex');
  const r = ctx.store.repos;
  const id = r.db.transaction(() => {
    const note = `${t.name}${input.deadline ? ` · ${input.deadline}` : ''}`;
    const newId = r.casework.addFile({ caseId: c.id, name, mime: 'text/html', bytes: data.length, sha256, note, data, by: ctx.user!.id, at: ctx.now().toISOString() });
    ctx.audit('messageTemplates.file', 'case', c.id, { fileId: newId, template: t.name, audience: t.audience, contactSlot: input.contactSlot ?? null, name, bytes: data.length, sha256 });
    return newId;
  })();
  return toFile(r.casework.file(id)!);
};

export const templateHandlers = {
  'messageTemplates.list': list,
  'messageTemplates.save': save,
  'messageTemplates.delete': remove,
  'messageTemplates.render': render,
  'messageTemplates.file': file,
};
