// Template rules: unknown fields, no full ID number, nothing about the debt to a third party.
import { describe, it, expect } from 'vitest';
import { checkTemplate, renderTemplate, DEFAULT_TEMPLATES, placeholdersOf } from '../../../shared/domain/casework/templates.js';

describe('message templates', () => {
  it('every default template keeps the rules', () => {
    for (const t of DEFAULT_TEMPLATES) expect(checkTemplate(t.body, t.audience), t.name).toEqual([]);
  });
  it('refuses debt fields in a third-party template, but not in a borrower one', () => {
    const body = '{{contactName}}您好，{{borrowerName}}欠款{{overdueAmount}}元';
    expect(checkTemplate(body, 'borrower')).toEqual([]);
    expect(checkTemplate(body, 'third_party')).toEqual(["A message to a third party cannot include {{overdueAmount}}: it would disclose the debt or the borrower's data."]);
    expect(checkTemplate('{{ idNumberMasked }}', 'third_party')).toHaveLength(1);
  });
  it('has no full ID number field, and refuses one typed into the text', () => {
    expect(checkTemplate('{{idNumber}}', 'borrower')[0]).toMatch(/^Unknown field \{\{idNumber\}\}/);
    expect(checkTemplate('身份证 11010519491231002X', 'borrower')).toEqual(['The text contains what looks like a full ID number.']);
  });
  it('fills placeholders, spaces allowed, missing values empty', () => {
    expect(renderTemplate('{{ borrowerName }}：{{overdueAmount}}元{{dueDate}}', { borrowerName: '张三', overdueAmount: '1,234.56' })).toBe('张三：1,234.56元');
    expect(placeholdersOf('{{a}} {{ b }} {{a}}')).toEqual(['a', 'b']);
  });
});
