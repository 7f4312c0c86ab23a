// A collector who logs in (or uses the recovery key) on a team server no administrator has unlocked yet is told the
// server is locked, in the page's language — not "this account is disabled", which the login screen says for any
// other refusal of a login (issue 16: "anyone else is told the server is locked").
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { describeError } from '../../renderer/errors.js';
import { ApiCallError } from '../../renderer/api/client.js';
import { en } from '../../renderer/i18n/en.js';
import { zhCN } from '../../renderer/i18n/zh-CN.js';
import { serverLockedRefusal } from '../../server/app.js';

async function t(lng: 'zh-CN' | 'en') {
  const i = i18next.createInstance();
  await i.init({ lng, resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } }, interpolation: { escapeValue: false } });
  return i.t.bind(i);
}

describe('the team server’s "locked" refusal of a login', () => {
  it('reads as the server being locked on the login and recovery screens, in both languages', async () => {
    const zh = await t('zh-CN');
    const english = await t('en');
    const login = serverLockedRefusal('auth.login', 'li');
    expect(login.code).toBe('FORBIDDEN');
    const shown = describeError(zh, new ApiCallError('auth.login', login), 'login');
    expect(shown).not.toBe(zh('errors.ACCOUNT_DISABLED'));
    expect(shown).toMatch(/锁定/);
    expect(describeError(english, new ApiCallError('auth.login', login), 'login')).toMatch(/locked/);
    // A recovery has already set the user's new password: it says so, and that the server is still locked.
    const recovered = describeError(zh, new ApiCallError('auth.recover', serverLockedRefusal('auth.recover', 'li')), 'login');
    expect(recovered).toMatch(/li/);
    expect(recovered).toMatch(/锁定/);
    // Any other refusal of a login still reads as a disabled account.
    expect(describeError(zh, new ApiCallError('auth.login', { code: 'FORBIDDEN', message: 'This account is disabled. Ask an administrator.' }), 'login')).toBe(zh('errors.ACCOUNT_DISABLED'));
  });
});
