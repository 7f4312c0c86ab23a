// Thousands separators in sentences: counts interpolated into the UI's strings come grouped in both
// languages ("共 12,345 个案件"), identifiers and row numbers stay as written.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en.js';
import { zhCN } from '../../renderer/i18n/zh-CN.js';
import { groupNumbers } from '../../renderer/i18n/numbers.js';

async function make(lng: 'zh-CN' | 'en', grouped: boolean) {
  const i = i18next.createInstance();
  await i.init({ lng, resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, interpolation: { escapeValue: false, alwaysFormat: grouped } });
  if (grouped) groupNumbers(i);
  return i.t;
}

describe('numbers in sentences', () => {
  it('are grouped by thousands in zh-CN and en; small numbers, ids and row numbers are not', async () => {
    // Without it (as before) the count is written 12345: the gap this closes.
    expect((await make('zh-CN', false))('cases.total', { count: 12345 })).toContain('12345');
    const zh = await make('zh-CN', true);
    const enT = await make('en', true);
    expect(zh('cases.total', { count: 12345 })).toContain('12,345');
    expect(zh('cases.total', { count: 1_234_567 })).toContain('1,234,567');
    expect(enT('cases.total', { count: 12345 })).toContain('12,345');
    expect(enT('cases.total', { count: 1 })).not.toContain('1,');
    expect(zh('audit.verifyOk', { count: 250_000 })).toContain('250,000');
    // Plurals still choose by the number, not its text.
    expect(enT('cases.total', { count: 1 })).toBe('1 case');
    expect(enT('cases.total', { count: 12345 })).toBe('12,345 cases');
    // Record ids and Excel row numbers are looked up as written.
    expect(enT('casework.logged', { id: 12345 })).toContain('#12345');
  });
});
