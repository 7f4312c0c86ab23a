// The admin's master-key journey in a real browser (zh-CN): disabling a user raises a red banner on every page; it
// leads to System → Master key; the admin changes the key (generation 1, banner gone), then reveals the key for IT
// with the password asked again and sees the PRAGMA key line once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { startWebHost, callApi, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { setupAgency, type Person } from './helpers/seed.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };

let host: WebHost;
let browser: BrowserSession;
let mp: Page;

describe('master key (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    const token = await setupAgency(host, '华信催收服务有限公司', ADMIN);
    const u = await callApi(host, 'users.create', { username: 'zhang', displayName: '张伟', role: 'collector', password: 'Collector-pass-1' }, token);
    await callApi(host, 'users.disable', { id: u.id }, token);
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Shanghai' });
    mp = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('banner after a disable → change the key → banner gone → reveal for IT once', async () => {
    try {
      const ui = uiSteps(browser);
      await mp.goto(host.url);
      await ui.login(ADMIN.username, ADMIN.password);
      await mp.getByTestId('rekey-banner').waitFor({ timeout: 30_000 });
      expect(await mp.getByTestId('rekey-banner').textContent()).toContain('请更换主密钥：已停用用户 zhang。');
      await ui.shot('keys-01-banner-zh');
      await mp.getByTestId('rekey-banner').getByRole('button').click();
      await mp.getByTestId('keys-panel').waitFor();
      expect(await mp.getByTestId('keys-due').count()).toBe(1);
      await mp.getByTestId('keys-rekey').click();
      await mp.getByTestId('keys-rekey-run').click();
      await eventually(() => mp.getByTestId('keys-done').textContent(), 60_000).toContain('第 1 代');
      await eventually(() => mp.getByTestId('keys-generation').textContent()).toContain('第 1 代');
      expect(await mp.getByTestId('keys-due').count()).toBe(0);
      await eventually(() => mp.getByTestId('rekey-banner').count()).toBe(0);
      await ui.shot('keys-02-rekeyed-zh');
      await mp.getByTestId('keys-reveal').click();
      await mp.getByTestId('keys-reveal-password').fill(ADMIN.password);
      await mp.getByTestId('keys-reveal-run').click();
      await eventually(() => mp.getByTestId('keys-pragma').textContent()).toMatch(/^PRAGMA key = "x'[0-9a-f]{64}'";$/);
      await ui.shot('keys-03-reveal-zh');
      await mp.getByRole('button', { name: '关闭' }).click();
      await eventually(() => mp.getByTestId('keys-pragma').count()).toBe(0);
      await mp.getByTestId('nav-home').click();
      await eventually(() => mp.getByTestId('rekey-banner').count()).toBe(0);
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await mp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-keys.png') }).catch(() => {});
      throw e;
    }
  }, 180_000);
});
