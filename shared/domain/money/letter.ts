// The written confirmation of a negotiated plan (协商还款确认书 /書面確認), in zh-CN and en: {{field}}
// placeholders filled from the approved plan and its case. Like the message templates, it has no full-ID
// field (only the masked one), and a schedule line per installment so the borrower sees every date.
import { formatFen } from '../placement/money.js';
import type { Amounts } from './allocation.js';

export const PLAN_LETTER_LANGUAGES = ['zh-CN', 'en'] as const;
export type PlanLetterLanguage = (typeof PLAN_LETTER_LANGUAGES)[number];

export const PLAN_LETTER_FIELDS = [
  'agencyName',
  'today',
  'collectorName',
  'borrowerName',
  'idNumberMasked',
  'caseNo',
  'lenderName',
  'planNo',
  'planKind',
  'asOf',
  'owedAmount',
  'waiverAmount',
  'waiverDetail',
  'totalAmount',
  'installmentCount',
  'schedule',
  'graceDays',
  'approvedOn',
  /** What is owed on the day the letter is rendered (the one balance function): the figure every screen shows. */
  'outstandingToday',
] as const;
export type PlanLetterField = (typeof PLAN_LETTER_FIELDS)[number];

export const PLAN_LETTER_TEMPLATES: Record<PlanLetterLanguage, string> = {
  'zh-CN': [
    '协商还款确认书',
    '',
    '{{borrowerName}}（证件号码 {{idNumberMasked}}）：',
    '',
    '受{{lenderName}}委托，本机构就您名下编号为{{caseNo}}的借款，与您达成如下协商还款方案（方案编号 {{planNo}}，方式：{{planKind}}），已于{{approvedOn}}经审批同意：',
    '截至{{asOf}}，您应还款项合计人民币{{owedAmount}}元；本方案减免人民币{{waiverAmount}}元（{{waiverDetail}}）；减免后您应还款项合计人民币{{totalAmount}}元，分{{installmentCount}}期按下列日期足额还款：',
    '{{schedule}}',
    '截至{{today}}，您尚欠人民币{{outstandingToday}}元。',
    '方案执行期间暂停计收罚息和滞纳金。任一期在到期日后{{graceDays}}日内未足额还款的，本方案自动终止，减免不再适用，委托方可按原合同继续催收。',
    '请您核对以上内容。如有疑问，请与经办人联系。',
    '',
    '{{agencyName}}',
    '经办人：{{collectorName}}',
    '{{today}}',
  ].join('\n'),
  en: [
    'Confirmation of repayment plan',
    '',
    'To {{borrowerName}} (ID {{idNumberMasked}}):',
    '',
    'On behalf of {{lenderName}}, we confirm the repayment plan agreed with you for loan {{caseNo}} (plan {{planNo}}, {{planKind}}), approved on {{approvedOn}}:',
    'As of {{asOf}} you owed ¥{{owedAmount}} in all. This plan waives ¥{{waiverAmount}} ({{waiverDetail}}), so ¥{{totalAmount}} is to be paid in {{installmentCount}} payment(s), each in full by its date:',
    '{{schedule}}',
    'As of {{today}} you owe ¥{{outstandingToday}}.',
    'No penalty interest or late fees are charged while the plan runs. If a payment is not made in full within {{graceDays}} days of its date, the plan ends, the waiver no longer applies, and the lender may pursue the loan on its original terms.',
    'Please check these details and contact us with any question.',
    '',
    '{{agencyName}}',
    'Handled by: {{collectorName}}',
    '{{today}}',
  ].join('\n'),
};

const KIND_NAMES: Record<PlanLetterLanguage, Record<string, string>> = {
  'zh-CN': { extension: '延期还款', installments: '分期还款', waiver: '减免后一次性还款' },
  en: { extension: 'extension', installments: 'installments', waiver: 'waiver with one payment' },
};
const COMPONENT_NAMES: Record<PlanLetterLanguage, Record<keyof Amounts, string>> = {
  'zh-CN': { interest: '利息', penalty: '罚息', fees: '滞纳金及费用', principal: '本金' },
  en: { interest: 'interest', penalty: 'penalty interest', fees: 'fees', principal: 'principal' },
};

export interface PlanLetterPlan {
  id: number;
  kind: string;
  asOf: string;
  owedFen: number;
  waiver: Amounts;
  waiverFen: number;
  totalFen: number;
  graceDays: number;
  approvedOn: string;
  installments: readonly { no: number; dueDate: string; amountFen: number }[];
}

export interface PlanLetterCase {
  /** formatFen of the case's outstanding on `today`. */
  outstandingToday: string;
  agencyName: string;
  today: string;
  collectorName: string;
  borrowerName: string;
  idNumberMasked: string;
  caseNo: string;
  lenderName: string;
}

/** One line per installment: "第1期：2026-12-01 前还款人民币 1,000.00 元" / "1. by 2026-12-01: ¥1,000.00". */
export function scheduleLines(lang: PlanLetterLanguage, installments: PlanLetterPlan['installments']): string[] {
  return installments.map((i) => (lang === 'zh-CN' ? `第${i.no}期：${i.dueDate}前还款人民币${formatFen(i.amountFen)}元` : `${i.no}. by ${i.dueDate}: ¥${formatFen(i.amountFen)}`));
}

export function planLetterValues(lang: PlanLetterLanguage, plan: PlanLetterPlan, c: PlanLetterCase): Record<PlanLetterField, string> {
  const parts = (['interest', 'penalty', 'fees'] as const).filter((k) => plan.waiver[k] > 0).map((k) => `${COMPONENT_NAMES[lang][k]} ${lang === 'zh-CN' ? '' : '¥'}${formatFen(plan.waiver[k])}${lang === 'zh-CN' ? '元' : ''}`);
  return {
    ...c,
    planNo: `#${plan.id}`,
    planKind: KIND_NAMES[lang][plan.kind] ?? plan.kind,
    asOf: plan.asOf,
    owedAmount: formatFen(plan.owedFen),
    waiverAmount: formatFen(plan.waiverFen),
    waiverDetail: parts.length ? parts.join(lang === 'zh-CN' ? '，' : ', ') : lang === 'zh-CN' ? '无减免' : 'nothing waived',
    totalAmount: formatFen(plan.totalFen),
    installmentCount: String(plan.installments.length),
    schedule: scheduleLines(lang, plan.installments).join('\n'),
    graceDays: String(plan.graceDays),
    approvedOn: plan.approvedOn,
  };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** The letter's text; an unknown placeholder renders empty. */
export function renderPlanLetter(lang: PlanLetterLanguage, plan: PlanLetterPlan, c: PlanLetterCase): string {
  const values = planLetterValues(lang, plan, c);
  return PLAN_LETTER_TEMPLATES[lang].replace(PLACEHOLDER, (_m, name: string) => values[name as PlanLetterField] ?? '');
}
