// A headless Chromium (the system one, driven by playwright-core) with a fresh profile, plus screenshots.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './web-host.js';

export const CHROMIUM = process.env.AGENCYDESK_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results/e2e');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors and console errors (CSP violations land here too). */
  readonly errors: string[];
  /** Saves test-results/e2e/<name>.png (full page). */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** navigator.language, which picks the UI language on first start. */
  locale?: string;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** The page's time zone (datetime fields, local dates); default: the machine's. */
  timezoneId?: string;
  /** More Chromium flags (e.g. the team server's certificate pinned with --ignore-certificate-errors-spki-list). */
  extraArgs?: string[];
}

/** Fails (never skips) when Chromium is missing: CI installs it. */
export async function launchBrowser(opts: BrowserOptions = {}): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium fonts-noto-cjk\` (or set AGENCYDESK_CHROMIUM).`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'agencydesk-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...ARGS, ...(opts.extraArgs ?? [])],
      locale: opts.locale ?? 'zh-CN',
      colorScheme: opts.colorScheme ?? 'light',
      viewport: opts.viewport ?? { width: 1366, height: 860 },
      ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
      timeout: 60_000,
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    context,
    page,
    errors,
    async screenshot(name) {
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
