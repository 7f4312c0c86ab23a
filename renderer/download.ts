// Every file the UI hands to the user goes through here. In the browser (web host) it is an ordinary
// download; in the desktop app the main process lets a blob of the app's own page through and asks where
// to save it with the system save dialog (electron/downloads.ts). Report packages, which live on disk,
// come from the host instead: see `Api.downloadPackage`.
import { BRIDGE_KEY } from '../shared/contract/bridge.js';

/** Saves `blob` as `name` (a download in the browser, the save dialog in the desktop app). */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has taken the blob by then; a minute leaves room for a slow save dialog.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The file name a response's Content-Disposition gives (RFC 5987 `filename*` first), else `fallback`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]!);
    } catch {
      /* fall through */
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback;
}

/** In the desktop app (the preload's bridge is there), not in a browser on the web host. */
export const onDesktop = (): boolean => typeof window !== 'undefined' && BRIDGE_KEY in window;
