import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { applyTemplate, autoMap } from '../../../shared/domain/placement/auto-map.js';
import { PLACEMENT_FIELDS, type FieldDef } from '../../../shared/domain/placement/fields.js';
import { normalizeHeader } from '../../../shared/domain/placement/header-normalize.js';
import { findHeaderRow } from '../../../shared/domain/placement/header-row.js';

describe('normalizeHeader', () => {
  it('ignores case, width, spacing, punctuation, required markers and bracketed units', () => {
    expect(normalizeHeader(' 逾期金额（元）* ')).toBe('逾期金额');
    expect(normalizeHeader('逾期金额(元)')).toBe('逾期金额');
    expect(normalizeHeader('【必填】客户姓名')).toBe('客户姓名');
    expect(normalizeHeader('Customer_Name')).toBe('customername');
    expect(normalizeHeader('ＩＤ　Ｎｏ．')).toBe('idno');
    expect(normalizeHeader('联系人①姓名')).toBe('联系人1姓名');
    expect(normalizeHeader('(备注)')).toBe('备注');
    expect(normalizeHeader('')).toBe('');
  });
});

describe('the field table', () => {
  it('gives every spelling to one field only', () => {
    const owner = new Map<string, string>();
    for (const f of PLACEMENT_FIELDS) {
      for (const name of new Set([f.key, f.labelZh, f.labelEn, ...f.synonyms].map(normalizeHeader))) {
        expect(name, `${f.key}: empty spelling`).not.toBe('');
        const prior = owner.get(name);
        expect(prior === undefined || prior === f.key, `'${name}' is claimed by ${prior} and ${f.key}`).toBe(true);
        owner.set(name, f.key);
      }
    }
  });
  it('has unique keys, the required fields, and six contacts', () => {
    const keys = PLACEMENT_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(PLACEMENT_FIELDS.filter((f) => f.required).map((f) => f.key)).toEqual([
      'caseNo', 'borrowerName', 'idNumber', 'mobile', 'overdueAmount',
    ]);
    expect(keys).toContain('contact6Phone');
    expect(keys).not.toContain('contact7Name');
    expect(PLACEMENT_FIELDS.find((f) => f.key === 'contact1Phone')?.type).toBe('phone');
    expect(PLACEMENT_FIELDS.find((f) => f.key === 'contact2Name')?.synonyms).toContain('联系人二 姓名');
  });
});

describe('autoMap', () => {
  it('maps a Chinese bank file', () => {
    const headers = [
      '序号', '个案序列号', '客户姓名', '性别', '证件号码', '手机号码', '家庭地址', '单位名称', '单位地址', '单位电话',
      '户籍地址', '卡号', '委案金额(元)', '本金（元）', '利息', '罚息', '滞纳金', '逾期天数', '账龄', '最后还款日期',
      '最后还款金额', '委案日期', '联系人1姓名', '联系人1关系', '联系人1电话', '联系人2姓名', '与本人关系',
      '联系人二手机', '备注',
    ];
    const r = autoMap(headers);
    expect(r.mapping).toEqual({
      caseNo: 1, placementDate: 21, borrowerName: 2, gender: 3, idNumber: 4, mobile: 5, workPhone: 9,
      homeAddress: 6, workAddress: 8, registeredAddress: 10, employer: 7, overdueAmount: 12,
      overdueInterest: 14, overduePenalty: 15, overdueLateFee: 16, daysOverdue: 17, lastPaymentDate: 19,
      lastPaymentAmount: 20, notes: 28,
      contact1Name: 22, contact1Relation: 23, contact1Phone: 24, contact2Name: 25, contact2Phone: 27,
    });
    // 序号 and 账龄 are not fields; 卡号 repeats the case number; 本金 alone is ambiguous; 与本人关系
    // means contact 1's relation, already taken.
    expect(r.unmappedHeaders).toEqual([0, 11, 13, 18, 26]);
    expect(r.missingRequired).toEqual([]);
    expect(r.confidence.caseNo).toBe('synonym');
    expect(r.confidence.gender).toBe('exact');
    expect(r.confidence.overdueAmount).toBe('synonym');
  });

  it('maps an online lender’s English file', () => {
    const headers = [
      'loan_id', 'customer_name', 'id_no', 'mobile', 'gender', 'product_name', 'loan_amount', 'loan_date', 'due_date',
      'overdue_days', 'overdue_principal', 'overdue_interest', 'penalty', 'late_fee', 'total_due', 'paid_periods',
      'overdue_periods', 'last_repay_date', 'contact1_name', 'contact1_relation', 'contact1_mobile',
      'Contact 2 Name', 'Contact 2 Phone', 'company', 'remark', 'channel',
    ];
    const r = autoMap(headers);
    expect(r.mapping).toEqual({
      caseNo: 0, borrowerName: 1, gender: 4, idNumber: 2, mobile: 3, employer: 23, loanAmount: 6, loanDate: 7,
      dueDate: 8, overdueAmount: 14, overduePrincipal: 10, overdueInterest: 11, overduePenalty: 12,
      overdueLateFee: 13, daysOverdue: 9, overduePeriods: 16, paidPeriods: 15, lastPaymentDate: 17,
      productName: 5, notes: 24, contact1Name: 18, contact1Relation: 19, contact1Phone: 20, contact2Name: 21,
      contact2Phone: 22,
    });
    expect(r.confidence).toMatchObject({ mobile: 'exact', caseNo: 'synonym', lastPaymentDate: 'fuzzy', contact2Phone: 'exact' });
    expect(r.unmappedHeaders).toEqual([25]);
    expect(r.missingRequired).toEqual([]);
  });

  it('maps a mixed file found under a title row, with fuzzy matches', () => {
    const rows = [
      ['XX银行2025年3月委案明细', '', '', '', '', '', '', '', '', '', '', ''],
      ['', '', '', '', '', '', '', '', '', '', '', ''],
      ['导出时间：2025-03-21', '', '', '', '', '', '', '', '', '', '', ''],
      ['案件编号', '借款人姓名', 'ID No.', '手机号*', '逾期总欠款（元）', '逾期天数', 'Due Date', '紧急联系人姓名',
        '紧急联系人电话', '第二联系人姓名', '第二联系人电话', '借款人身份证地址'],
      ['C001', '张三', '11010519491231002X', '13812345678', '1,234.56', '35', '2025/2/14', '李四', '13912345678', '王五', '', ''],
    ];
    const found = findHeaderRow(rows);
    expect(found).toEqual({ ok: true, index: 3, matched: 10 });
    const r = autoMap(rows[3] ?? []);
    expect(r.mapping).toEqual({
      caseNo: 0, borrowerName: 1, idNumber: 2, mobile: 3, registeredAddress: 11, dueDate: 6, overdueAmount: 4,
      daysOverdue: 5, contact1Name: 7, contact1Phone: 8, contact2Name: 9, contact2Phone: 10,
    });
    expect(r.confidence).toMatchObject({ caseNo: 'exact', overdueAmount: 'fuzzy', registeredAddress: 'fuzzy', idNumber: 'synonym' });
    expect(r.unmappedHeaders).toEqual([]);
  });

  it('prefers an exact label to an earlier synonym, and the first of two equal columns', () => {
    const r = autoMap(['手机', '手机号', '姓名', '客户姓名', '姓名']);
    expect(r.mapping).toMatchObject({ mobile: 1, borrowerName: 2 });
    expect(r.confidence).toMatchObject({ mobile: 'exact', borrowerName: 'synonym' });
    expect(r.unmappedHeaders).toEqual([0, 3, 4]);
  });

  it('lists the required fields it could not find, and ignores blank headers', () => {
    const r = autoMap(['姓名', '', '  ', '随便']);
    expect(r.missingRequired).toEqual(['caseNo', 'idNumber', 'mobile', 'overdueAmount']);
    expect(r.unmappedHeaders).toEqual([3]);
  });

  it('maps any shuffled set of canonical labels exactly, whatever their order', () => {
    const labels = PLACEMENT_FIELDS.map((f) => [f.key, f.labelZh] as const);
    fc.assert(
      fc.property(fc.shuffledSubarray(labels, { minLength: 1 }), (subset) => {
        const r = autoMap(subset.map(([, label]) => label));
        subset.forEach(([key], col) => {
          expect(r.mapping[key]).toBe(col);
          expect(r.confidence[key]).toBe('exact');
        });
        expect(r.unmappedHeaders).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('works with a custom field table', () => {
    const fields: FieldDef<'ref' | 'who'>[] = [
      { key: 'ref', type: 'text', required: true, labelZh: '编号', labelEn: 'Ref', synonyms: ['单号'] },
      { key: 'who', type: 'text', required: true, labelZh: '名字', labelEn: 'Who', synonyms: [] },
    ];
    expect(autoMap(['单号', 'x'], fields)).toEqual({
      mapping: { ref: 0 }, confidence: { ref: 'synonym' }, unmappedHeaders: [1], missingRequired: ['who'],
    });
  });
});

describe('applyTemplate', () => {
  const headers = ['流水号', '客户', '证件', '电话1', '电话2', '逾期金额', '逾期天数'];

  it('uses the saved headers first and auto-maps the rest', () => {
    const r = applyTemplate(headers, { caseNo: '流水号', borrowerName: ' 客户 ', idNumber: '证件', mobile: '电话2' });
    expect(r.mapping).toEqual({ caseNo: 0, borrowerName: 1, idNumber: 2, mobile: 4, overdueAmount: 5, daysOverdue: 6 });
    expect(r.confidence).toMatchObject({ caseNo: 'template', mobile: 'template', overdueAmount: 'exact' });
    expect(r.unmappedHeaders).toEqual([3]);
    expect(r.missingRequired).toEqual([]);
  });

  it('falls back to autoMap for a saved header that is gone', () => {
    const r = applyTemplate(['案件编号', '姓名'], { caseNo: '旧编号列', borrowerName: '姓名' });
    expect(r.mapping).toEqual({ caseNo: 0, borrowerName: 1 });
    expect(r.confidence).toEqual({ caseNo: 'exact', borrowerName: 'template' });
  });

  it('is autoMap when the template is empty', () => {
    expect(applyTemplate(headers, {})).toEqual(autoMap(headers));
  });
});

describe('findHeaderRow', () => {
  it('explains when no row looks like a header', () => {
    const r = findHeaderRow([['XX银行委案明细'], [], ['姓名', '手机号', 'foo']]);
    expect(r.ok).toBe(false);
    expect(r.index).toBe(-1);
    expect(r.reason).toMatch(/no header row found.*at least 3.*best: 2/);
  });
  it('looks at the first 20 rows only', () => {
    const rows: string[][] = Array.from({ length: 20 }, () => ['']);
    rows.push(['案件编号', '姓名', '身份证号', '手机号']);
    expect(findHeaderRow(rows).index).toBe(-1);
    rows.splice(0, 1);
    expect(findHeaderRow(rows)).toEqual({ ok: true, index: 19, matched: 4 });
  });
  it('prefers the row naming the most fields, the first on a tie', () => {
    const rows = [['姓名', '手机号', '身份证号'], ['案件编号', '姓名', '手机号', '身份证号'], ['案件编号', '姓名', '手机号', '身份证号']];
    expect(findHeaderRow(rows).index).toBe(1);
  });
  it('does not count one field twice', () => {
    expect(findHeaderRow([['姓名', '客户姓名', '借款人姓名', '手机号']]).ok).toBe(false);
  });
});
