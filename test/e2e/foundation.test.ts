// The foundation journey in a real browser against the built web host:
// first-run setup → recovery key → logout → wrong and right login → teams and users → audit log →
// language switch → a collector sees only what a collector may.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';

const AGENCY = '华信催收服务有限公司';
const ADMIN = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const COLLECTOR = { username: 'zhangsan', displayName: '张三', password: 'Zhangsan-pass-1' };
const TEAM = 'M1组';
const RECOVERY_KEY = /^[A-Z2-7]{4}(-[A-Z2-7]{1,4}){12}$/;

let host: WebHost;
let browser: BrowserSession;
let page: Page;

async function login(username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

async function logout(): Promise<void> {
  await page.getByTestId('user-menu-button').click();
  await page.getByTestId('menu-logout').click();
  await page.getByTestId('login-screen').waitFor();
}

async function switchLanguage(lang: 'zh-CN' | 'en'): Promise<void> {
  await page.getByTestId('language-button').click();
  await page.getByTestId(`language-${lang}`).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

describe('foundation journey (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    browser = await launchBrowser({ locale: 'zh-CN' });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('sets up, logs in, manages users and teams, and hides what a collector may not use', async () => {
    try {
      await journey();
    } catch (e) {
      // Leave evidence: where the page was, what the host printed, what the page complained about.
      await browser.screenshot('failure').catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});

async function journey(): Promise<void> {
  {
    // The token travels in the fragment and is removed from the address bar.
    await page.goto(host.url);
    await page.getByTestId('setup-screen').waitFor();
    expect(page.url()).not.toContain('token=');

    // --- First-run setup (zh-CN from navigator.language), with a field error first.
    await page.getByTestId('setup-agency-name').fill(AGENCY);
    await page.getByTestId('setup-username').fill(ADMIN.username);
    await page.getByTestId('setup-display-name').fill(ADMIN.displayName);
    await page.getByTestId('setup-password').fill(ADMIN.password);
    await page.getByTestId('setup-confirm').fill('something-else');
    await page.getByTestId('setup-submit').click();
    await eventually(() => page.getByTestId('setup-screen').textContent()).toContain('两次输入的密码不一致');
    await page.getByTestId('setup-confirm').fill(ADMIN.password);
    await browser.screenshot('01-setup-zh');
    await page.getByTestId('setup-submit').click();

    // --- Recovery key, shown once; Continue needs the checkbox.
    const keyBox = page.getByTestId('recovery-key');
    await keyBox.waitFor({ timeout: 30_000 });
    const key = (await keyBox.textContent())?.trim() ?? '';
    expect(key).toMatch(RECOVERY_KEY);
    expect(await page.getByTestId('recovery-key-continue').isDisabled()).toBe(true);
    await browser.screenshot('02-recovery-key-zh');
    await page.getByTestId('recovery-key-confirm').check();
    await page.getByTestId('recovery-key-continue').click();

    // --- Shell, logged in as the admin.
    await page.getByTestId('page-home').waitFor();
    expect(await page.getByTestId('appbar-agency-name').textContent()).toBe(AGENCY);
    expect(await page.getByTestId('current-user-name').textContent()).toBe(ADMIN.displayName);
    expect(await page.getByTestId('current-user-role').textContent()).toBe('管理员');
    expect(await page.getByTestId('home-agency-name').textContent()).toBe(AGENCY);
    for (const id of ['home', 'users', 'audit', 'system', 'settings']) expect(await page.getByTestId(`nav-${id}`).count()).toBe(1);
    await browser.screenshot('03-home-admin-zh');

    // --- Log out, a wrong password, then the right one.
    await logout();
    expect(await page.getByTestId('login-notice').textContent()).toContain('您已退出登录');
    await login(ADMIN.username, 'not-the-password');
    await eventually(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    await browser.screenshot('04-login-error-zh');
    await login(ADMIN.username, ADMIN.password);
    await page.getByTestId('page-home').waitFor();

    // --- Users & teams: a team, then a collector in it.
    await page.getByTestId('nav-users').click();
    await page.getByTestId('page-users').waitFor();
    await page.getByTestId('teams-create').click();
    await page.getByTestId('team-name').fill(TEAM);
    await page.getByTestId('team-dialog-submit').click();
    await page.getByTestId('team-dialog').waitFor({ state: 'detached' });
    await eventually(() => page.getByTestId('teams-list').textContent()).toContain(TEAM);

    await page.getByTestId('users-add').click();
    const dialog = page.getByTestId('user-dialog');
    await page.getByTestId('user-username').fill(COLLECTOR.username);
    await page.getByTestId('user-display-name').fill(COLLECTOR.displayName);
    await page.getByTestId('user-role').click();
    await page.getByRole('option', { name: '催收员' }).click();
    await page.getByTestId('user-team').click();
    await page.getByRole('option', { name: TEAM }).click();
    await page.getByTestId('user-password').fill(COLLECTOR.password);
    await page.getByTestId('user-confirm').fill(COLLECTOR.password);
    await browser.screenshot('05a-add-user-dialog-zh');
    await page.getByTestId('user-dialog-submit').click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });

    const grid = page.getByTestId('users-grid');
    const row = grid.getByRole('row').filter({ hasText: COLLECTOR.username });
    await row.waitFor();
    const rowText = await row.textContent();
    expect(rowText).toContain(COLLECTOR.displayName);
    expect(rowText).toContain('催收员');
    expect(rowText).toContain(TEAM);
    expect(rowText).toContain('正常');
    await eventually(() => page.getByTestId('teams-list').textContent()).toContain('1 名成员');

    // An API refusal is shown plainly: the last administrator cannot be demoted.
    await page.getByTestId(`user-edit-${ADMIN.username}`).click();
    await page.getByTestId('user-role').click();
    await page.getByRole('option', { name: '主管' }).click();
    await page.getByTestId('user-dialog-submit').click();
    await eventually(() => page.getByTestId('user-dialog-error').textContent()).toContain('最后一个有效的管理员');
    await page.getByTestId('user-dialog').getByRole('button', { name: '取消' }).click();
    await page.getByTestId('user-dialog').waitFor({ state: 'detached' });
    await browser.screenshot('05-users-zh');

    // --- Audit log: the changes are there and the chain verifies.
    await page.getByTestId('nav-audit').click();
    const auditGrid = page.getByTestId('audit-grid');
    await auditGrid.getByRole('row').filter({ hasText: '新建用户' }).first().waitFor();
    await page.getByTestId('audit-verify').click();
    const verdict = page.getByTestId('audit-verify-result');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    expect(await verdict.textContent()).toContain('审计链完整');
    await browser.screenshot('06-audit-zh');

    // --- System check.
    await page.getByTestId('nav-system').click();
    await page.getByTestId('system-check-run').click();
    await page.getByTestId('system-check-result').waitFor();
    expect(await page.getByTestId('system-check-integrity').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('system-check-audit').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('system-check-anchor').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('system-check-refs').getAttribute('data-ok')).toBe('true');

    // --- Language: English (and the dark theme for a screenshot), then back to Chinese.
    const usersNav = page.getByTestId('nav-users');
    expect((await usersNav.textContent())?.trim()).toBe('用户与小组');
    await switchLanguage('en');
    expect((await usersNav.textContent())?.trim()).toBe('Users & teams');
    await usersNav.click();
    await grid.getByRole('row').filter({ hasText: COLLECTOR.username }).filter({ hasText: 'Collector' }).waitFor();
    await browser.screenshot('07-users-en');
    await page.getByTestId('theme-button').click();
    await page.getByTestId('theme-dark').click();
    await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-grid').getByRole('row').filter({ hasText: 'Team created' }).first().waitFor();
    await browser.screenshot('08-audit-en-dark');
    await page.getByTestId('theme-button').click();
    await page.getByTestId('theme-light').click();
    await switchLanguage('zh-CN');
    expect((await usersNav.textContent())?.trim()).toBe('用户与小组');
    // The choice is remembered.
    expect(await page.evaluate(() => localStorage.getItem('agencydesk.lang'))).toBe('zh-CN');

    // --- The collector: no Users & teams, no admin sections.
    await logout();
    await login(COLLECTOR.username, COLLECTOR.password);
    // A collector lands on their day's work queue; Home is one click away.
    await page.getByTestId('page-today').waitFor();
    await page.getByTestId('nav-home').click();
    await page.getByTestId('page-home').waitFor();
    expect(await page.getByTestId('current-user-name').textContent()).toBe(COLLECTOR.displayName);
    expect(await page.getByTestId('home-role').textContent()).toBe('催收员');
    expect(await page.getByTestId('nav-home').count()).toBe(1);
    for (const id of ['users', 'audit', 'system', 'settings']) expect(await page.getByTestId(`nav-${id}`).count()).toBe(0);
    expect(await page.getByTestId('home-permissions').textContent()).not.toContain('查看用户和小组');
    await browser.screenshot('09-home-collector-zh');

    // --- The collector changes their own password (a wrong current password first).
    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('menu-change-password').click();
    await page.getByTestId('cp-current').fill('not-my-password');
    await page.getByTestId('cp-new').fill('Zhangsan-pass-2');
    await page.getByTestId('cp-confirm').fill('Zhangsan-pass-2');
    await page.getByTestId('cp-submit').click();
    await eventually(() => page.getByTestId('change-password-dialog').textContent()).toContain('当前密码错误');
    await page.getByTestId('cp-current').fill(COLLECTOR.password);
    await page.getByTestId('cp-submit').click();
    await page.getByTestId('change-password-dialog').waitFor({ state: 'detached', timeout: 30_000 });
    await eventually(() => page.getByTestId('notification').textContent()).toContain('密码已修改');
    await logout();
    await login(COLLECTOR.username, 'Zhangsan-pass-2');
    await page.getByTestId('page-today').waitFor({ timeout: 30_000 });

    expect(browser.errors.filter((e) => !e.includes('favicon'))).toEqual([]);
  }
}
