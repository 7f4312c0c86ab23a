// The reports a package holds and their columns. A lender's export template chooses which columns, in
// what order, under which headers (like the import mapping); without one, every column with the default
// headers in the lender's language.

export const REPORTS = ['status', 'contacts', 'repayments', 'waivers', 'returns'] as const;
export type ReportKind = (typeof REPORTS)[number];

export interface ColumnDef {
  key: string;
  zh: string;
  en: string;
  /** Amount in yuan (a number cell) */
  money?: boolean;
}

const c = (key: string, zh: string, en: string, money = false): ColumnDef => ({ key, zh, en, ...(money ? { money } : {}) });

export const COLUMNS: Record<ReportKind, readonly ColumnDef[]> = {
  status: [
    c('caseNo', '合同号', 'Case number'),
    c('batchNo', '委案批次', 'Batch'),
    c('borrowerName', '客户姓名', 'Borrower'),
    c('idNumber', '身份证号', 'ID number'),
    c('mobile', '手机号码', 'Mobile'),
    c('bucket', '账龄', 'Bucket'),
    c('placedFen', '委案金额', 'Placed amount', true),
    c('stage', '催收阶段', 'Stage'),
    c('status', '案件状态', 'Status'),
    c('lastContactAt', '最近联系时间', 'Last contact'),
    c('lastOutcome', '最近联系结果', 'Last outcome'),
    c('promiseFen', '承诺还款金额', 'Promised amount', true),
    c('promiseDate', '承诺还款日期', 'Promise date'),
    c('promiseState', '承诺履约', 'Promise kept'),
    c('planStatus', '协商方案状态', 'Plan status'),
    c('paidInPeriodFen', '期间回款', 'Paid in period', true),
    c('paidTotalFen', '累计回款', 'Paid in total', true),
    c('principalFen', '剩余本金', 'Principal owed', true),
    c('interestFen', '剩余利息', 'Interest owed', true),
    c('penaltyFen', '剩余罚息', 'Penalty owed', true),
    c('feesFen', '剩余费用', 'Fees owed', true),
    c('waivedFen', '已减免', 'Waived', true),
    c('outstandingFen', '剩余应还', 'Outstanding', true),
    c('legalStatus', '诉讼状态', 'Legal status'),
    c('collectorCode', '催收员', 'Collector'),
  ],
  contacts: [
    c('caseNo', '合同号', 'Case number'),
    c('startedAt', '联系时间', 'Time'),
    c('channel', '联系方式', 'Channel'),
    c('party', '联系对象', 'Party'),
    c('relation', '关系', 'Relation'),
    c('number', '号码', 'Number'),
    c('direction', '方向', 'Direction'),
    c('durationSec', '时长(秒)', 'Duration (s)'),
    c('outcome', '联系结果', 'Outcome'),
    c('note', '催记内容', 'Note'),
    c('promiseFen', '承诺金额', 'Promised amount', true),
    c('promiseDate', '承诺日期', 'Promise date'),
    c('collectorCode', '催收员', 'Collector'),
    c('nextFollowUpAt', '下次跟进', 'Next follow-up'),
    c('correctsId', '更正记录', 'Corrects entry'),
    c('entryId', '记录编号', 'Entry'),
  ],
  repayments: [
    c('caseNo', '合同号', 'Case number'),
    c('paidOn', '还款日期', 'Paid on'),
    c('amountFen', '还款金额', 'Amount', true),
    c('channel', '还款渠道', 'Channel'),
    c('payer', '还款人', 'Payer'),
    c('reference', '流水号', 'Reference'),
    c('source', '来源', 'Source'),
    c('reversesId', '冲正记录', 'Reverses entry'),
    c('entryId', '记录编号', 'Entry'),
  ],
  waivers: [
    c('caseNo', '合同号', 'Case number'),
    c('planId', '方案编号', 'Plan'),
    c('kind', '方案类型', 'Plan kind'),
    c('approvedOn', '批准日期', 'Approved on'),
    c('approvedBy', '批准人', 'Approved by'),
    c('lenderApproval', '委托方批准', 'Lender approval'),
    c('interestFen', '减免利息', 'Interest waived', true),
    c('penaltyFen', '减免罚息', 'Penalty waived', true),
    c('feesFen', '减免费用', 'Fees waived', true),
    c('totalFen', '减免合计', 'Total waived', true),
    c('planStatus', '方案状态', 'Plan status'),
  ],
  returns: [
    c('caseNo', '合同号', 'Case number'),
    c('recalledOn', '退案日期', 'Returned on'),
    c('recallId', '退案编号', 'Recall'),
    c('source', '退案方式', 'How'),
    c('reason', '退案原因', 'Reason'),
    c('stageBefore', '退案前阶段', 'Stage before'),
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
