import { describe, expect, it } from 'vitest';
import { decideNavigation, decideWindowOpen, isAppUrl } from '../../../electron/navigation.js';

describe('isAppUrl', () => {
  it.each([
    ['app://agencydesk/index.html', true],
    ['app://agencydesk/', true],
    ['app://agencydesk/index.html#/users', true],
    ['app://evil/index.html', false],
    ['app://agencydesk.evil.com/index.html', false],
    ['app://agencydesk:1/index.html', false],
    ['https://agencydesk/index.html', false],
    ['file:///etc/passwd', false],
    ['about:blank', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});

describe('decideNavigation', () => {
  it('allows only the app itself', () => {
    expect(decideNavigation('app://agencydesk/index.html').allow).toBe(true);
    expect(decideNavigation('https://example.com').allow).toBe(false);
    expect(decideNavigation('file:///C:/Windows').allow).toBe(false);
    expect(decideNavigation('app://other/index.html').allow).toBe(false);
  });
});

describe('decideWindowOpen', () => {
  it('always denies and hands nothing to the OS (no shell.openExternal: the UI has no external links)', () => {
    for (const url of ['https://example.com/a', 'app://agencydesk/index.html', 'file:///etc/passwd', 'ms-msdt:/id', 'about:blank']) {
      expect(decideWindowOpen(url)).toEqual({ action: 'deny' });
    }
  });
});
