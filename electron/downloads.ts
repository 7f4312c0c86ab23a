// Downloads in the desktop app. The UI saves what it makes in the page (CSV, PEM, case files, letters)
// through blob: links; the main process lets only those through — a blob of the app's own origin, from the
// main window — and Electron then asks where to save with the system save dialog. Anything else (a link
// to the network, another window's download) is cancelled. Pure: main.ts passes the Electron objects.
import path from 'node:path';
import { APP_ORIGIN } from './app-protocol.js';

export interface DownloadItemLike {
  getURL(): string;
  getFilename(): string;
  setSaveDialogOptions(options: { title?: string; defaultPath?: string; filters?: { name: string; extensions: string[] }[] }): void;
}

/** Only a blob the app's own page made, in the main window. */
export function allowDownload(url: string, senderId: number | null, mainId: number | null): boolean {
  return url.startsWith(`blob:${APP_ORIGIN}/`) && senderId !== null && senderId === mainId;
}

/** The save dialog's options: the suggested name in the user's Downloads folder, filtered by its kind. */
export function saveDialogOptions(filename: string, downloadsDir: string) {
  // The name comes from the page: keep its last path part only, so the dialog starts in Downloads.
  const name = path.basename(filename.replace(/\\/g, '/')) || 'download';
  const ext = path.extname(name).slice(1).toLowerCase();
  return { title: name, defaultPath: path.join(downloadsDir, name), filters: ext ? [{ name: ext.toUpperCase(), extensions: [ext] }, { name: '*', extensions: ['*'] }] : [] };
}

/** The session's 'will-download' handler. */
export function createDownloadHandler(deps: { mainWebContentsId(): number | null; downloadsDir(): string }) {
  return (event: { preventDefault(): void }, item: DownloadItemLike, webContents: { id: number } | null | undefined): void => {
    if (!allowDownload(item.getURL(), webContents?.id ?? null, deps.mainWebContentsId())) {
      event.preventDefault();
      return;
    }
    item.setSaveDialogOptions(saveDialogOptions(item.getFilename(), deps.downloadsDir()));
  };
}
