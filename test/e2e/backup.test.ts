// The admin's backup journey in a real browser against the built web host (zh-CN): with no backup yet, a banner
// warns; it leads to the Backups page; the admin picks a folder and backs up; the page shows the verified file,
// the folder holds exactly that one file, and the banner is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { setupAgency, type Person } from './helpers/seed.js';

const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };

let host: WebHost;
let browser: BrowserSession;
let mp: Page;
let out: string;

describe('backups (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    await setupAgency(host, '华信催收服务有限公司', ADMIN);
    out = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-e2e-backups-'));
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
    mp = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('banner → Backups → back up now → verified file, banner gone', async () => {
    try {
      const ui = uiSteps(browser);
      await mp.goto(host.url);
      await ui.login(ADMIN.username, ADMIN.password);
      await mp.getByTestId('backup-banner').waitFor({ timeout: 30_000 });
      expect(await mp.getByTestId('backup-banner').textContent()).toContain('最近两天没有成功的备份');
      await ui.shot('backup-01-banner-zh');
      await mp.getByTestId('backup-banner').getByRole('button').click();
      await mp.getByTestId('backup-page').waitFor();
      expect(await mp.getByTestId('backup-last-good').textContent()).toBe('尚无备份。');
      await mp.getByTestId('backup-folder').fill(out);
      await mp.getByTestId('backup-run').click();
      await eventually(() => mp.getByTestId('backup-last-good').textContent(), 60_000).toContain('.agencydesk-backup');
      const files = readdirSync(out).filter((f) => f.endsWith('.agencydesk-backup')); // beside it: the audit anchor's copy
      expect(files).toHaveLength(1);
      expect(await mp.getByTestId('backup-last-good').textContent()).toContain(files[0]);
      await ui.shot('backup-02-done-zh');
      await mp.getByTestId('nav-home').click();
      await mp.getByTestId('page-home').waitFor();
      await eventually(() => mp.getByTestId('backup-banner').count()).toBe(0);
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await mp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-backup.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
  it('restores the backup from the screen into a new folder and says how to open it', async () => {
    try {
      const ui = uiSteps(browser);
      await mp.getByTestId('nav-backup').click();
      await mp.getByTestId('restore-panel').waitFor();
      const file = path.join(out, readdirSync(out).find((f) => f.endsWith('.agencydesk-backup'))!);
      const target = path.join(out, 'restored');
      await mp.getByTestId('restore-file').fill(file);
      await mp.getByTestId('restore-target').fill(target);
      // A wrong password first: refused in Chinese, nothing made.
      await mp.getByTestId('restore-password').fill('not the password');
      await mp.getByTestId('restore-run').click();
      await mp.getByTestId('restore-panel').getByRole('alert').waitFor({ timeout: 30_000 });
      expect(readdirSync(out)).not.toContain('restored');
      await mp.getByTestId('restore-password').fill(ADMIN.password);
      await mp.getByTestId('restore-run').click();
      await mp.getByTestId('restore-done').waitFor({ timeout: 60_000 });
      const text = (await mp.getByTestId('restore-done').textContent()) ?? '';
      expect(text).toContain(`已恢复并校验：${target}`);
      expect(text).toContain(`agencydesk serve --store "${target}"`);
      expect(readdirSync(target).sort()).toEqual(expect.arrayContaining(['agency.db', 'keyslots.json']));
      await ui.shot('backup-03-restored-zh');
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await mp.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-restore.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});
