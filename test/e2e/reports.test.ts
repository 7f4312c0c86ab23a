// The reports journey in a real browser against the built web host, at 1366×768. Seeded through the API:
// a lender with a 3-case batch and manager lisi. In the UI (zh-CN): the manager exports the batch as a
// signed package and sees every file with rows and SHA-256 and the signing key's fingerprint; a .zip made
// through the API is uploaded in Verify → valid, signed by the agency; a copy with one byte of
// status-report.csv changed (rewritten with fflate) → invalid, naming status-report.csv; the exported package
// downloaded by the browser as a .zip verifies. In English: the
// signing key (fingerprint in groups of four, the PEM) and the lender's report settings with the column
// template. Screenshots in both languages.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, startWebHost, type WebHost } from './helpers/web-host.js';
import { launchBrowser, SCREENSHOT_DIR, type BrowserSession } from './helpers/browser.js';
import { eventually } from './helpers/eventually.js';
import { uiSteps } from './helpers/ui.js';
import { importCsv, login, setupAgency, type Person } from './helpers/seed.js';
import { makeRows, PLACEMENT_HEADERS, toCsv } from '../helpers/placement-data.js';
import { verifyPackage } from '../../core/reports/verify.js';

const AGENCY = '华信催收服务有限公司';
const ADMIN: Person = { username: 'admin', displayName: '王建国', password: 'Admin-pass-2024' };
const MANAGER: Person = { username: 'lisi', displayName: '李四', password: 'Manager-pass-1' };
const grouped = (fp: string) => fp.match(/.{4}/g)!.join(' ');

let host: WebHost;
let browser: BrowserSession;
let admin: string;
let files: string;
let lenderId = 0;
let batchId = 0;
let fingerprint = '';

describe('reports journey (web host + Chromium)', () => {
  beforeAll(async () => {
    host = await startWebHost();
    admin = await setupAgency(host, AGENCY, ADMIN);
    await callApi(host, 'users.create', { ...MANAGER, role: 'manager', teamId: null }, admin);
    lenderId = (await callApi(host, 'lenders.create', { code: 'RPTL', name: '平安i贷', contact: '', rejectPolicy: 'skip_rows' }, admin)).id;
    const job = await importCsv(host, admin, lenderId, '平安i贷-reports.csv', toCsv([PLACEMENT_HEADERS, ...makeRows(3, 23, { caseNoPrefix: 'RP' })]), 'RPTL-B1');
    expect(job.result?.imported).toBe(3);
    batchId = (await callApi(host, 'batches.list', { lenderId }, admin)).batches[0]!.id;
    fingerprint = (await callApi(host, 'signing.keys', {}, admin)).current.fingerprint;
    files = mkdtempSync(path.join(tmpdir(), 'agencydesk-e2e-reports-'));
    browser = await launchBrowser({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, timezoneId: 'Asia/Shanghai' });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  it('exports a signed package, verifies it, and names the file a changed byte breaks', async () => {
    const page = browser.page;
    const ui = uiSteps(browser);
    try {
      await page.goto(host.url);
      await ui.login(MANAGER.username, MANAGER.password);
      await page.getByTestId('nav-reports').click();

      // Export the batch as a folder: every report in CSV and XLSX, with rows and SHA-256, and the key.
      await ui.pick('reports-lender', 'reports-lender-RPTL');
      await ui.pick('reports-batch', 'reports-batch-RPTL-B1');
      await page.getByTestId('reports-export-run').click();
      await page.getByTestId('reports-export-result').waitFor();
      expect(await page.getByTestId('reports-export-fingerprint').textContent()).toBe(grouped(fingerprint));
      const statusRow = page.getByTestId('reports-export-files-status-report.csv');
      expect(await statusRow.locator('td').nth(1).textContent()).toBe('3');
      expect(await statusRow.locator('td').nth(3).textContent()).toMatch(/^[0-9a-f]{64}$/);
      for (const f of ['status-report.xlsx', 'contact-log.csv', 'repayments.csv', 'waivers.xlsx', 'agency-public.pem', 'README.txt', 'SHA256SUMS']) {
        await page.getByTestId(`reports-export-files-${f}`).waitFor();
      }
      expect(await page.getByTestId('reports-export-manifest').textContent()).toMatch(/^[0-9a-f]{64}$/);
      expect(await page.getByTestId('reports-export-path').textContent()).toContain(path.join(host.storeDir, 'exports', 'RPTL-RPTL-B1-'));
      // The earlier-packages list has it.
      await eventually(() => page.locator('[data-testid^="reports-earlier-"][data-testid$="-download"]').count()).toBe(1);
      await ui.shot('reports-export-zh');

      // The browser downloads the package as a .zip (the folder zipped by the web host), and it verifies.
      expect(await page.getByTestId('reports-export-download').textContent()).toBe('下载 .zip');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reports-export-download').click()]);
      expect(download.suggestedFilename()).toMatch(/^RPTL-RPTL-B1-\d{8}T\d{6}\.zip$/);
      const downloaded = path.join(files, download.suggestedFilename());
      await download.saveAs(downloaded);
      const checked = await verifyPackage(downloaded);
      expect(checked.failures).toEqual([]);
      expect(checked).toMatchObject({ valid: true, signer: { fingerprint } });
      expect(Object.keys(unzipSync(readFileSync(downloaded))).map((n) => n.split('/')[1]).sort()).toEqual(
        ['README.txt', 'SHA256SUMS', 'SHA256SUMS.sig', 'agency-public.pem', 'manifest.json', 'manifest.sig', ...['contact-log', 'repayments', 'returns', 'status-report', 'waivers'].flatMap((b) => [`${b}.csv`, `${b}.xlsx`])].sort(),
      );

      // A .zip made through the API verifies in the Verify tab.
      const zipped = await callApi(host, 'reports.export', { lenderId, batchId, formats: ['csv'], zip: true }, await login(host, MANAGER));
      expect(zipped.path).toMatch(/\.zip$/);
      const good = path.join(files, 'RPTL-package.zip');
      writeFileSync(good, readFileSync(zipped.path));
      await page.getByTestId('reports-tab-verify').click();
      await page.getByTestId('verify-file-input').setInputFiles(good);
      await page.getByTestId('verify-run').click();
      const valid = page.getByTestId('verify-valid');
      await valid.waitFor();
      expect(await valid.textContent()).toContain(`有效，签名方：${AGENCY}`);
      expect(await valid.textContent()).toContain(grouped(fingerprint));
      expect(await page.getByTestId('verify-invalid').count()).toBe(0);
      await ui.shot('reports-verify-valid-zh');

      // One byte of status-report.csv changed: invalid, and it says which file.
      const entries = unzipSync(readFileSync(good));
      const name = Object.keys(entries).find((n) => n.endsWith('status-report.csv'))!;
      const bytes = entries[name]!;
      bytes[bytes.length - 3] = bytes[bytes.length - 3] === 0x31 ? 0x32 : 0x31;
      const bad = path.join(files, 'RPTL-package-tampered.zip');
      writeFileSync(bad, zipSync(entries));
      await page.getByTestId('verify-file-input').setInputFiles(bad);
      await page.getByTestId('verify-run').click();
      const invalid = page.getByTestId('verify-invalid');
      await invalid.waitFor();
      const failures = await page.getByTestId('verify-failure').allTextContents();
      expect(failures.some((f) => f.includes('status-report.csv'))).toBe(true);
      expect(failures.every((f) => !f.startsWith('manifest.sig'))).toBe(true);
      expect(await page.getByTestId('verify-valid').count()).toBe(0);
      await ui.shot('reports-verify-invalid-zh');

      // In English: the signing key, and the lender's report settings.
      await ui.switchLanguage('en');
      await page.getByTestId('reports-tab-key').click();
      await eventually(() => page.getByTestId('key-fingerprint').textContent()).toBe(grouped(fingerprint));
      expect(await page.getByTestId('key-pem').textContent()).toContain('-----BEGIN PUBLIC KEY-----');
      expect(await page.getByTestId('key-rotate').count()).toBe(0); // managers do not rotate
      await ui.shot('reports-key-en');
      await page.getByTestId('reports-tab-settings').click();
      await ui.pick('settings-lender', 'settings-lender-RPTL');
      await page.getByTestId('settings-col-caseNo').waitFor();
      await page.getByTestId('settings-col-caseNo').getByRole('checkbox').check();
      await page.getByTestId('settings-col-caseNo').getByRole('textbox').fill('Loan ID');
      await page.getByTestId('settings-col-outstandingFen').getByRole('checkbox').check();
      await page.getByTestId('settings-lang-en').click();
      await page.getByTestId('settings-pii-full').click();
      await page.getByTestId('settings-pii-reason').fill('Contract §7.2 allows full personal data');
      await ui.shot('reports-settings-en');
      await page.getByTestId('settings-save').click();
      await ui.notified('Report settings saved');
      const s = await callApi(host, 'reports.settings', { lenderId }, admin);
      expect(s).toMatchObject({ language: 'en', piiFull: true, template: { status: [{ key: 'caseNo', header: 'Loan ID' }, { key: 'outstandingFen', header: '' }] } });
      await page.getByTestId('reports-tab-export').click();
      await ui.pick('reports-lender', 'reports-lender-RPTL');
      await ui.shot('reports-export-en');
      expect(browser.errors).toEqual([]);
    } catch (e) {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'failure-reports.png') }).catch(() => {});
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- web host output ---\n${host.output()}\n--- page errors ---\n${browser.errors.join('\n')}`, { cause: e });
    }
  });
});
