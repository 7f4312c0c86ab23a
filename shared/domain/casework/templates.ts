// Message and letter templates (短信 / 催收函): {{field}} placeholders filled from the case. Two rules
// hold whatever a user writes: no template can print a full ID number (only the masked field exists),
// and a template addressed to a third party cannot mention the debt.

export const TEMPLATE_KINDS = ['sms', 'letter'] as const;
export const AUDIENCES = ['borrower', 'third_party'] as const;
export const TEMPLATE_LANGUAGES = ['zh-CN', 'en'] as const;

/** Every placeholder a template may use. */
export const TEMPLATE_FIELDS = [
  'agencyName',
  'today',
  'collectorName',
  'borrowerName',
  'contactName',
  'idNumberMasked',
  'mobileMasked',
  'caseNo',
  'lenderName',
  /** What is owed today (kept for templates saved before outstandingAmount; the same figure). */
  'overdueAmount',
  'daysOverdue',
  'dueDate',
  'deadline',
  // Issue 15: money fields are the figures of the day the template is rendered, from the one balance function.
  'outstandingAmount',
  'outstandingPrincipal',
  'outstandingInterest',
  'outstandingPenalty',
  'outstandingFees',
  'placedAmount',
  'nextInstallmentAmount',
  'nextInstallmentDate',
  'planTotal',
  'agencyHotline',
  'paymentAccount',
  'homeAddressMasked',
  'workAddressMasked',
  'registeredAddressMasked',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** Fields that disclose the debt: never in a message to a third party (DOMAIN.md). */
export const DEBT_FIELDS: readonly TemplateField[] = [
  'caseNo', 'lenderName', 'overdueAmount', 'daysOverdue', 'dueDate', 'deadline', 'idNumberMasked',
  'outstandingAmount', 'outstandingPrincipal', 'outstandingInterest', 'outstandingPenalty', 'outstandingFees', 'placedAmount',
  'nextInstallmentAmount', 'nextInstallmentDate', 'planTotal',
  // Where to pay tells that there is something to pay; the borrower's addresses are the borrower's data.
  'paymentAccount', 'homeAddressMasked', 'workAddressMasked', 'registeredAddressMasked',
];

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export function placeholdersOf(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** What is wrong with a template body for its audience (empty = fine). */
export function checkTemplate(body: string, audience: (typeof AUDIENCES)[number]): string[] {
  const problems: string[] = [];
  for (const p of placeholdersOf(body)) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(p)) problems.push(`Unknown field {{${p}}}; the fields are ${TEMPLATE_FIELDS.join(', ')}.`);
    else if (audience === 'third_party' && DEBT_FIELDS.includes(p as TemplateField)) problems.push(`A message to a third party cannot include {{${p}}}: it would disclose the debt or the borrower's data.`);
  }
  // Numbers that look like a full ID number typed into the text itself.
  if (/\d{17}[\dXx]/.test(body)) problems.push('The text contains what looks like a full ID number.');
  return problems;
}

/** Fills the placeholders; a field without a value renders as empty. */
export function renderTemplate(body: string, values: Partial<Record<TemplateField, string>>): string {
  return body.replace(PLACEHOLDER, (_m, name: string) => values[name as TemplateField] ?? '');
}

export interface DefaultTemplate {
  name: string;
  kind: (typeof TEMPLATE_KINDS)[number];
  audience: (typeof AUDIENCES)[number];
  language: (typeof TEMPLATE_LANGUAGES)[number];
  body: string;
}

/** The templates a new store starts with; agencies edit them. */
export const DEFAULT_TEMPLATES: readonly DefaultTemplate[] = [
  {
    name: '逾期提醒短信',
    kind: 'sms',
    audience: 'borrower',
    language: 'zh-CN',
    body: '【{{agencyName}}】{{borrowerName}}您好，您在{{lenderName}}的借款已逾期{{daysOverdue}}天，截至{{today}}尚欠{{outstandingAmount}}元。请于{{deadline}}前还款，如有困难请来电{{agencyHotline}}协商。',
  },
  {
    name: 'Overdue reminder (SMS)',
    kind: 'sms',
    audience: 'borrower',
    language: 'en',
    body: '[{{agencyName}}] Dear {{borrowerName}}, your loan with {{lenderName}} is {{daysOverdue}} days overdue; ¥{{outstandingAmount}} is owed as of {{today}}. Please pay by {{deadline}} or call us on {{agencyHotline}} to agree a plan.',
  },
  {
    name: '联系人留言短信',
    kind: 'sms',
    audience: 'third_party',
    language: 'zh-CN',
    body: '【{{agencyName}}】{{contactName}}您好，我们有事需联系{{borrowerName}}，麻烦转告其回电，谢谢。',
  },
  {
    name: 'Message for a contact (SMS)',
    kind: 'sms',
    audience: 'third_party',
    language: 'en',
    body: '[{{agencyName}}] Dear {{contactName}}, please ask {{borrowerName}} to call us back. Thank you.',
  },
  {
    name: '催收函',
    kind: 'letter',
    audience: 'borrower',
    language: 'zh-CN',
    body: [
      '催收函',
      '',
      '{{borrowerName}}（证件号码 {{idNumberMasked}}）：',
      '',
      '受{{lenderName}}委托，本机构就您名下编号为{{caseNo}}的借款通知如下：截至{{today}}，该借款已逾期{{daysOverdue}}天，尚欠人民币{{outstandingAmount}}元（本金{{outstandingPrincipal}}元、利息{{outstandingInterest}}元、罚息{{outstandingPenalty}}元、费用{{outstandingFees}}元；委案金额{{placedAmount}}元）。',
      '还款账户：{{paymentAccount}}；联系电话：{{agencyHotline}}。',
      '请您于{{deadline}}前足额还款，或与我们联系协商还款方案。逾期不还的，委托方可能依法采取进一步措施。',
      '',
      '{{agencyName}}',
      '经办人：{{collectorName}}',
      '{{today}}',
    ].join('\n'),
  },
  {
    name: 'Collection letter',
    kind: 'letter',
    audience: 'borrower',
    language: 'en',
    body: [
      'Collection notice',
      '',
      'To {{borrowerName}} (ID {{idNumberMasked}}):',
      '',
      'On behalf of {{lenderName}}, we notify you about loan {{caseNo}}: as of {{today}} it is {{daysOverdue}} days overdue, with ¥{{outstandingAmount}} outstanding (principal ¥{{outstandingPrincipal}}, interest ¥{{outstandingInterest}}, penalty ¥{{outstandingPenalty}}, fees ¥{{outstandingFees}}; placed amount ¥{{placedAmount}}).',
      'Pay to: {{paymentAccount}}. Telephone: {{agencyHotline}}.',
      'Please pay in full by {{deadline}}, or contact us to agree a repayment plan. If it remains unpaid, the lender may take further steps as the law allows.',
      '',
      '{{agencyName}}',
      'Handled by: {{collectorName}}',
      '{{today}}',
    ].join('\n'),
  },
];
