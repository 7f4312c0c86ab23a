// What of an audit entry's detail is structure (kept in the chain) and what is free text (erasable):
// shared/domain/audit-text.ts. An allow-list: anything typed, or any key nobody listed, is text.
import { describe, it, expect } from 'vitest';
import { auditCaseOf, mergeAuditText, splitAuditDetail } from '../../shared/domain/audit-text.js';

describe('splitAuditDetail', () => {
  it('keeps codes, ids, amounts, dates and the case number; moves reasons, notes and names to the text', () => {
    const d = { from: 'new', to: 'paused', pauseReason: 'hardship', reason: '王小明住院 13912345678', caseNo: 'ZA-001', amountFen: 1200, on: true, note: null };
    const { kept, text } = splitAuditDetail(d);
    expect(kept).toEqual({ from: 'new', to: 'paused', pauseReason: 'hardship', caseNo: 'ZA-001', amountFen: 1200, on: true, note: null });
    expect(text).toEqual({ reason: '王小明住院 13912345678' });
    expect(mergeAuditText(kept, text!)).toEqual(d);
  });

  it('an unknown key is text; a code-like key holding a long value is text too', () => {
    const { kept, text } = splitAuditDetail({ lawyer: '张律师', outcome: 'x'.repeat(41), channel: 'phone' });
    expect(kept).toEqual({ channel: 'phone' });
    expect(Object.keys(text!).sort()).toEqual(['lawyer', 'outcome']);
  });

  it("an unmask's reason is kept when it is one of the listed codes, and is text otherwise", () => {
    expect(splitAuditDetail({ reason: 'dial', note: '核对号码' })).toEqual({ kept: { reason: 'dial' }, text: { note: '核对号码' } });
    expect(splitAuditDetail({ reason: 'dial him at home' }).text).toEqual({ reason: 'dial him at home' });
  });

  it('nested objects split key by key; arrays stay whole when plain, else go to the text whole', () => {
    const d = {
      before: { court: '朝阳法院', nextDate: null, status: 'filed' },
      rules: ['quiet_hours', 'daily_connected_cap'],
      cases: [{ caseId: 3, from: null, to: 7 }],
      documents: [{ name: '王小明身份证.jpg', bytes: 10 }],
    };
    const { kept, text } = splitAuditDetail(d);
    expect(kept).toEqual({ before: { nextDate: null, status: 'filed' }, rules: ['quiet_hours', 'daily_connected_cap'], cases: [{ caseId: 3, from: null, to: 7 }] });
    expect(text).toEqual({ before: { court: '朝阳法院' }, documents: [{ name: '王小明身份证.jpg', bytes: 10 }] });
    expect(mergeAuditText(kept, text!)).toEqual(d);
  });

  it('no text at all: undefined, and undefined values are dropped as JSON drops them', () => {
    expect(splitAuditDetail({ paymentId: 4, amountFen: 100, cases: undefined })).toEqual({ kept: { paymentId: 4, amountFen: 100 }, text: undefined });
  });
});

describe('auditCaseOf', () => {
  it('entity case, a caseId in the detail, several cases through their rows, or none', () => {
    expect(auditCaseOf('cases.move', 'case', '12', {})).toBe(12);
    expect(auditCaseOf('plans.paid', 'plan', '3', { caseId: 9 })).toBe(9);
    expect(auditCaseOf('assign.manual', 'assignment', '5', { note: 'x' })).toBeNull();
    expect(auditCaseOf('recalls.recall', 'lender', '1', {})).toBeNull();
    expect(auditCaseOf('users.create', 'user', '2', { username: 'a' })).toBeUndefined();
  });
});
