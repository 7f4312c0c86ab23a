// A page whose backend went away says so — "server unavailable, retrying" — instead of going on as if nothing
// happened, and does not send again what it could not deliver (issue 16: loses nothing it was not told was saved).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, type BrowserSession } from './helpers/browser.js';
import { uiSteps } from './helpers/ui.js';

let host: WebHost;
let browser: BrowserSession;

describe('the backend goes away under an open page (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    const setup = await callApi(host, 'system.setup', { agencyName: '断线测试', admin: { username: 'admin', displayName: '管理员', password: 'first-password-1' } });
    await callApi(host, 'auth.logout', {}, setup.session.token);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('shows the banner once the page cannot reach it', async () => {
    const page = browser.page;
    await page.goto(host.url);
    await page.getByTestId('login-screen').waitFor();
    await uiSteps(browser).login('admin', 'first-password-1');
    await page.getByTestId('user-menu-button').waitFor();
    expect(await page.getByTestId('server-unavailable').count()).toBe(0);
    await host.stop();
    // The next thing the page asks for (the case list, and then its own timer) finds the backend gone.
    await page.getByTestId('nav-cases').click();
    const banner = page.getByTestId('server-unavailable');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain('正在重试');
    await browser.screenshot('server-unavailable-zh');
  });
});
