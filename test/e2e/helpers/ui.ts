// Steps the browser journeys repeat on MUI screens: log in and out, switch language, pick from selects
// and autocompletes, wait for transitions, read DataGrid cells, and screenshots without a snackbar.
import type { Locator, Page } from 'playwright-core';
import type { BrowserSession } from './browser.js';
import { eventually } from './eventually.js';

export function uiSteps(browser: BrowserSession) {
  const page: Page = browser.page;
  return {
    async login(username: string, password: string): Promise<void> {
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
    },

    async logout(): Promise<void> {
      await page.getByTestId('user-menu-button').click();
      await page.getByTestId('menu-logout').click();
      await page.getByTestId('login-screen').waitFor();
    },

    async switchLanguage(lang: 'zh-CN' | 'en'): Promise<void> {
      await page.getByTestId('language-button').click();
      await page.getByTestId(`language-${lang}`).click();
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    },

    /** Opens a select by its test id and picks an option by its test id; waits until the menu is gone. */
    async pick(testId: string, optionTestId: string): Promise<void> {
      await page.getByTestId(testId).click();
      const option = page.getByTestId(optionTestId);
      const menu = page.locator('.MuiMenu-root');
      await option.click();
      try {
        await menu.waitFor({ state: 'detached', timeout: 10_000 }); // closed, not fading over a screenshot
      } catch {
        // Once in CI (two pages, loaded machine) a click on an option of a just-opened menu was lost and the
        // menu stayed open; the option is clicked again, and the journey's own checks then show it was taken.
        if (await option.isVisible()) await option.click();
        await menu.waitFor({ state: 'detached' });
      }
    },

    /** Picks options of an Autocomplete by their visible names (its list closes after each pick). */
    async choose(testId: string, ...names: string[]): Promise<void> {
      for (const name of names) {
        await page.getByTestId(testId).click();
        await page.getByRole('option', { name }).click();
        await page.getByRole('listbox').waitFor({ state: 'detached' });
      }
    },

    /** Waits for a dialog or drawer to finish its transition, so screenshots show it settled. */
    async settled(testId: string): Promise<void> {
      await page.waitForFunction((id) => {
        const el = document.querySelector(`[data-testid="${id}"]`);
        return el !== null && getComputedStyle(el).opacity === '1' && getComputedStyle(el).transform === 'none';
      }, testId);
    },

    cell: (row: Locator, field: string): Locator => row.locator(`[data-field="${field}"]`),
    gridRows: (testId: string): Locator => page.getByTestId(testId).locator('.MuiDataGrid-row'),

    async notified(text: string): Promise<void> {
      await eventually(() => page.getByTestId('notification').last().textContent()).toContain(text);
    },

    /** A screenshot without the last notification over it. */
    async shot(name: string): Promise<void> {
      const note = page.getByTestId('notification');
      // CSS, not role: an open dialog hides the snackbar from the accessibility tree.
      if ((await note.count()) > 0) await note.locator('button').click({ timeout: 2_000 }).catch(() => {});
      await note.waitFor({ state: 'detached' });
      await browser.screenshot(name);
    },
  };
}
