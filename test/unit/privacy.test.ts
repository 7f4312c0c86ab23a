// The privacy rules (shared/domain/privacy.ts): who may unmask what, when a finished case falls due for
// erasure, what a scrubbed history detail keeps, and the access report's CSV (the one CSV rule).
import { describe, it, expect } from 'vitest';
import { DEFAULT_RETENTION, erasureDueOn, retentionOf, scrubDetail, unmaskRefusal } from '../../shared/domain/privacy.js';
import { accessReportCsv } from '../../shared/domain/reports/access-csv.js';

const open = { holds: true, status: 'open', erased: false };

describe('unmaskRefusal', () => {
  it('admins and managers: any field of an open case', () => {
    for (const role of ['admin', 'manager'] as const) for (const f of ['idNumber', 'mobile', 'homeAddress', 'contact3', 'extra:银行卡号']) expect(unmaskRefusal(f, { ...open, role, holds: false })).toBeNull();
  });
  it('collectors: phones of their own cases only', () => {
    expect(unmaskRefusal('mobile', { ...open, role: 'collector' })).toBeNull();
    expect(unmaskRefusal('contact6', { ...open, role: 'collector' })).toBeNull();
    expect(unmaskRefusal('idNumber', { ...open, role: 'collector' })).toMatch(/phone/);
    expect(unmaskRefusal('extra:银行卡号', { ...open, role: 'collector' })).toMatch(/phone/);
    expect(unmaskRefusal('mobile', { ...open, role: 'collector', holds: false })).toMatch(/own/);
  });
  it('auditors never; nobody on a finished or erased case', () => {
    expect(unmaskRefusal('mobile', { ...open, role: 'auditor' })).toMatch(/Auditors/);
    for (const status of ['settled', 'closed', 'written_off', 'returned']) expect(unmaskRefusal('mobile', { ...open, role: 'admin', status })).toContain(status);
    expect(unmaskRefusal('mobile', { ...open, role: 'admin', erased: true })).toMatch(/erased/);
  });
});

describe('retention', () => {
  it('returned: 30 days, settled/closed/written off: 180 days by default; per lender JSON overrides; open never', () => {
    expect(retentionOf('{}')).toEqual(DEFAULT_RETENTION);
    expect(retentionOf('{"afterReturnedDays":7}')).toEqual({ afterReturnedDays: 7, afterSettledDays: 180 });
    expect(retentionOf('{"afterReturnedDays":-1,"afterSettledDays":"x"}')).toEqual(DEFAULT_RETENTION);
    expect(retentionOf('not json')).toEqual(DEFAULT_RETENTION);
    expect(erasureDueOn('returned', '2026-01-31', DEFAULT_RETENTION)).toBe('2026-03-02');
    expect(erasureDueOn('settled', '2026-01-01', DEFAULT_RETENTION)).toBe('2026-06-30');
    expect(erasureDueOn('written_off', '2026-01-01', { afterReturnedDays: 1, afterSettledDays: 0 })).toBe('2026-01-01');
    expect(erasureDueOn('open', '2026-01-01', DEFAULT_RETENTION)).toBeNull();
  });
});

describe('scrubDetail', () => {
  it('keeps structure, drops free text and re-placement values', () => {
    expect(JSON.parse(scrubDetail('stage', JSON.stringify({ from: 'contact', to: 'returned', reason: '张三说下月还', recallId: 3 })))).toEqual({ from: 'contact', to: 'returned', recallId: 3, erased: true });
    expect(JSON.parse(scrubDetail('replaced', JSON.stringify({ batchNo: 'B-2', changes: { mobile: ['13800000000', '13900000000'] } })))).toEqual({ batchNo: 'B-2', erased: true });
    expect(scrubDetail('x', 'not json')).toBe('{}');
  });
});

describe('accessReportCsv', () => {
  it('one row per view and unmask, formula-looking text neutralised', () => {
    const csv = accessReportCsv(
      { views: [{ at: '2026-11-21T02:00:00.000Z', user: 'm1', role: 'manager', caseNo: 'P1', holder: 'c1' }], unmasks: [{ at: '2026-11-21T03:00:00.000Z', user: 'c1', role: 'collector', caseNo: '=P1', field: 'mobile', reason: 'other', note: '=HYPERLINK("x")' }] },
      'en',
    );
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('kind,time (UTC),user,role,case no.,holder then,field,reason,note');
    expect(lines[1]).toBe('view,2026-11-21T02:00:00.000Z,m1,manager,P1,c1,,,');
    expect(lines[2]).toBe(`unmask,2026-11-21T03:00:00.000Z,c1,collector,'=P1,,mobile,other,"'=HYPERLINK(""x"")"`);
    expect(accessReportCsv({ views: [], unmasks: [] }, 'zh-CN')).toContain('案件编号');
  });
});
