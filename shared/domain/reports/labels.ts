// The words a lender reads for the codes the store keeps (stage, status, channel, outcome, plan …), in the
// report's language: Chinese labels under Chinese headers, English under English. The same words the
// screens show (a unit test compares them with renderer/i18n), kept here so core can write them.
import { BUILT_IN_OUTCOMES, type OutcomeLabels } from '../casework/outcomes.js';
import type { HeaderLanguage } from './columns.js';

type Pair = readonly [zh: string, en: string];
type LabelTable = Readonly<Record<string, Pair>>;

const STAGES: LabelTable = {
  new: ['新案', 'New'],
  reminder: ['提醒', 'Reminder'],
  contact: ['联系', 'Contact'],
  negotiation: ['协商', 'Negotiation'],
  field_visit: ['上门', 'Field visit'],
  legal_referral: ['法务', 'Legal'],
  paused: ['暂停', 'Paused'],
  settled: ['结清', 'Settled'],
  closed: ['结案', 'Closed'],
  written_off: ['核销', 'Written off'],
  returned: ['退案', 'Returned'],
};

export const LABEL_TABLES = {
  stage: STAGES,
  /** A case is open, or closed the way its final stage says. */
  status: { open: ['在催', 'Open'], ...STAGES } as LabelTable,
  contactChannel: { phone: ['电话', 'Phone'], sms: ['短信', 'SMS'], email: ['邮件', 'Email'], letter: ['信函', 'Letter'], field_visit: ['上门', 'Field visit'], app_message: ['App 消息', 'App message'] },
  direction: { outbound: ['呼出', 'Outbound'], inbound: ['呼入', 'Inbound'] },
  party: { borrower: ['本人', 'Borrower'], contact: ['联系人', 'Contact person'] },
  planStatus: { proposed: ['待经理审批', 'Awaiting manager'], awaiting_lender: ['待委托方审批', 'Awaiting lender'], active: ['执行中', 'Active'], completed: ['已完成', 'Completed'], broken: ['已违约', 'Broken'], rejected: ['已驳回', 'Rejected'] },
  planKind: { extension: ['延期', 'Extension'], installments: ['分期', 'Installments'], waiver: ['减免', 'Waiver'] },
  promiseState: { pending: ['待兑现', 'Pending'], kept: ['已兑现', 'Kept'], partly_kept: ['部分兑现', 'Partly kept'], broken: ['未兑现', 'Broken'] },
  paymentChannel: { bank_transfer: ['银行转账', 'Bank transfer'], alipay: ['支付宝', 'Alipay'], wechat: ['微信支付', 'WeChat Pay'], lender_platform: ['委托方平台', 'Lender platform'], cash: ['现金', 'Cash'], other: ['其他', 'Other'] },
  paymentSource: { agency: ['机构登记', 'Agency'], lender_file: ['委托方文件', 'Lender file'] },
  legalStatus: { referred: ['已委托', 'Referred'], filed: ['已立案', 'Filed'], hearing_scheduled: ['待开庭', 'Hearing scheduled'], judgment: ['已判决', 'Judgment'], enforcement: ['执行中', 'Enforcement'], closed: ['已结束', 'Closed'] },
  recallSource: { file: ['清单', 'File'], selection: ['勾选案件', 'Picked cases'] },
} satisfies Record<string, LabelTable>;

export type LabelSet = keyof typeof LABEL_TABLES | 'outcome';

/** code → label, for one set in one language. Built once per report, looked up per cell. */
export type LabelMap = ReadonlyMap<string, string>;

/**
 * Every set's code → label map in `language`. Outcomes are the agency's catalog (its own codes and
 * relabelled built-ins; `outcomes` as core reads them), falling back to the built-in labels.
 */
export function labelMaps(language: HeaderLanguage, outcomes: Readonly<Record<string, OutcomeLabels>> = {}): Record<LabelSet, LabelMap> {
  const i = language === 'zh' ? 0 : 1;
  const out = {} as Record<LabelSet, LabelMap>;
  for (const [set, table] of Object.entries(LABEL_TABLES) as [keyof typeof LABEL_TABLES, LabelTable][]) out[set] = new Map(Object.entries(table).map(([code, pair]) => [code, pair[i]]));
  const o = new Map<string, string>();
  for (const b of BUILT_IN_OUTCOMES) o.set(b.code, language === 'zh' ? b.labels['zh-CN'] : b.labels.en);
  for (const [code, l] of Object.entries(outcomes)) o.set(code, language === 'zh' ? l['zh-CN'] : l.en);
  out.outcome = o;
  return out;
}

/** The label of a code; a code with no label (a newer code, a lender's own) is written as it is. */
export const labelOf = (map: LabelMap, code: string): string => map.get(code) ?? code;
