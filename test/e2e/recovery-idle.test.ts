// Recovery with the recovery key, the idle-lock setting, and the idle lock itself (with a fake page clock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';

let host: WebHost;
let browser: BrowserSession;
let page: Page;
let recoveryKey = '';

describe('recovery key and idle lock (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    // Seed through the API: this journey is about what comes after setup.
    const setup = await callApi(host, 'system.setup', {
      agencyName: 'Recovery Test Agency',
      admin: { username: 'admin', displayName: 'Ada Admin', password: 'first-password-1' },
    });
    recoveryKey = setup.recoveryKey;
    await callApi(host, 'auth.logout', {}, setup.session.token);
    browser = await launchBrowser({ locale: 'en-US' });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('recovers with the key, locks after the idle time set in Settings, and reports lockouts', async () => {
    try {
      // Without the token in the link, the page says where to get one.
      await page.goto(`${host.origin}/`);
      await eventually(() => page.getByTestId('no-token-screen').textContent()).toContain('npm run web');

      await page.clock.install();
      await page.goto(host.url);
      await page.getByTestId('login-screen').waitFor();
      // English from navigator.language.
      expect(await page.getByTestId('login-submit').textContent()).toBe('Log in');

      // Recovery: the key (typed in lower case with spaces is fine), the user, a new password.
      await page.getByTestId('login-forgot').click();
      await page.getByTestId('recover-key').fill('not a key');
      await page.getByTestId('recover-username').fill('admin');
      await page.getByTestId('recover-password').fill('second-password-2');
      await page.getByTestId('recover-confirm').fill('second-password-2');
      await page.getByTestId('recover-submit').click();
      await eventually(() => page.getByTestId('recover-screen').textContent()).toContain('Not a valid recovery key');
      await page.getByTestId('recover-key').fill(recoveryKey.toLowerCase().replaceAll('-', ' '));
      await page.getByTestId('recover-submit').click();
      await page.getByTestId('page-home').waitFor({ timeout: 30_000 });

      // Settings: lock after 1 minute.
      await page.getByTestId('nav-settings').click();
      const minutes = page.getByTestId('settings-idle-minutes');
      await eventually(() => minutes.inputValue()).not.toBe('');
      await minutes.fill('0');
      expect(await page.getByTestId('settings-save').isDisabled()).toBe(true);
      await minutes.fill('1');
      await page.getByTestId('settings-save').click();
      await eventually(() => page.getByTestId('notification').textContent()).toContain('Settings saved');
      await browser.screenshot('10-settings-en');

      // No activity for a minute: logged out, with the reason.
      await page.clock.fastForward('01:10');
      await page.getByTestId('login-screen').waitFor();
      expect(await page.getByTestId('login-notice').textContent()).toContain('Locked after inactivity');
      await browser.screenshot('11-locked-idle-en');

      // The lock keeps the username (issue 18), and the new password brings back the screen it locked on.
      expect(await page.getByTestId('login-username').inputValue()).toBe('admin');
      await page.getByTestId('login-password').fill('second-password-2');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('page-settings').waitFor({ timeout: 30_000 });
      await eventually(() => page.getByTestId('settings-idle-minutes').inputValue()).toBe('1');
      // Log out; the username is not kept then. A locked-out account then says how long to wait (after 3 free failures);
      // the first wrong try is the old password, which recovery replaced.
      await page.getByTestId('user-menu-button').click();
      await page.getByTestId('menu-logout').click();
      await page.getByTestId('login-screen').waitFor();
      expect(await page.getByTestId('login-username').inputValue()).toBe('');
      for (let i = 0; i < 4; i++) {
        await page.getByTestId('login-username').fill('admin');
        await page.getByTestId('login-password').fill(i === 0 ? 'first-password-1' : `wrong-${i}`);
        await page.getByTestId('login-submit').click();
        await page.getByTestId('login-error').waitFor();
        // The fields are disabled while the request runs; the submit button also during a lockout.
        await page.waitForFunction(() => !(document.querySelector('[data-testid="login-username"]') as HTMLInputElement).disabled);
      }
      await eventually(() => page.getByTestId('login-error').textContent()).toMatch(/(Try again|Next attempt allowed) in \d+ s/);
      expect(await page.getByTestId('login-submit').isDisabled()).toBe(true);
      await browser.screenshot('12-lockout-en');
      // The countdown ends and the button comes back.
      await eventually(() => page.getByTestId('login-submit').isEnabled(), 20_000).toBe(true);

      expect(browser.errors).toEqual([]);
    } catch (e) {
      await browser.screenshot('failure-recovery-idle').catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});
