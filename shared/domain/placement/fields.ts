// The canonical placement fields (委案字段) and the header spellings lenders use for them. To support a
// new spelling, add it to `synonyms`; case, spaces, punctuation, full-width forms and bracketed units
// like '(元)' are ignored when matching (see header-normalize.ts), so write each spelling once.
// A spelling must belong to one field only (a unit test checks this).

export type FieldType = 'text' | 'money' | 'date' | 'integer' | 'idNumber' | 'mobile' | 'phone' | 'gender' | 'percent';

export interface FieldDef<K extends string = string> {
  key: K;
  type: FieldType;
  required: boolean;
  labelZh: string;
  labelEn: string;
  synonyms: readonly string[];
}

const CONTACT_COUNT = 6;
const CONTACT_NUMBERS = [1, 2, 3, 4, 5, 6] as const;
type ContactNo = (typeof CONTACT_NUMBERS)[number];
type ContactPart = 'Name' | 'Relation' | 'Phone';
export type ContactFieldKey = `contact${ContactNo}${ContactPart}`;

const BASE_FIELDS = [
  f('caseNo', 'text', true, '案件编号', 'Case No.', [
    '个案序列号', '个案编号', '个案号', '案件号', '案件序列号', '委案编号', '委案号', '案件ID',
    '合同号', '合同编号', '借款合同号', '借款合同编号', '贷款合同号', '借据号', '借据编号',
    '贷款编号', '贷款账号', '借款编号', '借款单号', '订单号', '订单编号', '进件编号', '申请编号',
    '账户号', '账号', '卡号', '信用卡号',
    'case id', 'loan no', 'loan id', 'loan number', 'contract no', 'contract number', 'account no',
    'account number', 'order no', 'order id', 'iou no', 'reference no', 'ref no',
  ]),
  f('batchNo', 'text', false, '委案批次', 'Batch No.', ['批次号', '批次', '批次编号', '委案批次号', 'batch', 'batch id']),
  f('lender', 'text', false, '委托方', 'Lender', [
    '委托方名称', '委托机构', '委托公司', '委托单位', '贷款机构', '放款机构', '资金方', '债权人', 'creditor', 'client',
  ]),
  f('placementDate', 'date', false, '委案日期', 'Placement date', [
    '委案时间', '委托日期', '委外日期', '分案日期', '入催日期', 'assigned date', 'assign date', 'placed date',
  ]),
  f('placementEndDate', 'date', false, '委案到期日', 'Placement end date', [
    '委案截止日期', '委案截止日', '委托截止日期', '委托到期日', '退案日期', '留案到期日', 'recall date', 'placement expiry',
  ]),
  f('borrowerName', 'text', true, '借款人姓名', 'Borrower name', [
    '姓名', '借款人', '客户姓名', '客户名称', '客户名', '债务人', '债务人姓名', '持卡人', '持卡人姓名',
    '主借人姓名', '用户姓名', '真实姓名', '本人姓名', '贷款人姓名',
    'name', 'customer name', 'cust name', 'client name', 'full name', 'debtor name', 'borrower',
  ]),
  f('gender', 'gender', false, '性别', 'Gender', ['借款人性别', '客户性别', 'sex']),
  f('idType', 'text', false, '证件类型', 'ID type', ['证件种类', 'id type', 'document type', 'cert type']),
  f('idNumber', 'idNumber', true, '身份证号', 'ID number', [
    '身份证号码', '身份证', '证件号码', '证件号', '身份证件号码', '借款人身份证号', '借款人身份证号码',
    '客户身份证号', '客户身份证号码', '借款人证件号码', '客户证件号码', '本人身份证号',
    'id no', 'id card', 'id card no', 'id card number', 'identity number', 'national id', 'cert no',
    'certificate no', 'certificate number', 'document no',
  ]),
  f('mobile', 'mobile', true, '手机号', 'Mobile', [
    '手机号码', '手机', '本人手机', '本人手机号', '本人手机号码', '本人电话', '本人联系电话', '借款人手机',
    '借款人手机号', '借款人手机号码', '借款人电话', '客户手机', '客户手机号', '客户手机号码', '客户电话',
    '移动电话', '注册手机号', '联系电话', '电话', '电话号码', '联系方式',
    'mobile no', 'mobile number', 'mobile phone', 'cell phone', 'cellphone', 'phone', 'phone no',
    'phone number', 'tel', 'telephone',
  ]),
  f('homePhone', 'phone', false, '住宅电话', 'Home phone', ['家庭电话', '家庭座机', '住宅座机', '宅电', '家庭固话', 'home tel']),
  f('workPhone', 'phone', false, '单位电话', 'Work phone', [
    '公司电话', '工作单位电话', '办公电话', '单位座机', '单位固话', 'office phone', 'company phone', 'work tel',
  ]),
  f('homeAddress', 'text', false, '家庭地址', 'Home address', [
    '家庭住址', '居住地址', '住宅地址', '现居住地址', '现居地址', '现住址', '住址', '地址', '联系地址',
    '通讯地址', '本人地址', 'address', 'residential address', 'current address',
  ]),
  f('workAddress', 'text', false, '单位地址', 'Work address', [
    '公司地址', '工作地址', '工作单位地址', '办公地址', 'company address', 'office address', 'employer address',
  ]),
  f('registeredAddress', 'text', false, '户籍地址', 'Registered address', [
    '户籍地', '户籍所在地', '户口所在地', '户口地址', '身份证地址', '证件地址', '户籍住址',
    'hukou address', 'id address', 'permanent address',
  ]),
  f('employer', 'text', false, '工作单位', 'Employer', [
    '单位名称', '公司名称', '工作单位名称', '单位', '就职单位', '就职公司', '任职单位', 'company', 'company name', 'work unit',
  ]),
  f('loanAmount', 'money', false, '贷款金额', 'Loan amount', [
    '借款金额', '合同金额', '放款金额', '贷款本金', '借款本金', '合同本金', '授信金额', '分期金额',
    'principal amount', 'contract amount', 'disbursed amount', 'disbursement amount',
  ]),
  f('loanDate', 'date', false, '放款日期', 'Loan date', [
    '借款日期', '贷款日期', '放款日', '借款日', '放款时间', '借款时间', '贷款发放日', '贷款发放日期', '起贷日期',
    '合同签订日期', '合同开始日期', 'disbursement date', 'disbursed date', 'loan start date', 'issue date',
  ]),
  f('dueDate', 'date', false, '到期日', 'Due date', [
    '到期日期', '到期还款日', '应还款日', '应还款日期', '应还日期', '还款日', '还款日期', '还款到期日',
    '贷款到期日', '合同到期日', '借款到期日', 'maturity date', 'repayment date', 'payment due date',
  ]),
  f('loanTerm', 'integer', false, '总期数', 'Loan term', [
    '贷款期数', '借款期数', '分期期数', '期数', '借款期限', '贷款期限', 'total periods', 'tenor', 'term', 'installments',
  ]),
  f('interestRate', 'percent', false, '年利率', 'Interest rate', [
    '利率', '年化利率', '贷款利率', '执行利率', '借款利率', 'annual rate', 'apr', 'rate',
  ]),
  f('remainingPrincipal', 'money', false, '剩余本金', 'Remaining principal', [
    '未还本金', '剩余未还本金', '贷款余额', '本金余额', '在贷余额', '剩余应还本金', '待还本金', '剩余本金余额',
    '未还本金余额', '贷款本金余额', '剩余未还本金额', '剩余贷款本金', '待还本金余额',
    'outstanding principal', 'principal outstanding', 'principal balance', 'loan balance', 'unpaid principal',
    'outstanding loan balance', 'remaining principal balance', 'principal remaining',
  ]),
  f('overdueAmount', 'money', true, '逾期金额', 'Overdue amount', [
    '欠款金额', '委案金额', '应还金额', '逾期总金额', '逾期总额', '欠款总额', '欠款总金额', '总欠款',
    '总欠款金额', '欠款', '应还总额', '应还款总额', '应还款金额', '催收金额', '待还金额', '逾期应还金额',
    '逾期应还总额', '拖欠金额', '欠款余额', '账单金额', '应还总金额', '逾期应还总金额', '当前欠款', '当前欠款金额',
    '待还总额', '待还总金额', '剩余应还金额', '剩余应还总额', '未还金额', '未还总额', '欠款总计', '应还未还金额',
    'amount due', 'total due', 'total amount due', 'outstanding amount', 'outstanding balance', 'overdue balance',
    'balance', 'balance due', 'current balance', 'total balance', 'amount owed', 'total owed', 'debt amount', 'arrears',
    'total overdue', 'total outstanding', 'past due amount', 'amount past due',
  ]),
  f('overduePrincipal', 'money', false, '逾期本金', 'Overdue principal', [
    '欠款本金', '拖欠本金', '应还本金', '逾期应还本金', '到期未还本金', '逾期未还本金',
    'principal due', 'principal overdue', 'past due principal', 'principal in arrears', 'principal arrears',
  ]),
  f('overdueInterest', 'money', false, '逾期利息', 'Overdue interest', [
    '欠款利息', '应还利息', '拖欠利息', '逾期应还利息', '利息', '未还利息', '逾期未还利息', '应还未还利息',
    'interest due', 'interest', 'interest outstanding', 'outstanding interest', 'accrued interest', 'past due interest',
  ]),
  f('overduePenalty', 'money', false, '罚息', 'Penalty interest', [
    '逾期罚息', '罚息金额', '应还罚息', '欠款罚息', '未还罚息', '罚金', '逾期罚金',
    'penalty', 'penalties', 'penalty interest', 'penalty due', 'default interest',
  ]),
  f('overdueLateFee', 'money', false, '滞纳金', 'Late fee', [
    '逾期滞纳金', '应还滞纳金', '违约金', '逾期违约金', '逾期费', '逾期费用', '滞纳金额', '未还滞纳金',
    'late fees', 'late charge', 'late charges', 'late payment fee', 'overdue fee', 'late fee due',
  ]),
  f('daysOverdue', 'integer', false, '逾期天数', 'Days overdue', [
    '逾期天', '逾期日数', '拖欠天数', '当前逾期天数', '账龄天数', 'overdue days', 'dpd', 'days past due',
  ]),
  f('overduePeriods', 'integer', false, '逾期期数', 'Overdue periods', [
    '逾期期次', '拖欠期数', '当前逾期期数', '逾期月数', 'overdue terms', 'overdue installments',
  ]),
  f('paidPeriods', 'integer', false, '已还期数', 'Paid periods', [
    '已还款期数', '已还期次', '已还月数', 'paid terms', 'paid installments',
  ]),
  f('lastPaymentDate', 'date', false, '最后还款日期', 'Last payment date', [
    '最近还款日期', '最近还款日', '最后一次还款日期', '最近一次还款日期', '最后还款时间', '最近还款时间',
    '上次还款日期', '最后缴款日期', 'last paid date', 'last repayment date',
  ]),
  f('lastPaymentAmount', 'money', false, '最后还款金额', 'Last payment amount', [
    '最近还款金额', '最后一次还款金额', '最近一次还款金额', '上次还款金额', '最后缴款金额',
    'last paid amount', 'last repayment amount',
  ]),
  f('productName', 'text', false, '产品名称', 'Product name', [
    '产品', '产品类型', '贷款产品', '借款产品', '贷款品种', '产品名', 'product', 'product type',
  ]),
  f('placementAmount', 'money', false, '委托金额', 'Placement amount', [
    '委外金额', '分案金额', '入催金额', '委案总金额', 'assigned amount', 'amount placed',
  ]),
  f('notes', 'text', false, '备注', 'Notes', [
    '催收记录', '备注信息', '历史催收记录', '催记', '说明', 'note', 'remark', 'remarks', 'comment',
    'comments', 'collection notes',
  ]),
] as const;

export type BaseFieldKey = (typeof BASE_FIELDS)[number]['key'];
export type PlacementFieldKey = BaseFieldKey | ContactFieldKey;

const ZH_NUMERALS = ['一', '二', '三', '四', '五', '六'];

/** How files name contact n's columns: a prefix ('联系人1', '第一联系人', 'contact 1' …) + a suffix. */
function contactFields(n: ContactNo): FieldDef<ContactFieldKey>[] {
  const zh = ZH_NUMERALS[n - 1] ?? String(n);
  const prefixes = [
    `联系人${n}`, `联系人${zh}`, `第${n}联系人`, `第${zh}联系人`, `紧急联系人${n}`, `紧急联系人${zh}`,
    `第${zh}紧急联系人`, `亲属联系人${n}`, `contact${n}`, `emergency contact${n}`, `ec${n}`,
  ];
  // Unnumbered spellings mean the first contact.
  if (n === 1) prefixes.push('联系人', '紧急联系人', '亲属联系人', 'contact', 'emergency contact');
  const parts: [ContactPart, string, string, string[], string[]][] = [
    ['Name', '姓名', 'name', ['姓名', '名称', '名字', '名'], ['name']],
    ['Relation', '关系', 'relation', ['关系', '与本人关系', '与借款人关系', '与客户关系', '关系类型'], ['relation', 'relationship']],
    ['Phone', '电话', 'phone', ['电话', '手机', '手机号', '手机号码', '电话号码', '联系电话', '号码', '联系方式'], ['phone', 'mobile', 'tel', 'phone no']],
  ];
  return parts.map(([part, zhLabel, enLabel, zhSuffixes, enSuffixes]) => {
    const synonyms: string[] = [];
    for (const p of prefixes) for (const s of /^[a-z]/.test(p) ? enSuffixes : zhSuffixes) synonyms.push(`${p} ${s}`);
    if (n === 1 && part === 'Relation') synonyms.push('与本人关系', '与借款人关系', '与客户关系');
    return f(`contact${n}${part}`, part === 'Phone' ? 'phone' : 'text', false, `联系人${n}${zhLabel}`, `Contact ${n} ${enLabel}`, synonyms);
  });
}

function f<K extends string>(
  key: K,
  type: FieldType,
  required: boolean,
  labelZh: string,
  labelEn: string,
  synonyms: readonly string[],
): FieldDef<K> {
  return { key, type, required, labelZh, labelEn, synonyms };
}

export const PLACEMENT_FIELDS: readonly FieldDef<PlacementFieldKey>[] = Object.freeze([
  ...BASE_FIELDS,
  ...CONTACT_NUMBERS.slice(0, CONTACT_COUNT).flatMap(contactFields),
]);
