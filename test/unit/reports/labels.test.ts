// The words a lender reads in its reports are the words the screens show: the shared label tables
// (shared/domain/reports/labels.ts, which core writes reports with) match the renderer's i18n tables.
import { describe, it, expect } from 'vitest';
import { en } from '../../../renderer/i18n/en.js';
import { zhCN } from '../../../renderer/i18n/zh-CN.js';
import { LABEL_TABLES, labelMaps, labelOf } from '../../../shared/domain/reports/labels.js';
import { STAGES } from '../../../shared/domain/casework/stages.js';
import { PLAN_KINDS, PLAN_STATUSES } from '../../../shared/domain/money/plans.js';
import { LEGAL_STATUSES } from '../../../shared/domain/money/legal.js';
import { CHANNELS } from '../../../shared/domain/casework/guardrails.js';
import { PAYMENT_CHANNELS } from '../../../shared/contract/money.js';

const at = (o: unknown, path: string): Record<string, string> => path.split('.').reduce((x, k) => (x as Record<string, unknown>)[k], o) as Record<string, string>;

const SCREENS: Record<string, string> = {
  stage: 'cases.stages',
  contactChannel: 'casework.channels',
  direction: 'casework.directions',
  planStatus: 'money.plans.statuses',
  planKind: 'money.plans.kinds',
  promiseState: 'money.promises.states',
  paymentChannel: 'money.payments.channels',
  paymentSource: 'repayments.commission.source',
  legalStatus: 'legal.statuses',
  recallSource: 'recalls.source',
};

describe('report labels', () => {
  it('are the labels the screens show, in both languages', () => {
    for (const [set, path] of Object.entries(SCREENS)) {
      const table = LABEL_TABLES[set as keyof typeof LABEL_TABLES];
      expect(Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v[0]])), `${set} zh`).toEqual(at(zhCN, path));
      expect(Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v[1]])), `${set} en`).toEqual(at(en, path));
    }
  });

  it('cover every code the store can hold', () => {
    const keys = (set: keyof typeof LABEL_TABLES) => Object.keys(LABEL_TABLES[set]).sort();
    expect(keys('stage')).toEqual([...STAGES].sort());
    expect(keys('status')).toEqual(['open', ...STAGES].sort());
    expect(keys('planKind')).toEqual([...PLAN_KINDS].sort());
    expect(keys('planStatus')).toEqual([...PLAN_STATUSES].sort());
    expect(keys('legalStatus')).toEqual([...LEGAL_STATUSES].sort());
    expect(keys('contactChannel')).toEqual([...CHANNELS].sort());
    expect(keys('paymentChannel')).toEqual([...PAYMENT_CHANNELS].sort());
  });

  it("take the agency's own outcome labels, and write an unknown code as it is", () => {
    const zh = labelMaps('zh', { promised_to_pay: { 'zh-CN': '已承诺', en: 'Promised' }, visited: { 'zh-CN': '已上门', en: 'Visited' } });
    expect(labelOf(zh.outcome, 'promised_to_pay')).toBe('已承诺');
    expect(labelOf(zh.outcome, 'no_answer')).toBe(at(zhCN, 'casework.outcomes').no_answer);
    expect(labelOf(zh.outcome, 'visited')).toBe('已上门');
    expect(labelOf(zh.stage, 'mystery')).toBe('mystery');
    const eng = labelMaps('en');
    expect(labelOf(eng.outcome, 'no_answer')).toBe(at(en, 'casework.outcomes').no_answer);
    expect(labelOf(eng.status, 'open')).toBe('Open');
  });
});
