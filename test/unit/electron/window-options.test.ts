import { describe, expect, it } from 'vitest';
import { mainWindowOptions, secureWebPreferences } from '../../../electron/window-options.js';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/app/dist/electron/preload.cjs', { isPackaged: true });

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
    ['plugins', false],
    ['experimentalFeatures', false],
    ['enableWebSQL', false],
    ['navigateOnDragDrop', false],
    ['spellcheck', false],
    ['safeDialogs', true],
  ] as const)('%s is %s', (key, value) => {
    expect(prefs[key]).toBe(value);
  });

  it('uses the given preload and never enables blink features or additional arguments', () => {
    expect(prefs.preload).toBe('/app/dist/electron/preload.cjs');
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
    expect(prefs).not.toHaveProperty('partition');
  });

  it('allows DevTools only when not packaged', () => {
    expect(secureWebPreferences('p', { isPackaged: true }).devTools).toBe(false);
    expect(secureWebPreferences('p', { isPackaged: false }).devTools).toBe(true);
    expect(secureWebPreferences('p').devTools).toBe(false); // safe default
  });
});

describe('mainWindowOptions', () => {
  it('starts hidden (shown on ready-to-show) with the secure preferences', () => {
    const o = mainWindowOptions('/x/preload.cjs', { isPackaged: false });
    expect(o.show).toBe(false);
    expect(o.title).toBe('AgencyDesk');
    expect(o.minWidth).toBeLessThanOrEqual(o.width);
    expect(o.minHeight).toBeLessThanOrEqual(o.height);
    expect(o.webPreferences).toEqual(secureWebPreferences('/x/preload.cjs', { isPackaged: false }));
  });
});
