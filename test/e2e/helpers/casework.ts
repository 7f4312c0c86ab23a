// Steps and times the casework journey repeats: a daytime instant to log attempts at (the web host has
// no fixed clock), the log form, and uiSteps for a second tab of the same browser.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, type BrowserSession } from './browser.js';
import { eventually } from './eventually.js';
import { uiSteps } from './ui.js';
import { callApi, type WebHost } from './web-host.js';

type Ui = ReturnType<typeof uiSteps>;

/**
 * The latest 10:00 or 12:00 in Asia/Shanghai (UTC+8, no DST) at least a minute ago: daytime for the
 * guardrails and under 23 hours old, so attempts minutes before it are accepted (logged within 24 h).
 */
export function daytimeInstant(now = Date.now()): number {
  const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
  const at = [0, -1].flatMap((d) => [10, 12].map((h) => Date.parse(`${day}T${h}:00:00+08:00`) + d * 86_400_000));
  return Math.max(...at.filter((t) => t <= now - 60_000));
}

/** A datetime-local value as a page in Asia/Shanghai shows an instant ("2025-04-01T10:00"). */
export const cstLocal = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
export const cstDay = (ms: number): string => cstLocal(ms).slice(0, 10);

/** uiSteps for another tab of the browser (its screenshots are of that tab). */
export function tabUi(browser: BrowserSession, page: Page): Ui {
  return uiSteps({
    ...browser,
    page,
    screenshot: async (name) => {
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  });
}

/** Opens the log form of the open case, sets when the attempt happened (null: now, the form's default), picks the outcome. */
export async function openLog(page: Page, ui: Ui, at: number | null, outcome: string): Promise<void> {
  await page.getByTestId('log-attempt').click();
  await ui.settled('log-dialog');
  if (at !== null) await page.getByTestId('attempt-started-at').fill(cstLocal(at));
  await ui.pick('attempt-outcome', `attempt-outcome-${outcome}`);
}

/** Submits the log form and waits until the timeline holds `attempts` entries. */
export async function submitLog(page: Page, ui: Ui, attempts: number): Promise<void> {
  await page.getByTestId('log-dialog-submit').click();
  await page.getByTestId('log-dialog').waitFor({ state: 'detached' });
  await ui.notified('已记录');
  await eventually(() => page.getByTestId('timeline-attempt').count()).toBe(attempts);
}

/** The id of the case open in the work view (the page shows case numbers, not ids). */
export async function caseIdOf(host: WebHost, session: string, page: Page): Promise<number> {
  const caseNo = (await page.getByTestId('case-no').textContent())!;
  const { rows } = await callApi(host, 'cases.list', { q: caseNo, sort: 'id', desc: false, offset: 0, limit: 1 }, session);
  return rows[0]!.id;
}
