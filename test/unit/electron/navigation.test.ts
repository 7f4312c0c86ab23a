import { describe, expect, it } from 'vitest';
import { decideNavigation, decideWindowOpen, isAppUrl, isSafeExternalUrl } from '../../../electron/navigation.js';

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

describe('isSafeExternalUrl', () => {
  it.each([
    ['https://example.com/', true],
    ['http://example.com/path?q=1', true],
    ['https://user:pw@example.com/', false],
    ['https://user@example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://server/share', false],
    ['ms-msdt:/id', false],
    ['app://agencydesk/index.html', false],
    ['data:text/html,hi', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isSafeExternalUrl(url)).toBe(expected);
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
  it('always denies; hands only safe web links to the OS browser', () => {
    expect(decideWindowOpen('https://example.com/a')).toEqual({ action: 'deny', openExternal: 'https://example.com/a' });
    expect(decideWindowOpen('app://agencydesk/index.html')).toEqual({ action: 'deny', openExternal: null });
    expect(decideWindowOpen('file:///etc/passwd')).toEqual({ action: 'deny', openExternal: null });
    expect(decideWindowOpen('https://u:p@example.com')).toEqual({ action: 'deny', openExternal: null });
    expect(decideWindowOpen('about:blank')).toEqual({ action: 'deny', openExternal: null });
  });
});
