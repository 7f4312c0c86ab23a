// Where the app window may go: only to its own pages. Pure: no `electron` import.
import { APP_HOST, APP_SCHEME } from './app-protocol.js';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for app://agencydesk/… (the bundled UI), nothing else. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.hostname.toLowerCase() === APP_HOST && u.port === '' && u.username === '' && u.password === '';
}

export interface NavigationDecision {
  allow: boolean;
}

/** 'will-navigate' / 'will-redirect' / 'will-frame-navigate': stay on the app's own pages. */
export function decideNavigation(url: string): NavigationDecision {
  return { allow: isAppUrl(url) };
}

export interface WindowOpenDecision {
  /** Always 'deny': the app never opens a second Electron window. */
  action: 'deny';
}

/** setWindowOpenHandler: no new windows, and nothing handed to the OS either (shell.openExternal is never
 *  called): the UI has no external links, and a compromised renderer must not launch URLs or handlers. */
export function decideWindowOpen(_url: string): WindowOpenDecision {
  return { action: 'deny' };
}
