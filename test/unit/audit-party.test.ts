// The audit log in words, as an auditor read it on the first day (session 18): a logged call's details said
// "对象: borrower" — the party was the one code left in English among 电话 / 呼出 / 无人接听.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { describeAudit } from '../../renderer/audit/words.js';
import { en } from '../../renderer/i18n/en.js';
import { zhCN } from '../../renderer/i18n/zh-CN.js';
import type { AuditEntry } from '../../shared/contract/models.js';

async function translator(lng: 'zh-CN' | 'en') {
  const i = i18next.createInstance();
  await i.init({ lng, resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, interpolation: { escapeValue: false } });
  return i.t;
}

const entry = (action: string, detail: Record<string, unknown>): AuditEntry => ({
  seq: 1, at: '2026-12-07T10:25:10.000Z', actorId: 3, actor: 'zhangsan', host: 'web@pc', action, entity: 'case', entityId: '3', detail, hash: 'x',
});

describe('the party of a contact in the audit log', () => {
  it('is a word in both languages, for a call logged and for one refused', async () => {
    const zh = await translator('zh-CN');
    const enT = await translator('en');
    for (const action of ['contacts.log', 'contacts.refused']) {
      for (const [party, zhWord, enWord] of [['borrower', '本人', 'borrower'], ['contact', '联系人', 'contact']] as const) {
        const e = entry(action, { channel: 'phone', party, direction: 'outbound', outcome: 'no_answer' });
        expect(describeAudit(zh, e, 'zh-CN').fields.find((f) => f.key === 'party')?.value, `${action} ${party}`).toBe(zhWord);
        expect(describeAudit(enT, e, 'en').fields.find((f) => f.key === 'party')?.value).toBe(enWord);
      }
    }
  });
});
