// The fields of a lender's repayment file (回款明细) and the header spellings lenders use for them, in the
// placement import's FieldDef shape so the same header-row finder and auto-mapper read them. To support a
// new spelling, add it to `synonyms` (case, spaces, punctuation, full-width forms and bracketed units such
// as '(元)' are ignored); a spelling belongs to one field only (a unit test checks this).
import type { FieldDef } from '../placement/fields.js';

export type RepaymentFieldKey = 'caseNo' | 'amount' | 'paidOn' | 'channel' | 'payer' | 'reference';

export const REPAYMENT_FIELDS: readonly FieldDef<RepaymentFieldKey>[] = Object.freeze([
  {
    key: 'caseNo',
    type: 'text',
    required: true,
    labelZh: '案件编号',
    labelEn: 'Case No.',
    synonyms: [
      '合同号', '合同编号', '借款合同号', '借款合同编号', '贷款合同号', '借据号', '借据编号', '个案序列号', '个案编号',
      '案件号', '委案编号', '委案号', '贷款编号', '贷款账号', '借款编号', '订单号', '订单编号', '账户号', '账号', '卡号',
      'case id', 'loan no', 'loan id', 'loan number', 'contract no', 'contract number', 'account no', 'account number', 'iou no',
    ],
  },
  {
    key: 'amount',
    type: 'money',
    required: true,
    labelZh: '还款金额',
    labelEn: 'Amount',
    synonyms: [
      '回款金额', '实还金额', '实还总额', '实际还款金额', '还款额', '回款额', '入账金额', '到账金额', '交易金额', '金额',
      '本次还款金额', '实收金额', 'payment amount', 'repayment amount', 'paid amount', 'amount paid', 'repaid amount',
    ],
  },
  {
    key: 'paidOn',
    type: 'date',
    required: true,
    labelZh: '还款日期',
    labelEn: 'Payment date',
    synonyms: [
      '回款日期', '入账日期', '实还日期', '还款时间', '回款时间', '入账时间', '到账日期', '到账时间', '交易日期', '交易时间',
      '实际还款日期', '日期', 'payment date', 'paid date', 'paid on', 'repayment date', 'date paid', 'posting date', 'value date',
    ],
  },
  {
    key: 'channel',
    type: 'text',
    required: false,
    labelZh: '还款渠道',
    labelEn: 'Channel',
    synonyms: ['回款渠道', '还款方式', '回款方式', '支付方式', '支付渠道', '交易渠道', '渠道', 'payment channel', 'payment method', 'method'],
  },
  {
    key: 'payer',
    type: 'text',
    required: false,
    labelZh: '还款人',
    labelEn: 'Payer',
    synonyms: ['还款人姓名', '付款人', '付款人姓名', '代还人', '打款人', '汇款人', 'payer name', 'paid by', 'remitter'],
  },
  {
    key: 'reference',
    type: 'text',
    required: false,
    labelZh: '流水号',
    labelEn: 'Reference',
    synonyms: [
      '交易流水号', '还款流水号', '回款流水号', '银行流水号', '交易编号', '交易号', '支付流水号', '凭证号', '流水',
      'transaction id', 'transaction no', 'reference no', 'ref no', 'serial no', 'txn id',
    ],
  },
]);
