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

/** A link the OS browser may open: http(s) only, with a host and no credentials in the URL. */
export function isSafeExternalUrl(url: string): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (u.username !== '' || u.password !== '') return false;
  return u.hostname !== '';
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
  /** Open this URL in the user's default browser instead (shell.openExternal), or null. */
  openExternal: string | null;
}

/** setWindowOpenHandler: no new windows; safe web links go to the OS browser. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  return { action: 'deny', openExternal: isSafeExternalUrl(url) ? new URL(url).href : null };
}
