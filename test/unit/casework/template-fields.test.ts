// Issue 15's template fields: every money, plan, payment and address field is about the debt or the
// borrower, so a template addressed to a third party cannot use it; the hotline can be given to anyone.
import { describe, it, expect } from 'vitest';
import { checkTemplate, DEBT_FIELDS, DEFAULT_TEMPLATES, TEMPLATE_FIELDS } from '../../../shared/domain/casework/templates.js';

const NEW_DEBT = [
  'outstandingAmount', 'outstandingPrincipal', 'outstandingInterest', 'outstandingPenalty', 'outstandingFees', 'placedAmount',
  'nextInstallmentAmount', 'nextInstallmentDate', 'planTotal', 'paymentAccount', 'homeAddressMasked', 'workAddressMasked', 'registeredAddressMasked',
] as const;

describe('template fields (issue 15)', () => {
  it('refuses each money, plan, payment and address field in a third-party template, and accepts it for the borrower', () => {
    for (const f of NEW_DEBT) {
      expect(TEMPLATE_FIELDS).toContain(f);
      expect(DEBT_FIELDS).toContain(f);
      expect(checkTemplate(`您好 {{${f}}}`, 'third_party')).toEqual([expect.stringContaining(`cannot include {{${f}}}`)]);
      expect(checkTemplate(`您好 {{${f}}}`, 'borrower')).toEqual([]);
    }
    expect(checkTemplate('请回电 {{agencyHotline}}', 'third_party')).toEqual([]);
  });

  it('the built-in borrower templates state what is owed today, not the placed amount', () => {
    for (const t of DEFAULT_TEMPLATES.filter((x) => x.audience === 'borrower')) {
      expect(t.body).toContain('{{outstandingAmount}}');
      expect(t.body).not.toContain('{{overdueAmount}}');
      expect(checkTemplate(t.body, t.audience)).toEqual([]);
    }
  });
});
