// The reports a package holds and their columns. A lender's export template chooses which columns, in
// what order, under which headers (like the import mapping); without one, every column with the default
// headers in the lender's language.
import type { LabelSet } from './labels.js';

export const REPORTS = ['status', 'contacts', 'repayments', 'waivers', 'returns'] as const;
export type ReportKind = (typeof REPORTS)[number];

/**
 * What a column holds, for how it is written: `id` an identifier (case no., ID number, phone, account,
 * batch, reference: always a text cell, even all digits), `date` a day (`YYYY-MM-DD`), `time` an instant
 * (written in the lender's zone with its offset), `number` a count. Text otherwise.
 */
export type ColumnType = 'text' | 'id' | 'date' | 'time' | 'number';

export interface ColumnDef {
  key: string;
  zh: string;
  en: string;
  /** Amount in yuan (a number cell) */
  money?: boolean;
  type?: ColumnType;
  /** Codes written as their label in the report's language (labels.ts). */
  labels?: LabelSet;
}

const c = (key: string, zh: string, en: string, money = false): ColumnDef => ({ key, zh, en, ...(money ? { money } : {}) });
const id = (key: string, zh: string, en: string): ColumnDef => ({ key, zh, en, type: 'id' });
const day = (key: string, zh: string, en: string): ColumnDef => ({ key, zh, en, type: 'date' });
const time = (key: string, zh: string, en: string): ColumnDef => ({ key, zh, en, type: 'time' });
const num = (key: string, zh: string, en: string): ColumnDef => ({ key, zh, en, type: 'number' });
const label = (key: string, zh: string, en: string, labels: LabelSet): ColumnDef => ({ key, zh, en, labels });

export const COLUMNS: Record<ReportKind, readonly ColumnDef[]> = {
  status: [
    id('caseNo', '合同号', 'Case number'),
    id('batchNo', '委案批次', 'Batch'),
    c('borrowerName', '客户姓名', 'Borrower'),
    id('idNumber', '身份证号', 'ID number'),
    id('mobile', '手机号码', 'Mobile'),
    c('bucket', '委案时账龄', 'Bucket at placement'),
    c('bucketToday', '当前账龄', 'Bucket today'),
    num('daysOverdueAtPlacement', '委案时逾期天数', 'Days overdue at placement'),
    num('daysOverdueToday', '当前逾期天数', 'Days overdue today'),
    c('placedFen', '委案金额', 'Placed amount', true),
    label('stage', '催收阶段', 'Stage', 'stage'),
    label('status', '案件状态', 'Status', 'status'),
    time('lastContactAt', '最近联系时间', 'Last contact'),
    label('lastOutcome', '最近联系结果', 'Last outcome', 'outcome'),
    c('promiseFen', '承诺还款金额', 'Promised amount', true),
    day('promiseDate', '承诺还款日期', 'Promise date'),
    label('promiseState', '承诺履约', 'Promise kept', 'promiseState'),
    label('planStatus', '协商方案状态', 'Plan status', 'planStatus'),
    c('paidInPeriodFen', '期间回款', 'Paid in period', true),
    c('paidTotalFen', '累计回款', 'Paid in total', true),
    c('principalFen', '剩余本金', 'Principal owed', true),
    c('interestFen', '剩余利息', 'Interest owed', true),
    c('penaltyFen', '剩余罚息', 'Penalty owed', true),
    c('feesFen', '剩余费用', 'Fees owed', true),
    c('waivedFen', '已减免', 'Waived', true),
    c('outstandingFen', '剩余应还', 'Outstanding', true),
    label('legalStatus', '诉讼状态', 'Legal status', 'legalStatus'),
    id('collectorCode', '催收员', 'Collector'),
  ],
  contacts: [
    id('caseNo', '合同号', 'Case number'),
    time('startedAt', '联系时间', 'Time'),
    label('channel', '联系方式', 'Channel', 'contactChannel'),
    label('party', '联系对象', 'Party', 'party'),
    c('relation', '关系', 'Relation'),
    id('number', '号码', 'Number'),
    label('direction', '方向', 'Direction', 'direction'),
    num('durationSec', '时长(秒)', 'Duration (s)'),
    label('outcome', '联系结果', 'Outcome', 'outcome'),
    c('note', '催记内容', 'Note'),
    c('promiseFen', '承诺金额', 'Promised amount', true),
    day('promiseDate', '承诺日期', 'Promise date'),
    id('collectorCode', '催收员', 'Collector'),
    time('nextFollowUpAt', '下次跟进', 'Next follow-up'),
    c('correctsId', '更正记录', 'Corrects entry'),
    c('entryId', '记录编号', 'Entry'),
  ],
  repayments: [
    id('caseNo', '合同号', 'Case number'),
    day('paidOn', '还款日期', 'Paid on'),
    c('amountFen', '还款金额', 'Amount', true),
    label('channel', '还款渠道', 'Channel', 'paymentChannel'),
    c('payer', '还款人', 'Payer'),
    id('reference', '流水号', 'Reference'),
    label('source', '来源', 'Source', 'paymentSource'),
    c('reversesId', '冲正记录', 'Reverses entry'),
    c('entryId', '记录编号', 'Entry'),
  ],
  waivers: [
    id('caseNo', '合同号', 'Case number'),
    c('planId', '方案编号', 'Plan'),
    label('kind', '方案类型', 'Plan kind', 'planKind'),
    day('approvedOn', '批准日期', 'Approved on'),
    id('approvedBy', '批准人', 'Approved by'),
    c('lenderApproval', '委托方批准', 'Lender approval'),
    c('interestFen', '减免利息', 'Interest waived', true),
    c('penaltyFen', '减免罚息', 'Penalty waived', true),
    c('feesFen', '减免费用', 'Fees waived', true),
    c('totalFen', '减免合计', 'Total waived', true),
    label('planStatus', '方案状态', 'Plan status', 'planStatus'),
  ],
  returns: [
    id('caseNo', '合同号', 'Case number'),
    day('recalledOn', '退案日期', 'Returned on'),
    c('recallId', '退案编号', 'Recall'),
    label('source', '退案方式', 'How', 'recallSource'),
    c('reason', '退案原因', 'Reason'),
    label('stageBefore', '退案前阶段', 'Stage before', 'stage'),
    c('paidTotalFen', '累计回款', 'Paid in total', true),
  ],
};

export const REPORT_FILE_NAMES: Record<ReportKind, string> = { status: 'status-report', contacts: 'contact-log', repayments: 'repayments', waivers: 'waivers', returns: 'returns' };

/** Per report: the columns in the lender's order with the lender's header text. */
export type ExportTemplate = Partial<Record<ReportKind, { key: string; header: string }[]>>;

export type HeaderLanguage = 'zh' | 'en';

/** The columns of a report as the lender wants them; unknown keys in a template are an error. */
export function columnsFor(kind: ReportKind, template: ExportTemplate, language: HeaderLanguage): { def: ColumnDef; header: string }[] {
  const defs = new Map(COLUMNS[kind].map((d) => [d.key, d]));
  const chosen = template[kind];
  if (!chosen || chosen.length === 0) return COLUMNS[kind].map((def) => ({ def, header: def[language] }));
  return chosen.map(({ key, header }) => {
    const def = defs.get(key);
    if (!def) throw new RangeError(`The ${kind} report has no column "${key}".`);
    return { def, header: header || def[language] };
  });
}
